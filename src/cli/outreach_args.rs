//! Arguments of the outreach-cycle commands: `outreach`, `gaps`, `watch`.

use crate::outreach::Status;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Output formats of the outreach log and the lists built on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// A JSON array.
    Json,
    /// UTF-8 with BOM, for spreadsheets.
    Csv,
}

/// `musubi outreach …`
#[derive(Debug, Subcommand)]
pub enum OutreachCommand {
    /// Record where a (subject, candidate) pair stands; a correction is a new line.
    Add {
        /// A need, proposal, organisation or researcher id, or `adhoc:<slug>`.
        #[arg(long, value_name = "ID")]
        subject: String,
        /// A dataset, organisation or researcher id.
        #[arg(long, value_name = "ID")]
        candidate: String,
        /// listed, contacted, replied, meeting, applied, approved, declined or closed.
        #[arg(long, value_name = "STATUS")]
        status: Status,
        /// Free text kept with the line.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// When it happened (YYYY-MM-DD, Japan time, or RFC 3339); default: now.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// The log to write (default: outreach.jsonl in the data directory).
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
    },
    /// The latest status of every pair (its whole history in JSON).
    List {
        #[arg(long, value_name = "ID")]
        subject: Option<String>,
        #[arg(long, value_name = "ID")]
        candidate: Option<String>,
        /// Only pairs whose latest status is this.
        #[arg(long, value_name = "STATUS")]
        status: Option<Status>,
        /// Only pairs with a line on or after this date (YYYY-MM-DD, Japan time).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[arg(long, value_enum, default_value_t = LogFormat::Table)]
        format: LogFormat,
        /// The log to read (default: outreach.jsonl in the data directory).
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
    },
}

/// Output formats of `musubi gaps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GapsFormat {
    /// Grouped by disease, for a terminal.
    #[default]
    Table,
    Json,
    /// UTF-8 with BOM, one row per need or proposal.
    Csv,
    /// A memo grouped by disease.
    Md,
    /// An Excel workbook (needs --output).
    Xlsx,
}

/// `musubi gaps …`
#[derive(Debug, Clone, Args)]
pub struct GapsArgs {
    #[arg(long, value_enum, default_value_t = GapsFormat::Table)]
    pub format: GapsFormat,
    /// Write to this file (atomically) instead of the terminal.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `musubi watch …`: saved searches.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub action: Option<WatchAction>,
    /// The saved search to look at (default: all of them).
    pub name: Option<String>,
    #[arg(long, value_enum, default_value_t = super::args::ListFormat::Table)]
    pub format: super::args::ListFormat,
}

/// What to do with saved searches.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Save a search under a name (its current hits count as seen).
    Add {
        name: String,
        /// What to look for.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this kind of record.
        #[arg(long, value_enum)]
        kind: Option<super::args::KindArg>,
    },
    /// Forget a saved search.
    Rm { name: String },
}

/// `musubi news …`
#[derive(Debug, Clone, Args)]
pub struct NewsArgs {
    /// From this date (YYYY-MM-DD, Japan time, or RFC 3339); default: each subject's last
    /// logged outreach, else the latest index build.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only this need or proposal.
    #[arg(long, value_name = "ID")]
    pub subject: Option<String>,
    #[arg(long, value_enum, default_value_t = LogFormat::Table)]
    pub format: LogFormat,
    /// The outreach log to read (default: outreach.jsonl in the data directory).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

/// Formats of a draft application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DraftFormat {
    /// Markdown (pastes into a word processor or a mail).
    #[default]
    Md,
    /// A Word document (needs --output).
    Docx,
}

/// Languages of a draft application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DraftLang {
    #[default]
    Ja,
    En,
}

/// `musubi draft …`
#[derive(Debug, Clone, Args)]
pub struct DraftArgs {
    /// The need or proposal that asks.
    #[arg(long, value_name = "ID")]
    pub subject: String,
    /// The dataset applied for.
    #[arg(long, value_name = "ID")]
    pub dataset: String,
    #[arg(long, value_enum, default_value_t = DraftFormat::Md)]
    pub format: DraftFormat,
    /// Write to this file (atomically) instead of the terminal.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = DraftLang::Ja)]
    pub lang: DraftLang,
    /// Also log `applied` for the pair (in FILE, else the usual outreach log).
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub log: Option<Option<PathBuf>>,
}
