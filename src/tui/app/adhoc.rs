//! The ad-hoc need form: fields, requester suggestions, and turning it into a need.

use super::*;

/// The ad-hoc need form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdHocForm {
    pub text: TextInput,
    pub diseases: TextInput,
    pub modalities: TextInput,
    pub min_cases: TextInput,
    /// Who asks: an organisation or researcher, typed by name or id.
    pub requester: TextInput,
    /// Organisations and researchers whose name or id fits what is typed, as (id, name).
    pub suggestions: Vec<(String, String)>,
    /// The highlighted suggestion.
    pub suggestion: usize,
    /// Commercial use as stated: not stated (`None`), commercial, non-commercial.
    pub commercial: Option<bool>,
    /// See [`ADHOC_FIELD_NAMES`].
    pub field: usize,
    pub error: Option<&'static str>,
}

/// The fields of the ad-hoc form, in Tab order.
pub const ADHOC_FIELD_NAMES: [&str; 6] = [
    "text",
    "diseases",
    "modalities",
    "min_cases",
    "requester",
    "commercial",
];

/// Number of fields of the ad-hoc form.
pub const ADHOC_FIELDS: usize = ADHOC_FIELD_NAMES.len();
/// The requester field.
pub const ADHOC_REQUESTER: usize = 4;
/// The commercial choice.
pub const ADHOC_COMMERCIAL: usize = 5;

/// Suggestions shown under the requester field.
const MAX_SUGGESTIONS: usize = 4;

impl App {
    /// Opens the ad-hoc form: as it was last left, else the need of the ad-hoc match list
    /// shown, else empty.
    pub(super) fn open_adhoc(&mut self) {
        let form = self.last_adhoc.clone().unwrap_or_else(|| {
            let mut form = AdHocForm::default();
            if let Some(MatchTarget::AdHoc(input)) = self.matches.as_ref().map(|m| &m.target) {
                form.text = TextInput::new(&input.text);
                form.diseases = TextInput::new(&input.diseases.join(", "));
                form.modalities = TextInput::new(&input.modalities.join(", "));
                form.min_cases =
                    TextInput::new(&input.min_cases.map(|n| n.to_string()).unwrap_or_default());
                form.requester = TextInput::new(input.requester.as_deref().unwrap_or_default());
                form.commercial = input.commercial;
            }
            form
        });
        self.overlay = Some(Overlay::AdHoc(form));
    }
}

impl AdHocForm {
    /// The form as kept for next time: the values typed, no error or open suggestions, the
    /// first field.
    fn left(&self) -> AdHocForm {
        AdHocForm {
            suggestions: Vec::new(),
            suggestion: 0,
            field: 0,
            error: None,
            ..self.clone()
        }
    }

    pub(super) fn input(&mut self) -> Option<&mut TextInput> {
        match self.field {
            0 => Some(&mut self.text),
            1 => Some(&mut self.diseases),
            2 => Some(&mut self.modalities),
            3 => Some(&mut self.min_cases),
            ADHOC_REQUESTER => Some(&mut self.requester),
            _ => None,
        }
    }

    /// The next commercial choice: not stated → commercial → non-commercial → not stated.
    pub(super) fn cycle_commercial(&mut self, back: bool) {
        const ORDER: [Option<bool>; 3] = [None, Some(true), Some(false)];
        let i = ORDER
            .iter()
            .position(|c| *c == self.commercial)
            .unwrap_or(0);
        self.commercial = ORDER[if back { (i + 2) % 3 } else { (i + 1) % 3 }];
    }

    /// Recomputes the requester suggestions from the catalog.
    pub(super) fn suggest(&mut self, data: Option<&Data>) {
        self.suggestions = match data {
            Some(data) => requester_suggestions(data, self.requester.text(), MAX_SUGGESTIONS),
            None => Vec::new(),
        };
        self.suggestion = 0;
    }
}

/// Organisations and researchers whose id or name holds `typed` (case-insensitive): an exact
/// id first, then ids starting with it, then names and ids holding it.
pub fn requester_suggestions(data: &Data, typed: &str, limit: usize) -> Vec<(String, String)> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Vec::new();
    }
    let wanted = typed.to_lowercase();
    let parties = data
        .catalog
        .organizations
        .iter()
        .map(|o| (&o.id, &o.name, o.name_en.as_deref()))
        .chain(
            data.catalog
                .researchers
                .iter()
                .map(|r| (&r.id, &r.name, r.name_en.as_deref())),
        );
    let mut scored: Vec<(u8, String, String)> = parties
        .filter_map(|(id, name, en)| {
            let lid = id.to_lowercase();
            let rank = if lid == wanted {
                0
            } else if lid.starts_with(&wanted) {
                1
            } else if name.to_lowercase().contains(&wanted)
                || en.is_some_and(|e| e.to_lowercase().contains(&wanted))
            {
                2
            } else if lid.contains(&wanted) {
                3
            } else {
                return None;
            };
            Some((rank, id.clone(), name.clone()))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, id, name)| (id, name))
        .collect()
}

pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split([',', '、', ';', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn update_adhoc(app: &mut App, mut form: AdHocForm, action: Action) {
    form.error = None;
    let on_requester = form.field == ADHOC_REQUESTER;
    let mut typed = false;
    match action {
        Action::Back => {
            app.last_adhoc = Some(form.left());
            return;
        }
        Action::NextField | Action::PrevField => {
            if on_requester {
                accept_suggestion(&mut form);
            }
            form.field = if matches!(action, Action::NextField) {
                (form.field + 1) % ADHOC_FIELDS
            } else {
                (form.field + ADHOC_FIELDS - 1) % ADHOC_FIELDS
            };
        }
        Action::Down if on_requester && !form.suggestions.is_empty() => {
            form.suggestion = (form.suggestion + 1) % form.suggestions.len();
        }
        Action::Up if on_requester && !form.suggestions.is_empty() => {
            let n = form.suggestions.len();
            form.suggestion = (form.suggestion + n - 1) % n;
        }
        Action::Space => match form.input() {
            Some(input) => {
                input.insert(' ');
                typed = true;
            }
            None => form.cycle_commercial(false),
        },
        Action::Insert(c) => {
            if let Some(input) = form.input() {
                input.insert(c);
                typed = true;
            } else {
                match c {
                    'y' | 'c' => form.commercial = Some(true),
                    'n' => form.commercial = Some(false),
                    '-' | '?' => form.commercial = None,
                    _ => {}
                }
            }
        }
        Action::Edit(edit) => {
            if let Some(input) = form.input() {
                typed = input.edit(edit);
            } else if matches!(edit, Edit::Left | Edit::Right) {
                form.cycle_commercial(edit == Edit::Left);
            }
        }
        Action::Paste(text) => {
            if let Some(input) = form.input() {
                input.insert_str(&text);
                typed = true;
            }
        }
        Action::Enter => {
            if on_requester {
                accept_suggestion(&mut form);
            }
            if let Some(input) = submit_adhoc(app, &mut form) {
                let label = if input.text.is_empty() {
                    input.diseases.join(", ")
                } else {
                    input.text.clone()
                };
                app.last_adhoc = Some(form.left());
                app.open_matches(MatchTarget::AdHoc(input), label);
                return;
            }
        }
        _ => {}
    }
    if typed && form.field == ADHOC_REQUESTER {
        form.suggest(app.data.as_deref());
    }
    app.overlay = Some(Overlay::AdHoc(form));
}

/// Puts the highlighted suggestion's id in the requester field, unless what is typed is an id
/// already.
pub(super) fn accept_suggestion(form: &mut AdHocForm) {
    let typed = form.requester.text().trim().to_string();
    if typed.is_empty() || form.suggestions.iter().any(|(id, _)| *id == typed) {
        form.suggestions.clear();
        return;
    }
    if let Some((id, _)) = form.suggestions.get(form.suggestion) {
        form.requester = TextInput::new(id);
    }
    form.suggestions.clear();
}

/// The ad-hoc need the form describes, or `None` with the form's error set.
pub(super) fn submit_adhoc(app: &App, form: &mut AdHocForm) -> Option<AdHocNeed> {
    let text = form.text.text().trim().to_string();
    let diseases = split_list(form.diseases.text());
    if text.is_empty() && diseases.is_empty() {
        form.error = Some(strings::ADHOC_NEEDS_TEXT);
        form.field = 0;
        return None;
    }
    let cases = form.min_cases.text().trim();
    let Ok(min_cases) = (if cases.is_empty() {
        Ok(None)
    } else {
        cases.parse::<u64>().map(Some)
    }) else {
        form.error = Some(strings::ADHOC_BAD_CASES);
        form.field = 3;
        return None;
    };
    let typed = form.requester.text().trim().to_string();
    let requester = if typed.is_empty() {
        None
    } else {
        let known = app.data.as_deref().map(|d| {
            requester_suggestions(d, &typed, usize::MAX)
                .into_iter()
                .any(|(id, _)| id.eq_ignore_ascii_case(&typed))
        });
        if known == Some(false) {
            form.error = Some(strings::ADHOC_UNKNOWN_REQUESTER);
            form.field = ADHOC_REQUESTER;
            form.suggest(app.data.as_deref());
            return None;
        }
        Some(typed)
    };
    Some(AdHocNeed {
        text,
        diseases,
        modalities: split_list(form.modalities.text()),
        min_cases,
        requester,
        commercial: form.commercial,
    })
}
