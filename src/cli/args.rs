//! The command line: every command the TUI offers is also a subcommand here.

use crate::facets::Facet;
use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// musubi (結び): find, match and export for the consortium's matching-support coordinators.
///
/// Without a command, opens the full-screen app over the data directory (or the bundled
/// sample data).
#[derive(Debug, Parser)]
#[command(name = "musubi", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Open the app without restoring the last session (query, tab, filters, marks).
    #[arg(long)]
    pub fresh: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Checks the combinations of options that clap's attributes cannot express, as clap's
    /// own usage errors (exit code 2).
    pub fn check(&self) -> Result<(), clap::Error> {
        let conflict = |message: String| {
            Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message))
        };
        if self.fresh && self.command.is_some() {
            return conflict(
                "--fresh applies to the app (musubi without a command), not to subcommands".into(),
            );
        }
        match &self.command {
            Some(Command::Search {
                facets: true,
                format: SearchFormat::Csv,
                ..
            }) => conflict(
                "--facets cannot be used with --format csv (one table of hits); use --format json or table".into(),
            ),
            Some(Command::Search {
                kind: Some(kind),
                filters,
                ..
            }) => {
                let kind = crate::model::Kind::from(*kind);
                match filters.iter().find(|(f, _)| !f.applies_to(kind)) {
                    Some((facet, _)) => conflict(format!(
                        "--filter {}=… cannot be used with --kind {}: {} records have no {}; their facets: {}",
                        facet.name(),
                        kind.as_str(),
                        kind.as_str(),
                        facet.name(),
                        crate::facets::filtered::facet_names(kind)
                    )),
                    None => Ok(()),
                }
            }
            Some(Command::Match(args)) if args.text.is_none() && !args.ad_hoc_options().is_empty() => {
                conflict(format!(
                    "{} can only be used with --text (an ad-hoc need); a need, proposal, organisation or researcher brings its own",
                    args.ad_hoc_options().join(", ")
                ))
            }
            Some(Command::Match(args))
                if args.format == MatchFormat::Xlsx
                    && args.output.as_deref().is_none_or(super::match_cmd::is_stdout) =>
            {
                conflict("--format xlsx writes a workbook: add --output FILE.xlsx (not `-`)".into())
            }
            _ => Ok(()),
        }
    }
}

/// Options every command accepts.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Data directory to read (default: the settings' data_dir, else the bundled sample data).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Index directory to use instead of the one in the user data directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
}

/// Output formats of listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// A JSON array.
    Json,
}

/// Output formats of `musubi search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SearchFormat {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// A JSON array of hits (an object of hits and facets with --facets).
    Json,
    /// Columns id, kind, title, title_en, score; UTF-8 with BOM for Excel.
    Csv,
}

/// A `--filter FACET=VALUE` argument: the facet checked here, the value against the data.
fn parse_filter(text: &str) -> Result<(Facet, String), String> {
    let names = Facet::ALL.map(Facet::name).join(", ");
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("expected FACET=VALUE; facets: {names}"));
    };
    let facet = Facet::parse(name)
        .ok_or_else(|| format!("unknown facet \"{}\"; facets: {names}", name.trim()))?;
    if value.trim().is_empty() {
        return Err(format!("no value after \"{}=\"", facet.name()));
    }
    Ok((facet, value.trim().to_string()))
}

/// Kinds as typed on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Dataset,
    Researcher,
    #[value(alias = "organisation")]
    Organization,
    Proposal,
    Need,
}

impl From<KindArg> for crate::model::Kind {
    fn from(k: KindArg) -> Self {
        use crate::model::Kind;
        match k {
            KindArg::Dataset => Kind::Dataset,
            KindArg::Researcher => Kind::Researcher,
            KindArg::Organization => Kind::Organization,
            KindArg::Proposal => Kind::Proposal,
            KindArg::Need => Kind::Need,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rebuild the index now and print the number of records per kind. Only the records of
    /// data files that changed since the last build are indexed again (with the small files
    /// sharing a segment with one, and the files pointing at a record whose name changed);
    /// `--full` indexes every record.
    Index {
        /// Index every record again, keeping nothing of the last build.
        #[arg(long)]
        full: bool,
    },
    /// Full-text search in Japanese, English or both.
    Search {
        /// What to look for (several words: all must match, else any).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this kind of record.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Number of hits to show (1–100000).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        /// Only hits with this facet value (`area=cancer`, `modality=RNA-seq`); repeat for more:
        /// values of one facet are alternatives, different facets must all hold. Facets: area,
        /// disease-group, modality, forum, sector, status, data-use; values in any case.
        #[arg(long = "filter", value_name = "FACET=VALUE", value_parser = parse_filter)]
        filters: Vec<(Facet, String)>,
        /// Also print each facet's values with their counts over all matches (with --format
        /// json the output becomes `{"hits": [...], "facets": {...}}`).
        #[arg(long)]
        facets: bool,
        #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
        format: SearchFormat,
    },
    /// Check the data directory: every error and warning, with file, line and field.
    Validate,
    /// Suggest datasets, partners and proposals for a need, proposal, organisation,
    /// researcher or an ad-hoc need, with reasons and consent conditions.
    Match(Box<MatchArgs>),
    /// Look up words in the disease, modality and strategy vocabulary.
    #[command(subcommand)]
    Vocab(VocabCommand),
    /// Print the paths and settings in use; with --keys, the app's keymap in effect.
    Config {
        /// Print the keymap instead: per context, each action's keys and what it does, `*`
        /// marking keys set in the settings file's [keys]; a [keys] table with problems is
        /// refused, each problem named.
        #[arg(long)]
        keys: bool,
        /// Output format of --keys (json: an array of {context, action, keys, help,
        /// from_config}).
        #[arg(long, value_enum, default_value_t = ListFormat::Table, requires = "keys")]
        format: ListFormat,
    },
    /// The outreach log: record who was contacted about what, list where each pair stands.
    #[command(subcommand)]
    Outreach(super::outreach_args::OutreachCommand),
    /// Needs and proposals that no allowed dataset serves well, with why, grouped by disease.
    Gaps(super::outreach_args::GapsArgs),
    /// Saved searches: `watch add NAME QUERY`, `watch [NAME]` (hits new since the last look),
    /// `watch rm NAME`.
    Watch(super::outreach_args::WatchArgs),
    /// Per need and proposal, the candidates that appeared or changed since a date, since its
    /// last logged outreach, or in the latest index build.
    News(super::outreach_args::NewsArgs),
    /// A pre-filled data-use application (利活用申請の下書き) for a dataset and a need or
    /// proposal; refused, naming the rule, when the dataset is blocked for it.
    Draft(super::outreach_args::DraftArgs),
}

impl Command {
    /// True when the command prints a machine format (JSON, CSV) that must reach stdout byte
    /// for byte; everything else is for people and goes through the terminal sanitiser.
    pub fn prints_exact_data(&self) -> bool {
        match self {
            Command::Search { format, .. } => *format != SearchFormat::Table,
            Command::Vocab(VocabCommand::Resolve { format, .. }) => *format == ListFormat::Json,
            Command::Match(args) => {
                args.output
                    .as_deref()
                    .is_none_or(super::match_cmd::is_stdout)
                    && matches!(args.format, MatchFormat::Json | MatchFormat::Csv)
            }
            Command::Outreach(super::outreach_args::OutreachCommand::List { format, .. }) => {
                *format != super::outreach_args::LogFormat::Table
            }
            Command::News(args) => args.format != super::outreach_args::LogFormat::Table,
            Command::Watch(args) => args.format == ListFormat::Json,
            Command::Config { keys, format } => *keys && *format == ListFormat::Json,
            Command::Gaps(args) => {
                args.output.is_none()
                    && matches!(
                        args.format,
                        super::outreach_args::GapsFormat::Json
                            | super::outreach_args::GapsFormat::Csv
                    )
            }
            Command::Index { .. }
            | Command::Validate
            | Command::Vocab(_)
            | Command::Outreach(_)
            | Command::Draft(_) => false,
        }
    }
}

/// `musubi vocab …`
#[derive(Debug, Subcommand)]
pub enum VocabCommand {
    /// Resolve a string to concepts: how it matched, the path to the root, the anchors.
    Resolve {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// One concept with its synonyms, parents and children.
    Show { id: String },
}

impl MatchArgs {
    /// The options of an ad-hoc need (`--text`) that were given, as typed.
    pub fn ad_hoc_options(&self) -> Vec<&'static str> {
        [
            ("--diseases", self.diseases.is_some()),
            ("--modalities", self.modalities.is_some()),
            ("--min-cases", self.min_cases.is_some()),
            ("--requester", self.requester.is_some()),
            ("--commercial", self.commercial),
            ("--non-commercial", self.non_commercial),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

/// Languages as typed on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

impl From<LangArg> for crate::i18n::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Ja => crate::i18n::Lang::Ja,
            LangArg::En => crate::i18n::Lang::En,
        }
    }
}

/// Output formats of `musubi match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MatchFormat {
    /// Ranked sections with reasons, for a terminal.
    #[default]
    Table,
    /// One object (`subject`, `datasets`, `partners`, `proposals`); several under `reports`.
    Json,
    /// Mail-merge columns, UTF-8 with BOM for Excel.
    Csv,
    /// A meeting memo.
    Md,
    /// An Excel workbook (needs --output).
    Xlsx,
}

/// `musubi match …`
#[derive(Debug, Clone, Args)]
#[command(group(
    ArgGroup::new("subject")
        .required(true)
        .args(["need", "proposal", "org", "researcher", "text", "all_needs"])
))]
pub struct MatchArgs {
    /// A need's id.
    #[arg(long, value_name = "ID")]
    pub need: Option<String>,
    /// A strategic-cohort proposal's id.
    #[arg(long, value_name = "ID")]
    pub proposal: Option<String>,
    /// An organisation's id.
    #[arg(long, value_name = "ID")]
    pub org: Option<String>,
    /// A researcher's id.
    #[arg(long, value_name = "ID")]
    pub researcher: Option<String>,
    /// An ad-hoc need, in words (Japanese, English or both).
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Every need at once, for a full outreach list.
    #[arg(long)]
    pub all_needs: bool,
    /// Diseases of the ad-hoc need, separated by `;`.
    #[arg(long, requires = "text", value_name = "A;B")]
    pub diseases: Option<String>,
    /// Modalities of the ad-hoc need, separated by `;`.
    #[arg(long, requires = "text", value_name = "A;B")]
    pub modalities: Option<String>,
    /// Cases the ad-hoc need requires.
    #[arg(long, requires = "text", value_name = "N")]
    pub min_cases: Option<u64>,
    /// Who asks for the ad-hoc need: an organisation or researcher id. The need is then judged
    /// as one owned by the requester (industry forum: commercial, and no NPU datasets).
    #[arg(long, requires = "text", value_name = "ID")]
    pub requester: Option<String>,
    /// The ad-hoc need is commercial. (Stated neither way and with no --requester, it counts
    /// as commercial: commercial use is not ruled out.)
    #[arg(long, requires = "text", conflicts_with = "non_commercial")]
    pub commercial: bool,
    /// The ad-hoc need is non-commercial (NCU datasets may then be offered).
    #[arg(long, requires = "text")]
    pub non_commercial: bool,
    /// Language of reasons, conditions, verdicts, headings and notes (default: the `lang`
    /// setting, else ja). Record titles stay as written; `en` adds English titles where
    /// records have them.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Results per section (1–100000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// Leave out pairs the outreach log shows as contacted within --within days.
    #[arg(long)]
    pub exclude_contacted: bool,
    /// Days --exclude-contacted looks back.
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 90,
        requires = "exclude_contacted"
    )]
    pub within: u32,
    /// Append a `listed` line to the outreach log (FILE, else the usual log) for every row
    /// the export writes.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub log: Option<Option<PathBuf>>,
    /// Also list datasets the consent rules block, naming the rule.
    #[arg(long)]
    pub include_blocked: bool,
    #[arg(long, value_enum, default_value_t = MatchFormat::Table)]
    pub format: MatchFormat,
    /// Write to this file (atomically; a character device or pipe is written directly) instead
    /// of the terminal; `-` is standard output (every format but xlsx).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
