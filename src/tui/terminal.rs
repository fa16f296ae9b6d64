//! Entering and leaving the full-screen terminal: raw mode, alternate screen, mouse capture and
//! bracketed paste; a panic hook puts the terminal back before the panic message is printed,
//! and so does a signal that ends the app (`kill`, a closed terminal, `timeout`).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io;

/// Enters the app's terminal mode.
pub fn init() -> io::Result<DefaultTerminal> {
    // `try_init` enters raw mode and the alternate screen and installs a hook that leaves them
    // on panic; ours runs first and also turns off mouse capture and bracketed paste.
    let terminal = ratatui::try_init()?;
    crate::termination::app_terminal(true);
    let previous = std::panic::take_hook();
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        // Only a panic of the UI thread ends the app; a worker's panic is caught and shown
        // in the app, which still needs its terminal.
        if std::thread::current().id() == ui_thread {
            let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
            previous(info);
        }
    }));
    if let Err(e) = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste) {
        restore();
        return Err(e);
    }
    if let Err(e) = crate::termination::install() {
        restore();
        return Err(e);
    }
    Ok(terminal)
}

/// Leaves the app's terminal mode (also safe when it was never entered).
pub fn restore() {
    crate::termination::app_terminal(false);
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}
