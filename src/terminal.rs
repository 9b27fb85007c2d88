//! The edges a running session listens to: keys from the terminal and signals, both
//! turned into [`Input`] messages on one channel, and the terminal's raw mode, which is
//! undone on every way out (normal end, error, panic, a second Ctrl-C).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Mutex, PoisonError};

use crossterm::event::{self, KeyCode, KeyEventKind, KeyModifiers};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP};

use crate::input::Input;

/// Whether this process put the terminal into raw mode.
static RAW: AtomicBool = AtomicBool::new(false);
/// Interrupts seen (Ctrl-C keys and SIGINTs): the second one exits at once.
static INTERRUPTS: AtomicUsize = AtomicUsize::new(0);

/// Whether the full-screen display holds the terminal (alternate screen, raw mode).
static FULL_SCREEN: AtomicBool = AtomicBool::new(false);

/// Leaves raw mode (and the full-screen display), if this process entered it. Safe to
/// call from any thread, twice.
pub fn restore() {
    if FULL_SCREEN.swap(false, Ordering::SeqCst) {
        ratatui::restore();
        // ratatui leaves showing the cursor to its Terminal's drop, which an exit skips.
        let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
    }
    if RAW.swap(false, Ordering::SeqCst) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Gives the terminal back and stops the process (as Ctrl-Z does in a shell) until it is
/// continued (`fg`); then takes the terminal again as it was. The caller redraws.
pub fn suspend() {
    let full_screen = FULL_SCREEN.load(Ordering::SeqCst);
    let raw = RAW.load(Ordering::SeqCst);
    restore();
    // Stops here until SIGCONT.
    let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
    if full_screen {
        if crossterm::terminal::enable_raw_mode().is_ok() {
            let _ = crossterm::execute!(
                std::io::stdout(),
                crossterm::terminal::EnterAlternateScreen,
                crossterm::cursor::Hide
            );
            FULL_SCREEN.store(true, Ordering::SeqCst);
        }
    } else if raw && crossterm::terminal::enable_raw_mode().is_ok() {
        RAW.store(true, Ordering::SeqCst);
    }
}

/// Clears the screen and makes the next draw a complete one, as after `fg` (the terminal's
/// screen is not what ratatui last drew).
///
/// Not `Terminal::clear`: that asks the terminal where its cursor is, which waits for the
/// key reader's lock, held by the reader thread while it waits for a key: the display then
/// hangs on a blank screen until a key comes. Resizing to the same area clears and resets
/// the back buffer without that question.
///
/// # Errors
/// When the backend cannot tell its size or clear.
pub fn redraw_all<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
) -> Result<(), B::Error> {
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Takes the terminal for the full-screen display (ratatui's `init`, which also restores
/// it on a panic); [`restore`] gives it back.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn full_screen() -> std::io::Result<ratatui::DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    FULL_SCREEN.store(true, Ordering::SeqCst);
    Ok(terminal)
}

/// Raw mode for single-key input; left again when dropped.
pub struct RawMode(());

impl RawMode {
    /// Enters raw mode and makes sure a panic leaves it before the message is printed.
    ///
    /// # Errors
    /// When the terminal refuses raw mode.
    pub fn enter() -> std::io::Result<RawMode> {
        crossterm::terminal::enable_raw_mode()?;
        RAW.store(true, Ordering::SeqCst);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        Ok(RawMode(()))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        restore();
    }
}

/// Counts an interrupt; on the second, restores the terminal, prints every set record
/// not yet on disk to stderr (so none is lost) and exits with 130 at once.
fn interrupt(inbox: &Sender<Input>) {
    if INTERRUPTS.fetch_add(1, Ordering::SeqCst) >= 1 {
        // A record being written to a free log lands within milliseconds; one waiting
        // for another program's lock is not waited for.
        crate::log::store::give_up();
        for _ in 0..20 {
            if crate::log::store::all_written() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        restore();
        eprint!(
            "\r\nreptempo: interrupted twice; exiting now\r\n{}",
            crate::log::store::every_unwritten_report()
        );
        std::process::exit(130);
    }
    let _ = inbox.send(Input::Interrupt);
}

/// Where keys and signals go: one reader thread each for the whole process, pointed at
/// the current screen's inbox (the home screen's, then the session's).
static KEY_SINK: Mutex<Option<Sender<Input>>> = Mutex::new(None);
static SIGNAL_SINK: Mutex<Option<Sender<Input>>> = Mutex::new(None);
static KEYS_STARTED: AtomicBool = AtomicBool::new(false);
static SIGNALS_STARTED: AtomicBool = AtomicBool::new(false);

fn send_key(input: Input) -> bool {
    let sink = KEY_SINK.lock().unwrap_or_else(PoisonError::into_inner);
    sink.as_ref().is_some_and(|tx| tx.send(input).is_ok())
}

/// Sends SIGINT, SIGTERM, SIGHUP (the terminal closed) and SIGTSTP to `inbox` as
/// [`Input::Interrupt`], [`Input::Terminate`], [`Input::HangUp`] and
/// [`Input::Suspend`].
///
/// # Errors
/// When the signal handlers cannot be installed.
pub fn listen_for_signals(inbox: Sender<Input>) -> std::io::Result<()> {
    *SIGNAL_SINK.lock().unwrap_or_else(PoisonError::into_inner) = Some(inbox);
    if SIGNALS_STARTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGTSTP])?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            for signal in signals.forever() {
                let sink = SIGNAL_SINK
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone();
                let Some(inbox) = sink else { continue };
                match signal {
                    SIGINT => interrupt(&inbox),
                    SIGHUP => {
                        let _ = inbox.send(Input::HangUp);
                    }
                    SIGTSTP => {
                        let _ = inbox.send(Input::Suspend);
                    }
                    _ => {
                        // A wait for another program's lock ends: the records go to
                        // stderr instead.
                        crate::log::store::give_up();
                        let _ = inbox.send(Input::Terminate);
                    }
                }
            }
        })?;
    Ok(())
}

/// Sends key presses and resizes from the terminal to `inbox` (raw mode must be on).
/// Ctrl-C is an interrupt, not a key.
///
/// # Errors
/// When the reading thread cannot be started.
pub fn listen_for_keys(inbox: Sender<Input>) -> std::io::Result<()> {
    *KEY_SINK.lock().unwrap_or_else(PoisonError::into_inner) = Some(inbox);
    if KEYS_STARTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    std::thread::Builder::new()
        .name("keys".to_owned())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                let key = match ev {
                    event::Event::Key(key) if key.kind == KeyEventKind::Press => key,
                    event::Event::Resize(..) => {
                        send_key(Input::Resize);
                        continue;
                    }
                    _ => continue,
                };
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                if ctrl && key.code == KeyCode::Char('c') {
                    let sink = KEY_SINK
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone();
                    if let Some(inbox) = sink {
                        interrupt(&inbox);
                    }
                    continue;
                }
                // In raw mode the terminal sends Ctrl-Z as a key, not as SIGTSTP.
                if ctrl && key.code == KeyCode::Char('z') {
                    send_key(Input::Suspend);
                    continue;
                }
                send_key(Input::Key(key));
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
    use ratatui::buffer::Cell;
    use ratatui::layout::{Position, Size};
    use ratatui::widgets::Paragraph;

    /// A screen that counts what is written to it and refuses to say where its cursor is
    /// (as a terminal whose key reader holds the event lock cannot).
    struct NoCursorQuery {
        screen: TestBackend,
        written: usize,
    }

    impl Backend for NoCursorQuery {
        type Error = std::io::Error;

        fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
        where
            I: Iterator<Item = (u16, u16, &'a Cell)>,
        {
            let cells: Vec<_> = content.collect();
            self.written += cells.len();
            self.screen
                .draw(cells.into_iter())
                .map_err(std::io::Error::other)
        }
        fn hide_cursor(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
        fn show_cursor(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
        fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
            Err(std::io::Error::other("asked for the cursor"))
        }
        fn set_cursor_position<P: Into<Position>>(&mut self, _: P) -> Result<(), Self::Error> {
            Ok(())
        }
        fn clear(&mut self) -> Result<(), Self::Error> {
            self.screen.clear().map_err(std::io::Error::other)
        }
        fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
            self.screen
                .clear_region(clear_type)
                .map_err(std::io::Error::other)
        }
        fn size(&self) -> Result<Size, Self::Error> {
            self.screen.size().map_err(std::io::Error::other)
        }
        fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
            self.screen.window_size().map_err(std::io::Error::other)
        }
        fn flush(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
    }

    #[test]
    fn a_redraw_after_fg_clears_and_draws_everything_without_asking_for_the_cursor() {
        let backend = NoCursorQuery {
            screen: TestBackend::new(20, 3),
            written: 0,
        };
        let mut terminal = Terminal::new(backend).unwrap();
        let text = "PAUSED";
        let draw = |t: &mut Terminal<NoCursorQuery>| {
            t.draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                .unwrap();
        };
        draw(&mut terminal);
        terminal.backend_mut().written = 0;
        // An unchanged frame writes nothing: ratatui believes the screen is as drawn.
        draw(&mut terminal);
        assert_eq!(terminal.backend().written, 0);
        super::redraw_all(&mut terminal).unwrap();
        draw(&mut terminal);
        assert!(
            terminal.backend().written >= text.len(),
            "only {} cells drawn after the redraw",
            terminal.backend().written
        );
        terminal.backend().screen.assert_buffer_lines([
            "PAUSED              ",
            "                    ",
            "                    ",
        ]);
    }
}
