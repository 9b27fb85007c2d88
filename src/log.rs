//! The set log: one JSON object a line (JSON Lines), appended and never rewritten.
//!
//! - [`record`]: what a line holds (a set, or a morning pain score).
//! - [`store`]: where the file is, appending under a lock, reading with damage skipped.
//! - [`history`]: recent sessions and the program week, from what was read.

pub mod history;
pub mod record;
pub mod store;

pub use record::{LoadRecord, PainRecord, Record, SetRecord};
pub use store::{Entry, LogError, Store, Warning};
