//! When a signal ends the program (Ctrl-C, `kill`, a closed terminal, `timeout`): the
//! temporary files of unfinished atomic writes are removed and, while the app holds the
//! terminal, the terminal is put back; then the program ends as the signal would have ended it
//! (a shell sees 128 + the signal's number). Without this, `kill` left the shell in raw mode
//! on the alternate screen, and a stopped export its hidden temporary file.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// The app's terminal mode is on: a signal puts the terminal back first.
static APP_TERMINAL: AtomicBool = AtomicBool::new(false);

/// Says whether the app's terminal mode is on (`tui::terminal`).
pub fn app_terminal(on: bool) {
    APP_TERMINAL.store(on, Ordering::SeqCst);
}

/// Starts the thread that waits for the signals (asleep: no CPU while idle); once per
/// process, later calls do nothing.
pub fn install() -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::sync::OnceLock;
        static STARTED: OnceLock<()> = OnceLock::new();
        if STARTED.get().is_none() {
            wait_for_signals()?;
            let _ = STARTED.set(());
        }
    }
    Ok(())
}

/// True when the program was started with `signal` ignored (`nohup` ignores SIGHUP; a shell
/// without job control, SIGINT for what it runs in the background): it stays ignored.
#[cfg(unix)]
fn started_ignoring(signal: libc::c_int) -> bool {
    // SAFETY: with a null new action, sigaction only reads the current one into `current`.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == libc::SIG_IGN
    }
}

#[cfg(unix)]
fn wait_for_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let caught: Vec<libc::c_int> = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]
        .into_iter()
        .filter(|&signal| !started_ignoring(signal))
        .collect();
    if caught.is_empty() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new(&caught)?;
    let started = std::thread::Builder::new()
        .name("musubi-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                end_on(signal);
            }
        });
    if let Err(e) = started {
        // Without the thread the signals would be caught and never acted on: they end the
        // program as before.
        for &signal in &caught {
            // SAFETY: sets a signal's disposition back to the default, nothing else.
            unsafe {
                libc::signal(signal, libc::SIG_DFL);
            }
        }
        return Err(e);
    }
    Ok(())
}

/// Cleans up after `signal`, then ends the program as it would have.
#[cfg(unix)]
fn end_on(signal: libc::c_int) -> ! {
    // Should the terminal not take what restores it (a terminal that is not read), the
    // program still ends, a moment later.
    let _ = std::thread::Builder::new().spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        let _ = signal_hook::low_level::emulate_default_handler(signal);
        std::process::exit(128 + signal);
    });
    // Held until the end: no write starts (nor leaves a temporary file) meanwhile.
    let _writes_stopped = crate::atomic_file::remove_unfinished();
    if APP_TERMINAL.load(Ordering::SeqCst) {
        crate::tui::terminal::restore();
    }
    // The signal's own ending; should that not end the process, the same status by hand.
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal);
}
