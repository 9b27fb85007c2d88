//! The log file: where it is, appending a record, reading what is there.
//!
//! The file is the user's health data. It is only ever appended to: each record is one
//! `write` of a whole line under an exclusive advisory lock, then `sync_data`; a write
//! that fails part-way (a full disk) is cut back to the length before it, so no fragment
//! is left. It is created readable by its owner only. A torn last line (a power cut
//! mid-write) is skipped with a warning when reading, and the next append starts on a
//! fresh line so the fragment never swallows a record. Only regular files are opened:
//! a FIFO or a device would block or never end.
//!
//! Reading checks every record ([`Record::check`]): a line with a value that cannot be
//! true (pain 200, a time in the future) is skipped with one warning naming the line
//! and the field, so it never reaches advice.
//!
//! [`Store::read`] gives every record, owned; [`Store::scan`] (for `stats` and
//! `log --csv`) reads the file in pieces on every core and hands each line, borrowed
//! and checked the same way, to an accumulator per piece, keeping nothing else.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, FileExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::record::{Record, VERSION};
use super::view::{PainView, SetView};

/// The environment variable that names the log file when `--log` does not.
pub const LOG_ENV: &str = "REPTEMPO_LOG";

/// How long the lock may be held by another program before the wait is reported.
const WAIT_NOTICE: Duration = Duration::from_secs(1);
/// The pause between two tries of the lock: short enough to take it soon after it is
/// free, long enough not to spin.
const LOCK_RETRY: Duration = Duration::from_millis(50);

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
    #[error("the log {} is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("gave up waiting for another program to release the log {}", path.display())]
    GaveUp { path: PathBuf },
    #[error("cannot write sets to the log {}; fix that, or start with --no-log to train without logging", path.display())]
    NotWritable {
        path: PathBuf,
        #[source]
        source: Box<LogError>,
    },
    #[error("no place for the log: set --log or {LOG_ENV}")]
    NoDataDir,
}

impl LogError {
    /// Whether the person named something that cannot be a log (a FIFO, a device, a
    /// directory): bad input to fix, not a failure of the disk.
    #[must_use]
    pub fn is_not_a_file(&self) -> bool {
        match self {
            LogError::NotAFile { .. } => true,
            LogError::NotWritable { source, .. } => source.is_not_a_file(),
            _ => false,
        }
    }
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
        // A log line's own text (a bad value, a parser's message) may hold anything.
        let text = format!("{}:{}: {}", self.path.display(), self.line, self.message);
        f.write_str(&crate::text::escape_cell(&text))
    }
}

/// The log file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
}

/// Process-wide: set by [`give_up`] (a signal handler), read between tries of the lock.
static GIVE_UP: AtomicBool = AtomicBool::new(false);

/// Makes every wait for the log's lock in this process stop at its next try (within
/// 50 ms): for SIGTERM, or Ctrl-C while another program holds the log. Safe to call
/// from a signal-handling thread.
pub fn give_up() {
    GIVE_UP.store(true, Ordering::SeqCst);
}

/// Takes the exclusive lock on `file`, trying every 50 ms; `waiting` is called once when
/// the lock has been held by someone else for a second, and the wait ends (`Ok(false)`)
/// when `stop` says so or [`give_up`] was called.
fn lock_waiting(file: &File, waiting: &dyn Fn(), stop: &dyn Fn() -> bool) -> std::io::Result<bool> {
    let began = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(true),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        if stop() || GIVE_UP.load(Ordering::SeqCst) {
            return Ok(false);
        }
        if !told && began.elapsed() >= WAIT_NOTICE {
            told = true;
            waiting();
        }
        std::thread::sleep(LOCK_RETRY);
    }
}

/// Where a line is appended: the log file, or a fake in tests that fails on demand.
trait Sink {
    fn len(&self) -> std::io::Result<u64>;
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    fn sync(&mut self) -> std::io::Result<()>;
    fn truncate(&mut self, len: u64) -> std::io::Result<()>;
}

impl Sink for &File {
    fn len(&self) -> std::io::Result<u64> {
        Ok(self.metadata()?.len())
    }
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        Write::write_all(self, bytes)
    }
    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_data()
    }
    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.set_len(len)?;
        self.sync_data()
    }
}

/// Writes `bytes` at the end of `sink` and syncs; when that fails part-way, cuts the
/// sink back to its length before, so a full disk leaves no fragment, and returns the
/// write's error. Called under the lock, so the length noted is the end of the log.
fn append_whole(sink: &mut impl Sink, bytes: &[u8]) -> std::io::Result<()> {
    let before = sink.len()?;
    let written = sink.write_all(bytes).and_then(|()| sink.sync());
    if let Err(e) = written {
        // The write's error is the one to report; if the cut fails too, the next read
        // names the fragment as a bad line.
        let _ = sink.truncate(before);
        return Err(e);
    }
    Ok(())
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

    /// Appends `record` as one line, under an exclusive lock, and syncs it to disk. A
    /// write that fails part-way is cut back, so the file is as it was.
    ///
    /// # Errors
    /// A [`LogError`] naming the file when it cannot be opened, locked or written, when
    /// it is not a regular file, or [`LogError::GaveUp`] after [`give_up`].
    pub fn append(&self, record: &Record) -> Result<(), LogError> {
        self.append_waiting(record, &|| {}, &|| false)
    }

    fn append_waiting(
        &self,
        record: &Record,
        waiting: &dyn Fn(),
        stop: &dyn Fn() -> bool,
    ) -> Result<(), LogError> {
        let file = self.open_locked(waiting, stop)?;
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
        append_whole(&mut &file, line.as_bytes()).map_err(write)?;
        // Dropping the file releases the lock.
        Ok(())
    }

    /// Checks, before a session's first cue, that sets can be written: the log opens
    /// (created owner-only, in a directory made owner-only), is a regular file, and its
    /// lock can be taken (`waiting` is called once if another program holds it for a
    /// second). Nothing is written.
    ///
    /// # Errors
    /// [`LogError::NotWritable`], whose message names the file and `--no-log`.
    pub fn check_writable(&self, waiting: &dyn Fn(&Path)) -> Result<(), LogError> {
        self.open_locked(&|| waiting(&self.path), &|| false)
            .map(drop)
            .map_err(|e| LogError::NotWritable {
                path: self.path.clone(),
                source: Box::new(e),
            })
    }

    /// The log opened for appending and locked.
    fn open_locked(&self, waiting: &dyn Fn(), stop: &dyn Fn() -> bool) -> Result<File, LogError> {
        let file = self.open_for_append()?;
        match lock_waiting(&file, waiting, stop) {
            Ok(true) => Ok(file),
            Ok(false) => Err(LogError::GaveUp {
                path: self.path.clone(),
            }),
            Err(source) => Err(LogError::Lock {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Refuses what is there and is not a regular file, before opening it: opening a
    /// FIFO waits for a writer, and /dev/zero never ends.
    fn refuse_special(&self) -> Result<(), LogError> {
        match std::fs::metadata(&self.path) {
            Ok(m) if !m.is_file() => Err(LogError::NotAFile {
                path: self.path.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// The log opened for reading, `None` when there is none yet (nothing logged is
    /// no error for a reader).
    fn open_for_reading(&self) -> Result<Option<File>, LogError> {
        match self.open_checked(rustix::fs::OFlags::RDONLY) {
            Ok(file) => Ok(Some(file)),
            Err(LogError::Open { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Ok(None)
            }
            Err(LogError::Open { source, .. }) => Err(LogError::Read {
                path: self.path.clone(),
                source,
            }),
            Err(e) => Err(e),
        }
    }

    /// Opens without blocking (a FIFO swapped in after the check would otherwise hang
    /// the open) and checks again what was opened.
    fn open_checked(&self, flags: rustix::fs::OFlags) -> Result<File, LogError> {
        use rustix::fs::{Mode, OFlags};
        let open = |source| LogError::Open {
            path: self.path.clone(),
            source,
        };
        self.refuse_special()?;
        let fd = rustix::fs::open(
            &self.path,
            flags | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .map_err(|e| open(e.into()))?;
        let file = File::from(fd);
        if !file.metadata().map_err(open)?.is_file() {
            return Err(LogError::NotAFile {
                path: self.path.clone(),
            });
        }
        Ok(file)
    }

    fn open_for_append(&self) -> Result<File, LogError> {
        use rustix::fs::OFlags;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|source| LogError::Open {
                    path: self.path.clone(),
                    source,
                })?;
        }
        self.open_checked(OFlags::RDWR | OFlags::APPEND | OFlags::CREATE)
    }

    /// Every usable line, and a warning for each line that is not. A missing file is
    /// an empty log. The file is never modified. Records are checked against the
    /// present time; see [`Store::read_at`].
    ///
    /// # Errors
    /// [`LogError::Read`] when the file exists but cannot be read,
    /// [`LogError::NotAFile`] when it is not a regular file.
    pub fn read(&self) -> Result<(Vec<Entry>, Vec<Warning>), LogError> {
        self.read_at(jiff::Timestamp::now())
    }

    /// As [`Store::read`], with `now` the time after which a record is in the future.
    ///
    /// # Errors
    /// As [`Store::read`].
    pub fn read_at(&self, now: jiff::Timestamp) -> Result<(Vec<Entry>, Vec<Warning>), LogError> {
        let Some(file) = self.open_for_reading()? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let read = |source| LogError::Read {
            path: self.path.clone(),
            source,
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(read)?;
        Ok(parse_lines(&self.path, &bytes, now))
    }
}

/// What the writer reports, from its own thread.
#[derive(Debug)]
pub enum WriteEvent {
    /// The record is on disk.
    Written { record: Record },
    /// The log refused the record; it stays in [`unwritten`] until the writer finishes.
    Failed { record: Record, error: LogError },
    /// Another program has held the log's lock for a second; the writer waits on.
    Waiting { path: PathBuf },
}

/// A record handed to a writer and not yet on disk.
struct Queued {
    id: u64,
    path: PathBuf,
    record: Record,
    /// The log refused it; it waits to be handed back by [`Writer::finish_unless`].
    failed: bool,
}

/// Every record of this process handed to a writer and not on disk: queued, being
/// written, or refused. A second Ctrl-C prints them ([`every_unwritten_report`]) rather
/// than lose them.
static UNWRITTEN: Mutex<VecDeque<Queued>> = Mutex::new(VecDeque::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn unwritten_list() -> std::sync::MutexGuard<'static, VecDeque<Queued>> {
    UNWRITTEN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// [`unwritten_report`] for every log this process writes to: what a second Ctrl-C
/// prints to stderr before the process exits.
#[must_use]
pub fn every_unwritten_report() -> String {
    let mut paths: Vec<PathBuf> = unwritten_list().iter().map(|q| q.path.clone()).collect();
    paths.dedup();
    paths
        .iter()
        .filter_map(|path| unwritten_report(path))
        .collect()
}

/// Whether no record handed to a writer is still waiting to be written (records the log
/// refused are not waiting: see [`unwritten`]).
#[must_use]
pub fn all_written() -> bool {
    unwritten_list().iter().all(|q| q.failed)
}

/// `records` as the lines to keep by hand: "2 sets NOT written to FILE:" and one JSON
/// line each, or `None` when there are none.
#[must_use]
pub fn not_written_report(path: &Path, records: &[Record]) -> Option<String> {
    if records.is_empty() {
        return None;
    }
    let n = records.len();
    let mut text = format!(
        "{n} set{} NOT written to {}:\n",
        if n == 1 { "" } else { "s" },
        crate::text::escape_cell(&path.display().to_string())
    );
    for r in records {
        text.push_str(&r.to_line());
        text.push('\n');
    }
    Some(text)
}

/// [`not_written_report`] of every record for `path` not on disk: what a second Ctrl-C
/// prints to stderr before the process exits.
#[must_use]
pub fn unwritten_report(path: &Path) -> Option<String> {
    let records: Vec<Record> = unwritten_list()
        .iter()
        .filter(|q| q.path == path)
        .map(|q| q.record.clone())
        .collect();
    not_written_report(path, &records)
}

/// Appends records on a thread of its own, in the order given, so that waiting for the
/// lock and for the disk (`sync_data` can take hundreds of milliseconds on a busy disk)
/// never holds up a running session. "Logged" is said only on
/// [`WriteEvent::Written`]; every record not on disk is in [`unwritten`] until
/// the writer finishes and hands it back.
pub struct Writer {
    queue: Option<std::sync::mpsc::Sender<u64>>,
    thread: Option<std::thread::JoinHandle<()>>,
    path: PathBuf,
    abandon: Arc<AtomicBool>,
}

impl Writer {
    /// Starts the writing thread for `store`; `notify` hears, on that thread, of each
    /// record written or refused and of a wait for another program's lock.
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn spawn(
        store: Store,
        notify: impl Fn(WriteEvent) + Send + 'static,
    ) -> std::io::Result<Writer> {
        let (queue, ids) = std::sync::mpsc::channel::<u64>();
        let abandon = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&abandon);
        let path = store.path().to_owned();
        let thread = std::thread::Builder::new()
            .name("log".to_owned())
            .spawn(move || {
                for id in ids {
                    let record = unwritten_list()
                        .iter()
                        .find(|q| q.id == id)
                        .map(|q| q.record.clone());
                    let Some(record) = record else { continue };
                    let waiting = || {
                        notify(WriteEvent::Waiting {
                            path: store.path().to_owned(),
                        });
                    };
                    match store.append_waiting(&record, &waiting, &|| stop.load(Ordering::SeqCst)) {
                        Ok(()) => {
                            unwritten_list().retain(|q| q.id != id);
                            notify(WriteEvent::Written { record });
                        }
                        // Told to stop: this record and the rest stay unwritten.
                        Err(LogError::GaveUp { .. }) => break,
                        Err(error) => {
                            if let Some(q) = unwritten_list().iter_mut().find(|q| q.id == id) {
                                q.failed = true;
                            }
                            notify(WriteEvent::Failed { record, error });
                        }
                    }
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                }
            })?;
        Ok(Writer {
            queue: Some(queue),
            thread: Some(thread),
            path,
            abandon,
        })
    }

    /// Queues `record`. From now until it is on disk it is in [`unwritten`].
    pub fn write(&self, record: Record) {
        let Some(queue) = &self.queue else { return };
        let id = NEXT_ID.fetch_add(1, Ordering::SeqCst);
        unwritten_list().push_back(Queued {
            id,
            path: self.path.clone(),
            record,
            failed: false,
        });
        if queue.send(id).is_err() {
            // The thread is gone: the record stays listed as unwritten.
            if let Some(q) = unwritten_list().iter_mut().find(|q| q.id == id) {
                q.failed = true;
            }
        }
    }

    /// Tells the writing thread to stop at its next try of the lock, leaving what is
    /// queued unwritten.
    pub fn abandon(&self) {
        self.abandon.store(true, Ordering::SeqCst);
    }

    /// Waits until every queued record is written or refused, unless `give_up` says
    /// to stop waiting (asked every 10 ms: SIGTERM, or Ctrl-C while another program
    /// holds the lock). Returns every record of this writer not on disk, refused or
    /// left in the queue, and takes them off [`unwritten`]: the caller now keeps them
    /// (with [`not_written_report`]).
    #[must_use]
    pub fn finish_unless(mut self, give_up: &dyn Fn() -> bool) -> Vec<Record> {
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            while !thread.is_finished() {
                if give_up() {
                    // The thread stops at its next try of the lock (50 ms at most); a
                    // write stuck on the disk is not waited for longer. Its record is
                    // then reported as not written even if it lands later: a set kept
                    // twice can be deleted, a set lost cannot be found.
                    self.abandon();
                    let asked = Instant::now();
                    while !thread.is_finished() && asked.elapsed() < 4 * LOCK_RETRY {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            if thread.is_finished() {
                let _ = thread.join();
            }
        }
        self.take_unwritten()
    }

    /// This writer's records not on disk, taken off the process-wide list.
    fn take_unwritten(&self) -> Vec<Record> {
        let mut list = unwritten_list();
        let mine: Vec<Record> = list
            .iter()
            .filter(|q| q.path == self.path)
            .map(|q| q.record.clone())
            .collect();
        list.retain(|q| q.path != self.path);
        mine
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
    } else if has(br#""kind":"advice""#) {
        serde_json::from_slice(raw).ok().map(Record::Advice)
    } else {
        None
    }
}

/// Reads the lines of a log; `path` names it in warnings.
#[must_use]
pub fn parse_lines(path: &Path, bytes: &[u8], now: jiff::Timestamp) -> (Vec<Entry>, Vec<Warning>) {
    // A long log is read in two halves at once (parsing JSON is the cost, and it splits
    // cleanly at a line break); the halves are joined in order.
    let half = bytes.len() / 2;
    let Some(cut) = (bytes.len() > 1 << 20)
        .then(|| bytes[half..].iter().position(|&b| b == b'\n'))
        .flatten()
        .map(|i| half + i + 1)
    else {
        return parse_part(path, bytes, 0, now);
    };
    let lines_before = bytes[..cut].split(|&b| b == b'\n').count() - 1;
    let ((mut entries, mut warnings), (more, more_warnings)) = std::thread::scope(|s| {
        let first = s.spawn(|| parse_part(path, &bytes[..cut], 0, now));
        let second = parse_part(path, &bytes[cut..], lines_before, now);
        (first.join().unwrap_or_default(), second)
    });
    entries.extend(more);
    warnings.extend(more_warnings);
    (entries, warnings)
}

/// Reads the lines of `bytes`, the part of a log after its first `skipped` lines.
fn parse_part(
    path: &Path,
    bytes: &[u8],
    skipped: usize,
    now: jiff::Timestamp,
) -> (Vec<Entry>, Vec<Warning>) {
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
        let torn = !ends_cleanly && i + 1 == count;
        match careful(raw, number, torn, now) {
            Ok(Some(entry)) => entries.push(entry),
            Ok(None) => {}
            Err(message) => warnings.push(Warning {
                path: path.to_owned(),
                line: number,
                message,
            }),
        }
    }
    (entries, warnings)
}

/// Every record goes through here: brought up to date, then checked.
fn accept(mut record: Record, now: jiff::Timestamp) -> Result<Entry, String> {
    record.normalise();
    match record.check(now) {
        Ok(()) => Ok(Entry::Record(record)),
        Err(e) => Err(format!("skipped: {e}")),
    }
}

/// One line read into an owned entry: `Ok(None)` for a blank line, `Err` with the
/// warning's message for a line that cannot be used. `torn` says the line is the last
/// of a file that does not end with a newline.
fn careful(
    raw: &[u8],
    number: usize,
    torn: bool,
    now: jiff::Timestamp,
) -> Result<Option<Entry>, String> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    // The common case in one parse, without serde's buffering of tagged enums: a
    // line as this program writes it. Anything else takes the careful path below.
    if let Some(record) = fast_record(raw).filter(|r| r.version() <= VERSION) {
        return accept(record, now).map(Some);
    }
    let text = String::from_utf8_lossy(raw);
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value) => {
            let version = value.get("v").and_then(serde_json::Value::as_u64);
            if version.is_some_and(|v| v > u64::from(VERSION)) {
                return Ok(Some(Entry::Newer {
                    line: number,
                    text: text.into_owned(),
                }));
            }
            match serde_json::from_value::<Record>(value) {
                Ok(record) => accept(record, now).map(Some),
                Err(e) => Err(format!("skipped: not a record ({e})")),
            }
        }
        Err(_) if torn => Err("skipped an incomplete last line (the write was cut off)".to_owned()),
        Err(e) => Err(format!("skipped: not JSON ({e})")),
    }
}

/// A usable line of the log as [`Store::scan`] hands it on.
#[allow(
    clippy::large_enum_variant,
    reason = "one at a time, handed on; most lines are sets"
)]
pub enum Line<'a> {
    /// A set, checked and normalised, borrowing from the line where it can.
    Set(SetView<'a>),
    /// A morning pain score, checked.
    Pain(PainView<'a>),
    /// A checked record of a kind that has no view: passed on whole.
    Other(&'a Record),
    /// A line of a newer schema version: not read.
    Newer,
}

/// What [`Store::scan`] reads at a time: large enough that a read is cheap per byte,
/// small enough that two of them are little memory.
const CHUNK: usize = 1 << 20;

/// A line parsed straight into its view when it is a set or a pain score of this
/// version as this program writes it; `None` sends it the careful way.
fn fast_line(raw: &[u8], now: jiff::Timestamp) -> Option<Result<Line<'_>, String>> {
    // One check of the whole line's UTF-8 instead of one a string; a line that is not
    // UTF-8 goes the careful way.
    let text = std::str::from_utf8(raw).ok()?;
    // Lines as this program writes them start with their kind.
    let is = |kind: &str| {
        text.get(1..)
            .is_some_and(|t| t.starts_with(kind) && text.starts_with('{'))
            || text.contains(kind)
    };
    if is(r#""kind":"set""#) {
        let mut set: SetView = serde_json::from_str(text).ok()?;
        if set.kind != "set" || set.v > VERSION {
            return None;
        }
        set.normalise();
        Some(match set.check(now) {
            Ok(()) => Ok(Line::Set(set)),
            Err(e) => Err(format!("skipped: {e}")),
        })
    } else if is(r#""kind":"pain""#) {
        let pain: PainView = serde_json::from_str(text).ok()?;
        if pain.kind != "pain" || pain.v > VERSION {
            return None;
        }
        Some(match pain.check(now) {
            Ok(()) => Ok(Line::Pain(pain)),
            Err(e) => Err(format!("skipped: {e}")),
        })
    } else {
        None
    }
}

/// Hands each usable line of `bytes` (whole lines, the first being line `first`) to
/// `visit`; returns the warnings for the others. `torn_end`: the last line is the end
/// of a file that does not end with a newline.
fn scan_chunk(
    path: &Path,
    bytes: &[u8],
    first: usize,
    torn_end: bool,
    now: jiff::Timestamp,
    visit: &mut dyn FnMut(Line<'_>),
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut number = first;
    let mut rest = bytes;
    while !rest.is_empty() {
        let (raw, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let message = match fast_line(raw, now) {
            Some(Ok(line)) => {
                visit(line);
                None
            }
            Some(Err(message)) => Some(message),
            None => {
                let torn = torn_end && next.is_empty() && !raw.is_empty();
                match careful(raw, number, torn, now) {
                    Ok(Some(Entry::Record(record))) => {
                        // Chains of `if let`, not a `match`: a kind added to `Record`
                        // reaches `Other` without a change here.
                        if let Record::Set(r) = &record {
                            visit(Line::Set(r.view()));
                        } else if let Record::Pain(p) = &record {
                            visit(Line::Pain(p.view()));
                        } else {
                            visit(Line::Other(&record));
                        }
                        None
                    }
                    Ok(Some(Entry::Newer { .. })) => {
                        visit(Line::Newer);
                        None
                    }
                    Ok(None) => None,
                    Err(message) => Some(message),
                }
            }
        };
        if let Some(message) = message {
            warnings.push(Warning {
                path: path.to_owned(),
                line: number,
                message,
            });
        }
        number += 1;
        rest = next;
    }
    warnings
}

/// Where the threads of [`Store::scan`] take their next piece of the file from.
struct Cursor {
    file: File,
    /// The start of a line that the previous piece cut off.
    carry: Vec<u8>,
    /// The number of the next piece's first line, and the piece's place in the file.
    line: usize,
    index: usize,
    done: bool,
    /// How much a piece holds at least, unless the file ends first.
    chunk: usize,
}

/// One piece of the file: whole lines.
struct Piece {
    index: usize,
    first_line: usize,
    torn_end: bool,
}

impl Cursor {
    /// Fills `buf` with the next whole lines (the last piece may end without a
    /// newline), or returns `None` at the end of the file.
    fn next(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<Piece>> {
        use std::io::Read;
        if self.done {
            return Ok(None);
        }
        buf.clear();
        buf.append(&mut self.carry);
        let mut eof = false;
        // Read until the piece holds a line break past what was carried and is at
        // least CHUNK long, or the file ends. (What was carried holds no line break.)
        let mut searched = buf.len();
        let mut has_break = false;
        while !(has_break && buf.len() >= self.chunk) {
            let before = buf.len();
            buf.resize(before + self.chunk, 0);
            let n = loop {
                match self.file.read(&mut buf[before..]) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                    Ok(n) => break n,
                }
            };
            buf.truncate(before + n);
            if n == 0 {
                eof = true;
                break;
            }
            has_break = has_break || memchr::memchr(b'\n', &buf[searched..]).is_some();
            searched = buf.len();
        }
        let keep = if eof {
            buf.len()
        } else {
            memchr::memrchr(b'\n', buf).map_or(buf.len(), |i| i + 1)
        };
        self.carry.extend_from_slice(&buf[keep..]);
        buf.truncate(keep);
        if eof {
            self.done = true;
            if buf.is_empty() {
                return Ok(None);
            }
        }
        let torn_end = eof && buf.last() != Some(&b'\n');
        let lines = memchr::memchr_iter(b'\n', buf).count() + usize::from(torn_end);
        let piece = Piece {
            index: self.index,
            first_line: self.line,
            torn_end,
        };
        self.index += 1;
        self.line += lines;
        Ok(Some(piece))
    }
}

/// How many threads read: parsing is the cost, and the machine's cores share it.
fn readers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

impl Store {
    /// Reads the log in pieces of whole lines on every core, without keeping it:
    /// each piece gets a fresh accumulator from `fresh`, and `visit` is called with it
    /// for each usable line of the piece, in order. Returns the accumulators in the
    /// order of the file, and a warning for each line that is not usable, in line
    /// order. Every line is checked as [`Store::read`] checks it, against `now`.
    ///
    /// # Errors
    /// As [`Store::read`].
    pub fn scan<A: Send>(
        &self,
        now: jiff::Timestamp,
        fresh: &(dyn Fn() -> A + Sync),
        visit: &(dyn Fn(&mut A, Line<'_>) + Sync),
    ) -> Result<(Vec<A>, Vec<Warning>), LogError> {
        self.scan_in(CHUNK, now, fresh, visit)
    }

    /// [`Store::scan`] in pieces of about `chunk` bytes: tests cut small pieces.
    pub(crate) fn scan_in<A: Send>(
        &self,
        chunk: usize,
        now: jiff::Timestamp,
        fresh: &(dyn Fn() -> A + Sync),
        visit: &(dyn Fn(&mut A, Line<'_>) + Sync),
    ) -> Result<(Vec<A>, Vec<Warning>), LogError> {
        let Some(file) = self.open_for_reading()? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let read = |source| LogError::Read {
            path: self.path.clone(),
            source,
        };
        let cursor = Mutex::new(Cursor {
            file,
            carry: Vec::new(),
            line: 1,
            index: 0,
            done: false,
            chunk: chunk.max(1),
        });
        let work = || -> std::io::Result<Vec<(usize, A, Vec<Warning>)>> {
            let mut done = Vec::new();
            let mut buf = Vec::with_capacity(chunk * 2);
            loop {
                let piece = cursor
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .next(&mut buf)?;
                let Some(piece) = piece else {
                    return Ok(done);
                };
                let mut acc = fresh();
                let warnings = scan_chunk(
                    &self.path,
                    &buf,
                    piece.first_line,
                    piece.torn_end,
                    now,
                    &mut |line| visit(&mut acc, line),
                );
                done.push((piece.index, acc, warnings));
            }
        };
        let mut pieces = std::thread::scope(|s| {
            let others: Vec<_> = (1..readers()).map(|_| s.spawn(work)).collect();
            let mut all = work()?;
            for other in others {
                match other.join() {
                    Ok(result) => all.extend(result?),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok(all)
        })
        .map_err(read)?;
        pieces.sort_unstable_by_key(|(index, _, _)| *index);
        let mut warnings = Vec::new();
        let accs = pieces
            .into_iter()
            .map(|(_, acc, w)| {
                warnings.extend(w);
                acc
            })
            .collect();
        Ok((accs, warnings))
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::log::record::PainRecord;

    fn now() -> jiff::Timestamp {
        "2026-12-01T12:00:00Z".parse().unwrap()
    }

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
        let (entries, warnings) = parse_lines(Path::new("t"), &bytes, now());
        assert_eq!(entries.len(), n - 1);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, n - 4);
        // Cut mid-line at the end: the torn line is the last one, whatever the halves.
        let torn = &bytes[..bytes.len() - 10];
        let (_, warnings) = parse_lines(Path::new("t"), torn, now());
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
    fn a_value_that_cannot_be_true_is_skipped_naming_line_and_field() {
        let good = pain(2).to_line();
        let text = format!(
            "{good}\n{}\n{}\n{good}\n",
            good.replace("\"pain\":2", "\"pain\":200"),
            good.replace("2026-11-24T08", "2026-12-24T08"),
        );
        let (entries, warnings) = parse_lines(Path::new("sets.jsonl"), text.as_bytes(), now());
        assert_eq!(entries.len(), 2);
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "sets.jsonl:2: skipped: pain 200 is not 0-10",
                "sets.jsonl:3: skipped: at 2026-12-24T08:00:00.000+01:00 is in the future",
            ]
        );
    }

    #[test]
    fn advice_records_are_read_back_and_a_bad_one_is_skipped_naming_its_line() {
        let good = Record::Advice(crate::log::record::tests::advice());
        let line = good.to_line();
        let text = format!(
            "{}\n{line}\n{}\n{}\n{}\n",
            pain(2).to_line(),
            line.replace(r#""decision":"regress""#, r#""decision":"double it""#),
            line.replace(r#""exercise":"Squat","#, ""),
            // A newer version is kept as it is, never read.
            line.replace(r#""v":1"#, r#""v":2"#),
        );
        let (entries, warnings) = parse_lines(Path::new("sets.jsonl"), text.as_bytes(), now());
        assert_eq!(entries[..2], [Entry::Record(pain(2)), Entry::Record(good)]);
        assert!(matches!(entries[2], Entry::Newer { line: 5, .. }));
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert_eq!(
            shown[0],
            "sets.jsonl:3: skipped: decision \"double it\" is not one of progress, hold, regress, stage"
        );
        assert!(
            shown[1].starts_with("sets.jsonl:4: skipped: not a record (missing field `exercise`"),
            "{}",
            shown[1]
        );
    }

    #[test]
    fn what_is_not_a_regular_file_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        let mut paths = vec![PathBuf::from("/dev/zero"), dir.path().to_owned()];
        if made {
            paths.push(fifo);
        } else {
            println!("SKIPPED the FIFO case: mkfifo is not available");
        }
        for path in paths {
            let store = Store::at(path.clone());
            for error in [
                store.read().unwrap_err(),
                store.append(&pain(1)).unwrap_err(),
                store.check_writable(&|_| {}).unwrap_err(),
            ] {
                let text = crate::error_chain(&error);
                assert!(text.contains("is not a regular file"), "{text}");
            }
        }
    }

    /// A sink that takes `room` bytes and then fails, like a disk that fills up.
    struct Filling {
        bytes: Vec<u8>,
        room: usize,
        fail_sync: bool,
    }

    impl Sink for Filling {
        fn len(&self) -> std::io::Result<u64> {
            Ok(self.bytes.len() as u64)
        }
        fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            let n = bytes.len().min(self.room);
            self.bytes.extend_from_slice(&bytes[..n]);
            self.room -= n;
            if n < bytes.len() {
                return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
            }
            Ok(())
        }
        fn sync(&mut self) -> std::io::Result<()> {
            if self.fail_sync {
                return Err(std::io::Error::other("sync failed"));
            }
            Ok(())
        }
        fn truncate(&mut self, len: u64) -> std::io::Result<()> {
            self.bytes.truncate(usize::try_from(len).unwrap());
            Ok(())
        }
    }

    #[test]
    fn a_write_that_fails_part_way_leaves_the_file_as_it_was() {
        let mut sink = Filling {
            bytes: b"line one\n".to_vec(),
            room: 5,
            fail_sync: false,
        };
        let error = append_whole(&mut sink, b"line two\n").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
        assert_eq!(sink.bytes, b"line one\n");
        let mut sink = Filling {
            bytes: b"line one\n".to_vec(),
            room: 100,
            fail_sync: true,
        };
        assert!(append_whole(&mut sink, b"line two\n").is_err());
        assert_eq!(sink.bytes, b"line one\n", "a line not synced is taken back");
        sink.fail_sync = false;
        append_whole(&mut sink, b"line two\n").unwrap();
        assert_eq!(sink.bytes, b"line one\nline two\n");
    }

    #[test]
    fn a_full_disk_leaves_only_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            // Past the test harness's capture of `println!`, so the skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED a_full_disk_leaves_only_whole_lines: cannot mount a small tmpfs"
            );
            return;
        }
        let store = Store::at(dir.path().join("sets.jsonl"));
        let mut failed = None;
        for _ in 0..1000 {
            if let Err(e) = store.append(&pain(3)) {
                failed = Some(e);
                break;
            }
        }
        let (entries, warnings) = store.read().unwrap();
        let size = std::fs::metadata(store.path()).unwrap().len();
        let _ = std::process::Command::new("umount")
            .arg(dir.path())
            .status();
        assert!(matches!(failed, Some(LogError::Write { .. })), "{failed:?}");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            size,
            (pain(3).to_line().len() as u64 + 1) * entries.len() as u64
        );
    }

    #[test]
    fn the_writer_reports_each_record_and_a_lock_held_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("sets.jsonl"));
        store.append(&pain(0)).unwrap();
        // Another program holds the lock for 1.3 s.
        let holder = File::options().append(true).open(store.path()).unwrap();
        holder.lock().unwrap();
        let (tx, events) = std::sync::mpsc::channel();
        let writer = Writer::spawn(store.clone(), move |e| {
            let _ = tx.send(e);
        })
        .unwrap();
        writer.write(pain(1));
        assert!(
            unwritten_report(store.path())
                .unwrap()
                .starts_with(&format!(
                    "1 set NOT written to {}:\n",
                    store.path().display()
                ))
        );
        let first = events.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(matches!(first, WriteEvent::Waiting { ref path } if path == store.path()));
        std::thread::sleep(Duration::from_millis(300));
        drop(holder);
        let second = events.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(matches!(second, WriteEvent::Written { record } if record == pain(1)));
        assert_eq!(unwritten_report(store.path()), None);
        assert!(writer.finish_unless(&|| false).is_empty());
        assert_eq!(store.read().unwrap().0.len(), 2);
    }

    #[test]
    fn giving_up_on_a_held_lock_hands_back_what_was_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("sets.jsonl"));
        store.append(&pain(0)).unwrap();
        let holder = File::options().append(true).open(store.path()).unwrap();
        holder.lock().unwrap();
        let writer = Writer::spawn(store.clone(), |_| {}).unwrap();
        writer.write(pain(1));
        writer.write(pain(2));
        let report = unwritten_report(store.path()).unwrap();
        assert_eq!(
            report,
            format!(
                "2 sets NOT written to {}:\n{}\n{}\n",
                store.path().display(),
                pain(1).to_line(),
                pain(2).to_line()
            )
        );
        let began = Instant::now();
        let left = writer.finish_unless(&|| began.elapsed() > Duration::from_millis(200));
        assert!(began.elapsed() < Duration::from_secs(2));
        assert_eq!(left, [pain(1), pain(2)]);
        assert_eq!(
            unwritten_report(store.path()),
            None,
            "handed back, not listed"
        );
        drop(holder);
        assert_eq!(store.read().unwrap().0.len(), 1);
    }

    #[test]
    fn a_refused_record_is_reported_and_handed_back() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the log's folder should be: the log cannot be opened.
        let blocker = dir.path().join("sub");
        std::fs::write(&blocker, "").unwrap();
        let store = Store::at(blocker.join("sets.jsonl"));
        let (tx, events) = std::sync::mpsc::channel();
        let writer = Writer::spawn(store.clone(), move |e| {
            let _ = tx.send(e);
        })
        .unwrap();
        writer.write(pain(4));
        let event = events.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(matches!(event, WriteEvent::Failed { ref record, .. } if *record == pain(4)));
        assert_eq!(writer.finish_unless(&|| false), [pain(4)]);
        let error = store.check_writable(&|_| {}).unwrap_err().to_string();
        assert!(
            error.contains(&store.path().display().to_string()) && error.contains("--no-log"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_log_is_empty() {
        let store = Store::at(PathBuf::from("/nonexistent/sets.jsonl"));
        assert_eq!(store.read().unwrap(), (Vec::new(), Vec::new()));
    }
}
