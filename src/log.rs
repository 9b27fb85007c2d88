//! The set log: one JSON object a line (JSON Lines), appended and never rewritten.
//!
//! - [`record`]: what a line holds (a set, a morning pain score, or the coach's advice).
//! - [`store`]: where the file is, appending under a lock, reading with damage skipped.
//! - [`history`]: the training sets all advice reads; recent sessions, the programme
//!   week, "last time" and the last load.
//! - [`export`]: `log`: filters, table, CSV, JSON.
//! - [`stats`]: `stats`: weekly sums and the pain-monitoring model.
//! - [`view`]: records borrowed from their line, for the commands that read it all.

pub mod export;
pub mod history;
pub mod record;
pub mod stats;
pub mod store;
pub mod view;

pub use record::{AdviceRecord, LoadRecord, PainRecord, Record, SetRecord};
pub use store::{Entry, LogError, Store, WriteEvent, Writer};
