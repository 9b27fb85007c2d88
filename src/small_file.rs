//! Reading a small text file a person wrote (a preset, the config file): what is not a
//! regular file is refused before it is opened, the size is capped, and the first byte
//! that is not UTF-8 is found at its line and column. Each caller says it in its own
//! error type.

use std::io::Read as _;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

/// Why a small text file could not be read.
#[derive(Debug)]
pub enum Unreadable {
    Io(std::io::Error),
    /// Not a regular file: what it is ("a FIFO (named pipe)", "a directory", ...).
    NotAFile(&'static str),
    /// Over the cap given.
    TooLarge,
    /// Not UTF-8: the first bad byte, at its 1-based line and column.
    NotUtf8 {
        line: usize,
        col: usize,
        byte: u8,
    },
}

impl Unreadable {
    /// The sentence for [`Unreadable::NotUtf8`], the same for every file.
    #[must_use]
    pub fn not_utf8_message(byte: u8) -> String {
        format!("the file is not UTF-8 text (byte 0x{byte:02X})")
    }
}

/// The text of `path`, of at most `max` bytes.
///
/// # Errors
/// [`Unreadable`] as above.
pub fn read(path: &Path, max: u64) -> Result<String, Unreadable> {
    // Opening a FIFO blocks until a writer comes, and a device may never end: the kind
    // of file is known before it is opened ...
    regular_file(&std::fs::metadata(path).map_err(Unreadable::Io)?)?;
    // ... opened without blocking (a FIFO put in its place meanwhile does not hang the
    // open; reading a regular file is the same either way) ...
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Unreadable::Io(e.into()))?;
    let file = std::fs::File::from(fd);
    // ... and checked again on what was opened, in case the path changed between.
    regular_file(&file.metadata().map_err(Unreadable::Io)?)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(Unreadable::Io)?;
    if bytes.len() as u64 > max {
        return Err(Unreadable::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let good = std::str::from_utf8(&bytes[..bad]).expect("valid up to here");
        let (line, col) = crate::preset::position(good, good.len());
        Unreadable::NotUtf8 {
            line,
            col,
            byte: bytes[bad],
        }
    })
}

/// `Ok` unless the metadata is of something other than a regular file.
fn regular_file(meta: &std::fs::Metadata) -> Result<(), Unreadable> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    #[cfg(unix)]
    let special = {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            Some("a FIFO (named pipe)")
        } else if kind.is_char_device() {
            Some("a character device")
        } else if kind.is_block_device() {
            Some("a block device")
        } else if kind.is_socket() {
            Some("a socket")
        } else {
            None
        }
    };
    #[cfg(not(unix))]
    let special = None;
    Err(Unreadable::NotAFile(if kind.is_dir() {
        "a directory"
    } else {
        special.unwrap_or("something else")
    }))
}
