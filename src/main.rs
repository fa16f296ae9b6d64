//! The `musubi` binary: parses the command line and hands over to the CLI or the TUI.

use clap::Parser;
use musubi::cli::{self, args::Cli};
use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

/// Asks Linux not to back this process's memory with transparent huge pages. mimalloc asks
/// for them where the system leaves it to programs, and on the machines measured, filling
/// fresh memory a huge page at a time made the first read of a catalog three times slower, or
/// not, depending on what the system had free (docs/performance.md, round 5).
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how the kernel backs
    // this process's future memory; a failure (an old kernel) leaves it as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc: the index build, snapshot and vocabulary decode make millions of small
/// allocations, which glibc's allocator made a sixth of the build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_transparent_huge_pages();
    let cli = Cli::parse();
    if let Err(e) = cli.check() {
        e.exit();
    }
    if cli.command.is_none() {
        return musubi::tui::run_app(cli::launch(&cli));
    }
    // A command stopped by a signal removes its unfinished exports' temporary files; should
    // the signals not be caught, it is stopped as before.
    let _ = musubi::termination::install();
    match run_writing_to_stdout(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let message = musubi::cli::error_text(&e);
            eprintln!("musubi: {}", musubi::terminal_text::lines(&message));
            ExitCode::from(1)
        }
    }
}

/// Runs the command, its output to standard output: a line at a time to a terminal, in
/// blocks to a file or a pipe (a news or `--all-needs` report can run to hundreds of
/// megabytes, and a write per line was half of a news run's time at 200,000 records).
fn run_writing_to_stdout(cli: Cli) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        return cli::run(cli, &mut stdout.lock());
    }
    let mut out = BufWriter::with_capacity(OUTPUT_BLOCK, stdout.lock());
    let code = cli::run(cli, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// How much output is gathered before it is written to a file or a pipe.
const OUTPUT_BLOCK: usize = 64 * 1024;

/// True when the reader of our output went away (`musubi search … | head`): not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
