//! The log file: where it is, appending a record, reading what is there.
//!
//! The file is the user's health data. It is only ever appended to: each record is one
//! `write` of a whole line under an exclusive advisory lock, then `sync_data`. It is
//! created readable by its owner only. A torn last line (a power cut mid-write) is
//! skipped with a warning when reading, and the next append starts on a fresh line so
//! the fragment never swallows a record.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::record::{Record, VERSION};

/// The environment variable that names the log file when `--log` does not.
pub const LOG_ENV: &str = "REPTEMPO_LOG";

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot open the log {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot lock the log {}", path.display())]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to the log {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the log {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no place for the log: set --log or {LOG_ENV}")]
    NoDataDir,
}

/// A line of the log as read.
#[derive(Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "short-lived; most lines are sets"
)]
pub enum Entry {
    Record(Record),
    /// A line of a newer schema version: kept as it is, never rewritten.
    Newer {
        line: usize,
        text: String,
    },
}

/// A line that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// The log file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    #[must_use]
    pub fn at(path: PathBuf) -> Store {
        Store { path }
    }

    /// `--log`, else `$REPTEMPO_LOG`, else `sets.jsonl` in the platform's data directory
    /// (`$XDG_DATA_HOME/reptempo/sets.jsonl` on Linux).
    ///
    /// # Errors
    /// [`LogError::NoDataDir`] when none of them gives a place (no home directory).
    pub fn locate(flag: Option<&Path>) -> Result<Store, LogError> {
        if let Some(path) = flag {
            return Ok(Store::at(path.to_owned()));
        }
        if let Some(path) = std::env::var_os(LOG_ENV).filter(|v| !v.is_empty()) {
            return Ok(Store::at(PathBuf::from(path)));
        }
        directories::ProjectDirs::from("", "", "reptempo")
            .map(|d| Store::at(d.data_dir().join("sets.jsonl")))
            .ok_or(LogError::NoDataDir)
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `record` as one line, under an exclusive lock, and syncs it to disk.
    ///
    /// # Errors
    /// A [`LogError`] naming the file when it cannot be opened, locked or written.
    pub fn append(&self, record: &Record) -> Result<(), LogError> {
        let file = self.open_for_append()?;
        file.lock().map_err(|source| LogError::Lock {
            path: self.path.clone(),
            source,
        })?;
        let write = |source| LogError::Write {
            path: self.path.clone(),
            source,
        };
        let mut line = String::new();
        if !ends_with_newline(&file).map_err(write)? {
            // A torn last line: end it, so it cannot swallow this record.
            line.push('\n');
        }
        line.push_str(&record.to_line());
        line.push('\n');
        // One write of the whole line; O_APPEND puts it at the end even if another
        // program ignores the lock.
        (&file).write_all(line.as_bytes()).map_err(write)?;
        file.sync_data().map_err(write)?;
        // Dropping the file releases the lock.
        Ok(())
    }

    fn open_for_append(&self) -> Result<File, LogError> {
        let open = |source| LogError::Open {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(open)?;
        }
        OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(open)
    }

    /// Every usable line, and a warning for each line that is not. A missing file is
    /// an empty log. The file is never modified.
    ///
    /// # Errors
    /// [`LogError::Read`] when the file exists but cannot be read.
    pub fn read(&self) -> Result<(Vec<Entry>, Vec<Warning>), LogError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Vec::new(), Vec::new()));
            }
            Err(source) => {
                return Err(LogError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        Ok(parse_lines(&self.path, &bytes))
    }
}

/// Records handed to a [`Writer`] and not yet on disk, in this process. A second
/// Ctrl-C waits for them (briefly) before it exits.
static PENDING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Whether every record handed to a writer is on disk.
#[must_use]
pub fn all_written() -> bool {
    PENDING.load(std::sync::atomic::Ordering::SeqCst) == 0
}

/// Appends records on a thread of its own, in the order given, so that waiting for the
/// lock and for the disk (`sync_data` can take hundreds of milliseconds on a busy disk)
/// never holds up a running session.
pub struct Writer {
    queue: Option<std::sync::mpsc::Sender<Record>>,
    thread: Option<std::thread::JoinHandle<Vec<(Record, LogError)>>>,
}

impl Writer {
    /// Starts the writing thread for `store`.
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn start(store: Store) -> std::io::Result<Writer> {
        let (queue, records) = std::sync::mpsc::channel::<Record>();
        let thread = std::thread::Builder::new()
            .name("log".to_owned())
            .spawn(move || {
                let mut failed = Vec::new();
                for record in records {
                    if let Err(e) = store.append(&record) {
                        failed.push((record, e));
                    }
                    PENDING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                }
                failed
            })?;
        Ok(Writer {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    /// Queues `record`.
    pub fn write(&self, record: Record) {
        if let Some(queue) = &self.queue {
            PENDING.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if queue.send(record).is_err() {
                PENDING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    }

    /// Waits until every queued record is written; returns those the log refused.
    #[must_use]
    pub fn finish(mut self) -> Vec<(Record, LogError)> {
        self.queue = None;
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Whether the file is empty or ends with a newline.
fn ends_with_newline(file: &File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    let mut last = [0u8; 1];
    file.read_exact_at(&mut last, len - 1)?;
    Ok(last[0] == b'\n')
}

/// A line that names its kind as this program writes it, parsed straight into its type.
fn fast_record(raw: &[u8]) -> Option<Record> {
    let has = |needle: &[u8]| memchr::memmem::find(raw, needle).is_some();
    if has(br#""kind":"set""#) {
        serde_json::from_slice(raw).ok().map(Record::Set)
    } else if has(br#""kind":"pain""#) {
        serde_json::from_slice(raw).ok().map(Record::Pain)
    } else {
        None
    }
}

/// Reads the lines of a log; `path` names it in warnings.
#[must_use]
pub fn parse_lines(path: &Path, bytes: &[u8]) -> (Vec<Entry>, Vec<Warning>) {
    // A long log is read in two halves at once (parsing JSON is the cost, and it splits
    // cleanly at a line break); the halves are joined in order.
    let half = bytes.len() / 2;
    let Some(cut) = (bytes.len() > 1 << 20)
        .then(|| bytes[half..].iter().position(|&b| b == b'\n'))
        .flatten()
        .map(|i| half + i + 1)
    else {
        return parse_part(path, bytes, 0);
    };
    let lines_before = bytes[..cut].split(|&b| b == b'\n').count() - 1;
    let ((mut entries, mut warnings), (more, more_warnings)) = std::thread::scope(|s| {
        let first = s.spawn(|| parse_part(path, &bytes[..cut], 0));
        let second = parse_part(path, &bytes[cut..], lines_before);
        (first.join().unwrap_or_default(), second)
    });
    entries.extend(more);
    warnings.extend(more_warnings);
    (entries, warnings)
}

/// Reads the lines of `bytes`, the part of a log after its first `skipped` lines.
fn parse_part(path: &Path, bytes: &[u8], skipped: usize) -> (Vec<Entry>, Vec<Warning>) {
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    let ends_cleanly = bytes.last().is_none_or(|&b| b == b'\n');
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    // split() leaves an empty piece after the final newline.
    let count = if ends_cleanly {
        lines.len() - 1
    } else {
        lines.len()
    };
    for (i, raw) in lines.iter().take(count).enumerate() {
        let number = skipped + i + 1;
        let warn = |message: String| Warning {
            path: path.to_owned(),
            line: number,
            message,
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // The common case in one parse, without serde's buffering of tagged enums: a
        // line as this program writes it. Anything else takes the careful path below.
        if let Some(record) = fast_record(raw).filter(|r| r.version() <= VERSION) {
            entries.push(Entry::Record(record));
            continue;
        }
        let text = String::from_utf8_lossy(raw);
        let torn = !ends_cleanly && number == skipped + count;
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => {
                let version = value.get("v").and_then(serde_json::Value::as_u64);
                if version.is_some_and(|v| v > u64::from(VERSION)) {
                    entries.push(Entry::Newer {
                        line: number,
                        text: text.into_owned(),
                    });
                    continue;
                }
                match serde_json::from_value::<Record>(value) {
                    Ok(record) => entries.push(Entry::Record(record)),
                    Err(e) => warnings.push(warn(format!("skipped: not a record ({e})"))),
                }
            }
            Err(_) if torn => {
                warnings.push(warn(
                    "skipped an incomplete last line (the write was cut off)".to_owned(),
                ));
            }
            Err(e) => warnings.push(warn(format!("skipped: not JSON ({e})"))),
        }
    }
    (entries, warnings)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::log::record::PainRecord;

    fn pain(n: u8) -> Record {
        Record::Pain(PainRecord {
            v: 1,
            at: "2026-11-24T08:00:00.000+01:00".to_owned(),
            pain: n,
            note: Some("stiff, \"a bit\"\nbetter later".to_owned()),
        })
    }

    #[test]
    fn records_round_trip_in_a_file_only_its_owner_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("sub/sets.jsonl"));
        store.append(&pain(2)).unwrap();
        store.append(&pain(3)).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let (entries, warnings) = store.read().unwrap();
        assert!(warnings.is_empty());
        assert_eq!(entries, [Entry::Record(pain(2)), Entry::Record(pain(3))]);
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.starts_with("{\"kind\":\"pain\",\"v\":1,"));
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_the_next_append_starts_a_fresh_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("sets.jsonl"));
        store.append(&pain(1)).unwrap();
        store.append(&pain(2)).unwrap();
        // Cut the file in the middle of the second record.
        let full = std::fs::read(store.path()).unwrap();
        let first_end = full.iter().position(|&b| b == b'\n').unwrap() + 1;
        std::fs::write(store.path(), &full[..first_end + 20]).unwrap();
        let (entries, warnings) = store.read().unwrap();
        assert_eq!(entries, [Entry::Record(pain(1))]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 2);
        assert!(warnings[0].message.contains("incomplete last line"));
        store.append(&pain(3)).unwrap();
        let (entries, warnings) = store.read().unwrap();
        assert_eq!(entries, [Entry::Record(pain(1)), Entry::Record(pain(3))]);
        assert_eq!(
            warnings.len(),
            1,
            "the fragment is now a bad line of its own"
        );
        assert_eq!(warnings[0].line, 2);
    }

    #[test]
    fn newer_lines_are_kept_and_bad_lines_named_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sets.jsonl");
        let newer = r#"{"v":2,"kind":"set","something":"new"}"#;
        let before = format!(
            "{}\n\nnot json\n{newer}\n{{\"v\":1,\"kind\":\"pain\"}}\n",
            pain(4).to_line()
        );
        std::fs::write(&path, &before).unwrap();
        let store = Store::at(path.clone());
        let (entries, warnings) = store.read().unwrap();
        assert_eq!(entries[0], Entry::Record(pain(4)));
        assert_eq!(
            entries[1],
            Entry::Newer {
                line: 4,
                text: newer.to_owned()
            }
        );
        assert_eq!(warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [3, 5]);
        store.append(&pain(5)).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with(&before), "existing lines were changed");
    }

    #[test]
    fn a_long_log_read_in_two_halves_keeps_order_and_line_numbers() {
        let line = pain(1).to_line();
        let n = 2 * (1 << 20) / line.len() + 10;
        let mut text: Vec<String> = (0..n).map(|_| line.clone()).collect();
        text[n - 5] = "broken".to_owned();
        let bytes = (text.join("\n") + "\n").into_bytes();
        let (entries, warnings) = parse_lines(Path::new("t"), &bytes);
        assert_eq!(entries.len(), n - 1);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, n - 4);
        // Cut mid-line at the end: the torn line is the last one, whatever the halves.
        let torn = &bytes[..bytes.len() - 10];
        let (_, warnings) = parse_lines(Path::new("t"), torn);
        assert_eq!(warnings.last().unwrap().line, n);
        assert!(
            warnings
                .last()
                .unwrap()
                .message
                .contains("incomplete last line")
        );
    }

    #[test]
    fn a_missing_log_is_empty() {
        let store = Store::at(PathBuf::from("/nonexistent/sets.jsonl"));
        assert_eq!(store.read().unwrap(), (Vec::new(), Vec::new()));
    }
}
