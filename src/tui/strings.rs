//! Every user-facing string of the app, in one place.

use crate::facets::Facet;
use crate::workspace::Progress;

pub const APP_NAME: &str = "musubi 結び";
pub const SEARCH_TITLE: &str = " Search ";
pub const SEARCH_PLACEHOLDER: &str = "Type to search (日本語 / English) — / to focus";
pub const DETAIL_TITLE: &str = " Details ";
pub const FILTERS_TITLE: &str = " Filters ";
pub const FILTERS_HINT: &str = "←/→ facet · / find · Space toggle";
pub const NO_FILTER_VALUES: &str = "No values here.";
/// Shown while every record's facet values are still being worked out after opening.
pub const COUNTING_FILTER_VALUES: &str = "Counting filter values…";
pub const HELP_TITLE: &str = " Keys ";
pub const HELP_HERE: &str = "(here)";
pub const HELP_CHARACTERS: &str = "characters";
pub const HELP_TYPED: &str = "typed into the box";
pub const HELP_CTRL_C: &str = "quit at once (anywhere)";
pub const HELP_MOUSE: &str = "Mouse: click tabs, rows and panes; wheel scrolls.";
pub const EXPORT_TITLE: &str = " Export ";
pub const ADHOC_TITLE: &str = " Ad-hoc need ";
pub const MATCHES_TITLE: &str = " Matches ";
pub const NO_RESULTS: &str = "No records match.";
pub const NO_SELECTION: &str = "Nothing selected.";
pub const NO_MATCHES: &str = "No matches.";
pub const MATCHING: &str = "Matching…";
pub const BLOCKED_HIDDEN: &str = "blocked hidden — b shows them";
pub const BLOCKED_SHOWN: &str = "blocked shown — b hides them";
pub const REFERENCES: &str = "References";
pub const REASONS: &str = "Reasons";
pub const CONDITIONS: &str = "Conditions";
pub const BLOCKED: &str = "Blocked";
pub const ALLOWED_BY: &str = "Allowed by data-use code";
pub const OUTREACH: &str = "Outreach";
pub const NO_OUTREACH_LOG: &str =
    "No outreach log: set outreach_log in the settings (musubi config shows where).";
pub const OTHER_FIELDS: &str = "Other fields";
pub const ALSO_SEARCHING: &str = "also: ";
pub const SOME_WORDS: &str = "some words only";
pub const MARKED: &str = "marked";
pub const EXPORT_FORMAT: &str = "Format";
pub const EXPORT_FILE: &str = "File";
pub const EXPORT_DIR: &str = "Folder";
pub const EXPORT_BLOCKED_FIELD: &str = "Blocked";
pub const EXPORT_OVERWRITE: &str = "The file exists: Enter again overwrites it.";
pub const EXPORT_NOTHING: &str =
    "Nothing to export: mark entries with Space, or open a match list.";
pub const ADHOC_TEXT: &str = "Need (free text)";
pub const ADHOC_DISEASES: &str = "Diseases (comma-separated)";
pub const ADHOC_MODALITIES: &str = "Modalities (comma-separated)";
pub const ADHOC_MIN_CASES: &str = "Minimum cases";
pub const ADHOC_REQUESTER: &str = "Requester (org or researcher)";
pub const ADHOC_COMMERCIAL: &str = "Commercial use";
pub const ADHOC_COMMERCIAL_CHOICES: [(Option<bool>, &str); 3] = [
    (None, "not stated"),
    (Some(true), "commercial"),
    (Some(false), "non-commercial"),
];
pub const ADHOC_COMMERCIAL_HINT: &str =
    "Not stated, no requester: counts as commercial (fail closed).";
pub const ADHOC_UNKNOWN_REQUESTER: &str =
    "No organisation or researcher has that id or name: pick one of the suggestions.";
pub const ADHOC_NEEDS_TEXT: &str = "Type what is needed first.";
pub const ADHOC_BAD_CASES: &str = "Minimum cases must be a whole number.";
pub const LOADING_TITLE: &str = " Opening ";
pub const PREVIEW_TYPE_AHEAD: &str = "Type to search — what you type now is kept";
pub const PREVIEW_SEARCHING: &str =
    "The last session's search and filters apply once the records are read.";
pub const PREVIEW_STATUS: &str = "Keys typed now act once the records are read · Ctrl-C quits";

/// Said when the facet values could not be worked out.
pub fn facets_failed(error: &str) -> String {
    format!("The filter values could not be worked out ({error}); filters stay without values.")
}

/// The preview's search box once keys other than text were typed ahead.
pub fn keys_kept(keys: usize) -> String {
    format!("{keys} key(s) kept: they act once the records are read")
}

/// The preview's word on what is being read.
pub fn reading_records(count: usize) -> String {
    format!("Reading {count} records…")
}
pub const LOAD_FAILED: &str = "Could not open the data:";
pub const LOAD_FAILED_HINT: &str = "Press q to quit. `musubi validate` shows every problem.";
pub const NO_TTY: &str = "musubi: the app needs a terminal. Use the subcommands instead, e.g.\n  musubi search 膵がん\n  musubi match --need N01\n  musubi --help";
pub const NO_MATCH_SUBJECT: &str =
    "Matches are for needs, proposals, organisations and researchers.";

/// The tab label of a kind with its count.
pub fn tab_label(title: &str, count: usize) -> String {
    format!(" {title} {count} ")
}

/// A facet's heading in the filter panel.
pub fn facet_title(facet: Facet) -> &'static str {
    facet.title()
}

/// The line shown while the workspace opens.
pub fn progress(step: &Progress) -> String {
    match step {
        Progress::Checking => "Checking the index…".into(),
        Progress::Waiting => "Waiting for another musubi to finish building the index…".into(),
        Progress::Loading => "Reading the data files…".into(),
        Progress::Indexing { records } => format!("Indexing {records} records…"),
        Progress::Ready => "Ready.".into(),
    }
}

/// The confirmation after an export.
pub fn exported(rows: usize, path: &std::path::Path, withheld: usize) -> String {
    let mut text = format!("Exported {rows} row(s) to {}", path.display());
    if withheld > 0 {
        text.push_str(&format!(" ({withheld} contact(s) withheld: no consent)"));
    }
    text
}

/// After `o`: how many pairs were logged.
pub fn logged_contacted(n: usize) -> String {
    format!("Logged {n} match(es) as contacted in the outreach log.")
}

/// Added to the export confirmation when blocked datasets were left out.
pub fn left_out_blocked(left_out: usize, for_review: usize) -> String {
    format!("; left out {left_out} dataset(s) the data-use rules block ({for_review} for review)")
}

/// Asked when a blocked dataset is marked.
pub fn mark_blocked_question(id: &str, why: &str) -> String {
    format!(
        "{id} is not offered ({why}). Space again marks it; exports leave it out unless you include blocked rows."
    )
}

/// The export dialog's question about blocked datasets.
pub fn export_blocked_question(n: usize, include: bool) -> String {
    let answer = if include {
        "[x] include (verdict and rule only, no custodian contact)"
    } else {
        "[ ] leave out"
    };
    format!("{n} blocked or for-review dataset(s) in this list: {answer}")
}

/// The list heading when filters are on.
pub fn filters_on(n: usize) -> String {
    format!("{n} filter(s)")
}

/// Count of marked entries.
pub fn marked(n: usize) -> String {
    format!("{n} {MARKED}")
}

/// The title of the report exported from marked search results.
pub fn search_export_title(query: &str) -> String {
    if query.trim().is_empty() {
        "Search: (all)".into()
    } else {
        format!("Search: {}", query.trim())
    }
}

/// Shown instead of a contact detail of someone who did not agree to be contacted.
pub const CONTACT_WITHHELD: &str = "(withheld: no consent to contact)";

// The outreach cycle: gaps, saved searches, "new" marks and the outreach filter.
pub const GAPS_TITLE: &str = " Gaps ";
pub const GAPS_COMPUTING: &str = "Looking for needs and proposals without a good dataset…";
pub const GAPS_NONE: &str = "Every need and proposal has a good allowed dataset.";
pub const GAPS_NO_DISEASE: &str = "(no known disease)";
pub const SAVED_TITLE: &str = " Saved searches ";
pub const SAVED_LOADING: &str = "Reading the saved searches…";
pub const SAVED_NONE: &str =
    "No saved search yet: type a search, then Ctrl-S saves it under a name.";
pub const SAVED_NO_FILE: &str =
    "Saved searches live in the config directory, and none can be found here.";
pub const SAVE_TITLE: &str = " Save this search ";
pub const SAVE_NAME: &str = "Name";
pub const SAVE_KEYS: &str = "Enter save · Esc cancel";
pub const SAVE_NEEDS_NAME: &str = "Give the search a name.";
pub const NEW_SINCE: &str = "New since";

/// The Gaps view's title: how many subjects lack a good dataset.
pub fn gaps_title(gaps: usize, subjects: usize) -> String {
    format!(" Gaps: {gaps} of {subjects} needs and proposals without a good dataset ")
}

/// A disease heading of the Gaps view: its gaps by category and the cases asked for.
pub fn gaps_heading(label: &str, gaps: usize, counts: &str, cases: u64) -> String {
    let cases = if cases > 0 {
        format!(" · {cases} cases asked")
    } else {
        String::new()
    };
    format!("{label} — {gaps} gap(s): {counts}{cases}")
}

/// A saved search in the list: its query and what is new since the last look.
pub fn saved_row(name: &str, query: &str, new: usize, since: &str) -> String {
    let query = if query.trim().is_empty() {
        "(all)"
    } else {
        query
    };
    format!("{name}  \"{query}\"  {new} new since {since}")
}

/// After saving a search.
pub fn saved(name: &str, hits: usize) -> String {
    format!("Saved \"{name}\" ({hits} hit(s) now); Ctrl-O lists saved searches and what is new.")
}

/// Asked before a saved search is forgotten.
pub fn forget_question(name: &str) -> String {
    format!("Forget the saved search \"{name}\"? d again forgets it.")
}

/// After opening a saved search.
pub fn opened_saved(name: &str, new: &[String], since: &str) -> String {
    if new.is_empty() {
        format!("\"{name}\": nothing new since {since}.")
    } else {
        format!(
            "\"{name}\": {} new since {since}: {}",
            new.len(),
            new.join(", ")
        )
    }
}

/// The question when `q` is pressed with marks.
pub fn quit_with_marks(n: usize) -> String {
    format!("{n} marked: q again quits (the marks are kept for next time), any other key stays.")
}

/// The filter panel's heading: `◀ Modality (3/5) · 1 on ▶`.
pub fn facet_heading(title: &str, position: usize, of: usize, on: usize) -> String {
    let on = if on > 0 {
        format!(" · {on} on")
    } else {
        String::new()
    };
    format!("◀ {title} ({position}/{of}){on} ▶")
}

/// The empty tab's note when another tab has results.
pub fn hits_elsewhere(here: &str, there: &str, n: usize) -> String {
    format!(
        "No {} match; {there} has {n}. Enter shows them.",
        here.to_lowercase()
    )
}
