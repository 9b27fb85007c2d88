//! A terminal for the tests that need one: a tmux server of its own (its own socket, so
//! tests never meet a person's tmux or each other), an 80x24 window running one command,
//! and its screen read back. Each test skips visibly where tmux is missing.

use std::io::Write as _;
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long a test waits for a text before it fails: long enough for a loaded machine.
const PATIENCE: Duration = Duration::from_secs(15);

/// A tmux server running one command; killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `command` in an 80x24 window, or says SKIPPED on stderr and gives `None`
    /// when tmux is not installed.
    pub fn start(name: &str, command: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            let _ = writeln!(std::io::stderr(), "SKIPPED: tmux is not installed");
            return None;
        }
        let tmux = Tmux {
            socket: format!("reptempo-test-{name}-{}", std::process::id()),
        };
        let ok = tmux
            .run(&["new-session", "-d", "-x", "80", "-y", "24", command])
            .status
            .success();
        assert!(ok, "tmux did not start");
        Some(tmux)
    }

    /// Runs a tmux command on this server.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    /// Types `keys` (tmux key names, or text).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// The screen's text, one line per row.
    pub fn screen(&self) -> String {
        self.capture(&["capture-pane", "-p"])
    }

    /// The screen's text with the lines the terminal wrapped joined again (for plain
    /// output longer than a row).
    pub fn joined_screen(&self) -> String {
        self.capture(&["capture-pane", "-p", "-J"])
    }

    /// The screen with its attributes as escape sequences.
    pub fn styled_screen(&self) -> String {
        self.capture(&["capture-pane", "-p", "-e"])
    }

    /// The screen once it shows `text`; fails the test after [`PATIENCE`].
    pub fn wait_for(&self, text: &str) -> String {
        self.wait(text, Self::screen)
    }

    /// [`Tmux::wait_for`] on the [`Tmux::joined_screen`].
    pub fn wait_for_joined(&self, text: &str) -> String {
        self.wait(text, Self::joined_screen)
    }

    /// A tmux format variable of the pane, such as `alternate_on` or `cursor_flag`.
    pub fn flag(&self, name: &str) -> String {
        let out = self.run(&["display-message", "-p", &format!("#{{{name}}}")]);
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    fn capture(&self, args: &[&str]) -> String {
        String::from_utf8(self.run(args).stdout).unwrap()
    }

    fn wait(&self, text: &str, read: fn(&Tmux) -> String) -> String {
        let started = Instant::now();
        loop {
            let screen = read(self);
            if screen.contains(text) {
                return screen;
            }
            assert!(started.elapsed() < PATIENCE, "no {text:?} on:\n{screen}");
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}
