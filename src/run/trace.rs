//! The `--trace` file: one JSON line per cue, with when it was due and when it was
//! issued, times relative to the session start (the timing benchmark reads it).

use std::io::Write;

use crate::plan::Cue;
use crate::span::Span;

pub struct Trace {
    file: Option<std::io::LineWriter<std::fs::File>>,
    start: Span,
    /// Set when a line could not be written: the run then exits 1, since the trace a
    /// benchmark reads is incomplete.
    pub failed: bool,
}

impl Trace {
    /// Creates the file, if one is asked for.
    pub fn create(path: Option<&std::path::Path>, start: Span) -> std::io::Result<Trace> {
        let file = match path {
            Some(path) => Some(std::io::LineWriter::new(std::fs::File::create(path)?)),
            None => None,
        };
        Ok(Trace {
            file,
            start,
            failed: false,
        })
    }

    pub fn write(&mut self, cue: &Cue, due: Span, issued: Span) {
        let Some(file) = self.file.as_mut() else {
            return;
        };
        let rel = |t: Span| t.saturating_sub(self.start).as_secs_f64();
        let line = serde_json::json!({
            "offset_s": cue.offset.as_secs_f64(),
            "due_s": rel(due),
            "issued_s": rel(issued),
            "kind": cue.kind.name(),
        });
        if writeln!(file, "{line}").is_err() {
            self.file = None;
            self.failed = true;
            eprintln!("reptempo: cannot write the trace; tracing stopped");
        }
    }
}
