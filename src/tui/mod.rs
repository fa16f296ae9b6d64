//! TEMPORARY
pub fn run_app(_g: &crate::cli::args::GlobalArgs) -> std::process::ExitCode {
    eprintln!("TUI not yet");
    std::process::ExitCode::from(2)
}
