//! What the tests through the binary share: the binary in a clean environment (no user
//! presets, no colour, a log only where a test names one) and reading what it wrote.

// Each test file uses part of this.
#![allow(dead_code)]

pub mod tmux;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The binary with no user presets and no log unless a test says otherwise.
pub fn reptempo() -> Command {
    let mut cmd = Command::cargo_bin("reptempo").unwrap();
    cmd.env("XDG_CONFIG_HOME", "/nonexistent")
        .env("REPTEMPO_LOG", "/nonexistent/sets.jsonl")
        .env_remove("NO_COLOR")
        .env_remove("TZ");
    cmd
}

/// The binary with `log` as its log (through `$REPTEMPO_LOG`, as a person sets it).
pub fn reptempo_logging_to(log: &Path) -> Command {
    let mut cmd = reptempo();
    cmd.env("REPTEMPO_LOG", log);
    cmd
}

/// Every line of a log as JSON.
pub fn read_log(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `show --json` of `args`.
pub fn show_json(args: &[&str]) -> Value {
    let out = reptempo()
        .args(["show", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
