//! The subcommands: thin handlers that call the library and print.

pub mod args;
pub mod config_keys;
pub mod draft_cmd;
pub mod gaps_cmd;
pub mod match_cmd;
pub mod news_cmd;
pub mod output;
pub mod outreach_args;
pub mod outreach_cmd;
pub mod plain;
pub mod progress_bar;
pub mod search_out;
pub mod watch_cmd;

use crate::config::{Paths, Settings};
use crate::facets::filtered::search_with_facets;
use crate::load::{DataSource, Severity};
use crate::model::Kind;
use crate::search::{search, MatchMode, SearchRequest};
use crate::terminal_text::{one_line, TerminalWriter};
use crate::workspace::{self, OpenOptions, Progress, Workspace};
use anyhow::Context;
use args::{Cli, Command, GlobalArgs, ListFormat, SearchFormat, VocabCommand};
use comfy_table::Cell;
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;

/// An error and its causes on one line, each cause said once: errors that already quote their
/// cause (`index directory X: File exists`) are not followed by it again.
pub fn error_text(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Reads the settings file from the platform's config directory (defaults when absent), its
/// colours checked against what the app can draw.
pub fn settings() -> anyhow::Result<(Option<Paths>, Settings)> {
    Ok(Settings::discover(&crate::tui::theme::is_colour)?)
}

/// How the app starts for this command line.
pub fn launch(cli: &Cli) -> crate::tui::Launch {
    crate::tui::Launch {
        open: open_options(&cli.global, false),
        fresh: cli.fresh,
    }
}

pub(crate) fn open_options(global: &GlobalArgs, force_rebuild: bool) -> OpenOptions {
    OpenOptions {
        data: global.data.clone(),
        index: global.index.clone(),
        force_rebuild,
        from_scratch: false,
    }
}

/// Opens the workspace, telling stderr when an index is being built.
pub fn open_workspace(global: &GlobalArgs, force_rebuild: bool) -> anyhow::Result<Workspace> {
    let (_, settings) = settings()?;
    Ok(Workspace::open(
        &open_options(global, force_rebuild),
        &settings,
        &report_progress,
    )?)
}

/// Tells stderr when an index is being built, or when another musubi is building it.
fn report_progress(p: Progress) {
    match p {
        Progress::Indexing { records } => eprintln!("musubi: indexing {records} records…"),
        Progress::Waiting => {
            eprintln!("musubi: another musubi is building this index; waiting for it…")
        }
        _ => {}
    }
}

/// Runs one subcommand (the TUI is started by the binary when there is none). Output for
/// people goes through [`TerminalWriter`]: nothing from the data reaches the terminal as a
/// control sequence; JSON and CSV are written exactly.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let Some(command) = cli.command else {
        anyhow::bail!("no subcommand given");
    };
    if command.prints_exact_data() {
        return run_command(command, &cli.global, out);
    }
    let mut safe = TerminalWriter::new(out);
    let code = run_command(command, &cli.global, &mut safe)?;
    safe.flush()?;
    Ok(code)
}

fn run_command(
    command: Command,
    global: &GlobalArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match command {
        Command::Index { full } => index(global, full, out),
        Command::Search {
            query,
            kind,
            limit,
            filters,
            facets,
            format,
        } => {
            let (_, settings) = settings()?;
            let (ws, stale) = Workspace::open_or_last_good(
                &open_options(global, false),
                &settings,
                &report_progress,
            )?;
            if let Some(warning) = stale {
                eprintln!("musubi: warning: {}", one_line(&warning));
            }
            let request = SearchRequest {
                query: query.join(" "),
                kind: kind.map(Kind::from),
                limit: limit as usize,
            };
            let shown = SearchShown { filters, facets };
            crate::trace::phase("search and print", || {
                print_search(&ws, &request, format, &shown, out)
            })
        }
        Command::Validate => validate(global, out),
        Command::Match(args) => {
            match_cmd::check_args(&args)?;
            let (_, settings) = settings()?;
            let ws = open_workspace(global, false)?;
            let explicit = args.log.clone().flatten();
            let log = match_cmd::OutreachLog {
                path: outreach_cmd::log_location(global, explicit.as_deref()).ok(),
                user: crate::outreach::current_user(&settings),
            };
            let result = match_cmd::run(&ws, &args, settings.lang(), &log, out);
            exit_without_freeing(ws);
            result
        }
        Command::Vocab(v) => {
            let (_, settings) = settings()?;
            let source = workspace::data_source(&open_options(global, false), &settings);
            let vocabulary = workspace::vocabulary_for(&source)?;
            match v {
                VocabCommand::Resolve { text, format } => crate::cli_vocab::print_resolve(
                    &vocabulary,
                    &text.join(" "),
                    format == ListFormat::Json,
                    out,
                )?,
                VocabCommand::Show { id } => crate::cli_vocab::print_show(&vocabulary, &id, out)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Config { keys: false, .. } => config(global, out),
        Command::Config { keys: true, format } => {
            let paths = Paths::discover().context("cannot find the platform directories")?;
            let settings =
                Settings::load_checked(&paths.settings_file, &crate::tui::theme::is_colour)?;
            let keymap = config_keys::keymap(&settings, &paths.settings_file)?;
            config_keys::print(
                &keymap,
                &paths.settings_file,
                format == ListFormat::Json,
                out,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Outreach(command) => outreach_cmd::run(global, command, out),
        Command::Gaps(args) => {
            gaps_cmd::check_args(&args)?;
            let ws = open_workspace(global, false)?;
            let result = gaps_cmd::run(&ws, &args, out);
            exit_without_freeing(ws);
            result
        }
        Command::Watch(args) => watch_cmd::run(global, args, out),
        Command::News(args) => news_cmd::run(global, &args, out),
        Command::Draft(args) => draft_cmd::run(global, &args, out),
    }
}

/// Leaves a workspace's records to the end of the process instead of freeing them one by
/// one: a million records took longer to free than a match took to make. Only for a workspace
/// whose command is done (nothing of it is written when it is dropped).
fn exit_without_freeing(ws: Workspace) {
    std::mem::forget(ws);
}

fn index(global: &GlobalArgs, full: bool, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (_, settings) = settings()?;
    let options = OpenOptions {
        from_scratch: full,
        ..open_options(global, true)
    };
    let ws = Workspace::open(&options, &settings, &report_progress)?;
    writeln!(out, "Indexed {} ({} ms):", ws.meta.source, ws.meta.build_ms)?;
    // Counted from the snapshot's ids: the records themselves are not read again.
    let records = ws.records()?;
    for kind in Kind::ALL {
        writeln!(
            out,
            "  {:<14}{:>8}",
            kind.plural_title(),
            records.count(kind)
        )?;
    }
    let total: usize = Kind::ALL.iter().map(|&kind| records.count(kind)).sum();
    writeln!(out, "  {:<14}{:>8}", "Total", total)?;
    if ws.meta.kept_records > 0 {
        writeln!(
            out,
            "Kept the index of {} records whose files did not change; indexed {}.",
            ws.meta.kept_records,
            total.saturating_sub(ws.meta.kept_records)
        )?;
    }
    writeln!(out, "Index: {}", ws.index_dir.display())?;
    if !ws.warnings.is_empty() {
        writeln!(
            out,
            "{} warning(s); `musubi validate` lists them.",
            ws.warnings.len()
        )?;
    }
    exit_without_freeing(ws);
    Ok(ExitCode::SUCCESS)
}

/// The separator row of the search table before the records that meet only some words.
const SOME_WORDS_ONLY: &str = "── some words only ──";
/// What `musubi search` shows beyond the hits: facet filters and counts.
struct SearchShown {
    filters: Vec<(crate::facets::Facet, String)>,
    facets: bool,
}

fn print_search(
    ws: &Workspace,
    request: &SearchRequest,
    format: SearchFormat,
    shown: &SearchShown,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (results, counts) = if shown.filters.is_empty() && !shown.facets {
        (search(&ws.index, ws.vocabulary.as_ref(), request)?, None)
    } else {
        let faceted = search_with_facets(
            &ws.index,
            ws.catalog()?,
            &ws.vocabulary,
            request,
            &shown.filters,
        )?;
        (faceted.results, shown.facets.then_some(faceted.counts))
    };
    match format {
        SearchFormat::Csv => search_out::write(&results.hits, out)?,
        SearchFormat::Json => {
            let items: Vec<_> = results
                .hits
                .iter()
                .map(|h| {
                    let mut item = json!({
                        "id": h.id,
                        "kind": h.kind.as_str(),
                        "title": h.title,
                        "score": (h.score as f64 * 1000.0).round() / 1000.0,
                        "matched_all": h.matched_all,
                    });
                    if let Some(en) = h.record().as_ref().and_then(|r| r.title_en()) {
                        item["title_en"] = json!(en);
                    }
                    item
                })
                .collect();
            match &counts {
                Some(counts) => serde_json::to_writer_pretty(
                    &mut *out,
                    &json!({ "hits": items, "facets": search_out::facets_json(counts) }),
                )?,
                None => serde_json::to_writer_pretty(&mut *out, &items)?,
            }
            writeln!(out)?;
        }
        SearchFormat::Table => {
            if results.hits.is_empty() {
                if shown.filters.is_empty() {
                    writeln!(out, "No match for \"{}\".", request.query)?;
                } else {
                    writeln!(
                        out,
                        "No match for \"{}\" with these filters.",
                        request.query
                    )?;
                }
                if let Some(counts) = &counts {
                    search_out::write_facets_table(counts, out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            let width = output::table_width();
            let id_width = results
                .hits
                .iter()
                .map(|h| one_line(&h.id).len())
                .max()
                .unwrap_or(2);
            let rank_width = results.hits.len().to_string().len();
            let title_width =
                output::remaining_width(width, &[rank_width, "organization".len(), id_width, 5]);
            let mut table = output::table(&["#", "kind", "id", "title", "score"], width);
            for (rank, hit) in results.hits.iter().enumerate() {
                // Where the records meeting only some words begin (after those meeting all).
                if !hit.matched_all && (rank == 0 || results.hits[rank - 1].matched_all) {
                    table.add_row(vec![
                        Cell::new(""),
                        Cell::new(""),
                        Cell::new(""),
                        Cell::new(SOME_WORDS_ONLY),
                        Cell::new(""),
                    ]);
                }
                let title = match hit.record().as_ref().and_then(|r| r.title_en()) {
                    Some(en) if en != hit.title => format!("{} / {en}", hit.title),
                    _ => hit.title.clone(),
                };
                let title = crate::width::truncate_to_width(&one_line(&title), title_width);
                table.add_row(vec![
                    output::number(rank + 1),
                    Cell::new(hit.kind.as_str()),
                    Cell::new(one_line(&hit.id)),
                    Cell::new(title),
                    output::number(format!("{:.2}", hit.score)),
                ]);
            }
            writeln!(out, "{table}")?;
            let mut footer = format!("{} of {} match(es)", results.hits.len(), results.total);
            if results.mode == MatchMode::SomeWords {
                footer.push_str("; no record has every word, showing those with some");
            }
            if !results.concepts.is_empty() {
                let labels: Vec<String> = results
                    .concepts
                    .iter()
                    .take(4)
                    .map(|c| ws.vocabulary.label(c, true))
                    .collect();
                footer.push_str(&format!("; also searched as: {}", labels.join(", ")));
            }
            writeln!(out, "{footer}")?;
            if let Some(counts) = &counts {
                search_out::write_facets_table(counts, out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(global: &GlobalArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (_, settings) = settings()?;
    let source = workspace::data_source(&open_options(global, false), &settings);
    let (report, loaded) = crate::load::summary::validate_and_keep(&source);
    let mut errors = report.errors.len();
    writeln!(out, "Checked {}", source.describe())?;
    for d in report.errors.iter().chain(report.warnings.iter()) {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(out, "{label}: {}", one_line(&d.to_string()))?;
    }
    let vocabulary = match workspace::vocabulary_for(&source) {
        Ok(v) => Some(v),
        Err(e) => {
            errors += 1;
            writeln!(out, "error: {}", one_line(&e.to_string()))?;
            None
        }
    };
    let mut unresolved = 0;
    if let (Some(vocabulary), Some(loaded)) = (vocabulary, loaded) {
        for warning in ds_term_warnings(&loaded, &vocabulary) {
            unresolved += 1;
            writeln!(out, "warning: {}", one_line(&warning))?;
        }
        let strings = disease_strings(&loaded);
        let terms = crate::vocab::audit_disease_strings(
            &vocabulary,
            strings.iter().map(|(loc, s)| (loc.clone(), s.as_str())),
        );
        unresolved += terms.len();
        for term in &terms {
            let closest: Vec<String> = term
                .closest
                .iter()
                .take(3)
                .map(|c| format!("{c} ({})", vocabulary.label(c, true)))
                .collect();
            let how = if term.weak.is_some() {
                "resolves only weakly"
            } else {
                "resolves to nothing"
            };
            let line = format!(
                "{}: disease \"{}\" {how}; closest: {}",
                term.location,
                term.text,
                if closest.is_empty() {
                    "none".to_string()
                } else {
                    closest.join(", ")
                }
            );
            writeln!(out, "warning: {}", one_line(&line))?;
        }
    }
    let log_warnings = outreach_cmd::log_warnings(global);
    for warning in &log_warnings {
        writeln!(out, "warning: {}", one_line(warning))?;
    }
    let counts: Vec<String> = report
        .counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.file_prefix()))
        .collect();
    let counts = if counts.is_empty() {
        "no records read".to_string()
    } else {
        counts.join(", ")
    };
    writeln!(
        out,
        "{counts}; {errors} error(s), {} warning(s), {unresolved} unresolved disease string(s)",
        report.warnings.len() + log_warnings.len()
    )?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `DS:` terms the vocabulary cannot read as exactly one disease: such datasets are blocked for
/// review whatever the need, so the custodian should write the disease as the vocabulary knows it.
fn ds_term_warnings(
    loaded: &crate::load::Loaded,
    vocabulary: &crate::vocab::Vocabulary,
) -> Vec<String> {
    use crate::consent::{parse_code, DataUseCode, DiseaseHierarchy};
    let mut warnings = Vec::new();
    for dataset in &loaded.catalog.datasets {
        for raw in &dataset.data_use {
            if let DataUseCode::DiseaseSpecific(term) = parse_code(raw) {
                if vocabulary.resolve_disease(&term).is_empty() {
                    let location = loaded
                        .locations
                        .get(&dataset.id)
                        .cloned()
                        .unwrap_or_else(|| dataset.id.clone());
                    let closest: Vec<String> = vocabulary
                        .closest(&term, 3)
                        .iter()
                        .map(|c| format!("{c} ({})", vocabulary.label(c, true)))
                        .collect();
                    warnings.push(format!(
                        "{location}: {}: data_use: DS:{term}: the vocabulary does not read \"{term}\" as exactly one disease, so the dataset is blocked for review; closest: {}",
                        dataset.id,
                        if closest.is_empty() { "none".to_string() } else { closest.join(", ") }
                    ));
                }
            }
        }
    }
    warnings
}

/// Every disease string of every record, with the record's location.
fn disease_strings(loaded: &crate::load::Loaded) -> Vec<(String, String)> {
    let mut strings = Vec::new();
    for record in loaded.catalog.records() {
        let location = loaded
            .locations
            .get(record.id())
            .cloned()
            .unwrap_or_else(|| record.id().to_string());
        for d in record.diseases() {
            strings.push((format!("{location}: {}", record.id()), d.clone()));
        }
    }
    strings
}

fn config(global: &GlobalArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let paths = Paths::discover().context("cannot find the platform directories")?;
    let settings = Settings::load_checked(&paths.settings_file, &crate::tui::theme::is_colour)?;
    let options = open_options(global, false);
    let source = workspace::data_source(&options, &settings);
    let store = workspace::store_for(&options, &source)?;
    let exists = |p: &std::path::Path| if p.exists() { "" } else { " (not created yet)" };
    writeln!(
        out,
        "settings file:  {}{}",
        paths.settings_file.display(),
        exists(&paths.settings_file)
    )?;
    writeln!(out, "data:           {}", source.describe())?;
    if let DataSource::Dir(dir) = &source {
        let vocab = dir.join(workspace::USER_VOCABULARY);
        writeln!(
            out,
            "user vocabulary: {}{}",
            vocab.display(),
            exists(&vocab)
        )?;
    }
    writeln!(
        out,
        "index:          {}{}",
        store.root().display(),
        exists(store.root())
    )?;
    let export_dir = settings.export_dir(&paths);
    writeln!(
        out,
        "export dir:     {}{}",
        export_dir.display(),
        exists(&export_dir)
    )?;
    writeln!(
        out,
        "colour:         {}",
        if settings.colorless() { "off" } else { "on" }
    )?;
    let keys = if settings.keys.table.is_empty() {
        "as shipped"
    } else if config_keys::keymap(&settings, &paths.settings_file).is_ok() {
        "changed by [keys] (musubi config --keys lists the keymap)"
    } else {
        "[keys] has problems (musubi config --keys names them)"
    };
    writeln!(out, "keys:           {keys}")?;
    Ok(ExitCode::SUCCESS)
}
