//! The export dialog: what would be exported now, the dialog's state and its update.

use super::*;

/// Which field of the export dialog has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportField {
    Format,
    Name,
    /// The question whether blocked datasets go into the export (only when the list has any).
    Blocked,
}

/// The export dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    pub format: ExportFormat,
    pub name: TextInput,
    /// The default name without extension; the extension follows the format until the name
    /// is edited.
    pub stem: String,
    pub name_edited: bool,
    pub dir: PathBuf,
    pub field: ExportField,
    pub reports: Vec<MatchReport>,
    pub rows: usize,
    /// Datasets in the list that the consent rules block or leave for review.
    pub blocked_rows: usize,
    /// The answer to "include them?": no until the coordinator says yes.
    pub include_blocked: bool,
    /// Set when the file exists: the next Enter overwrites.
    pub confirm_overwrite: bool,
}

/// The export formats, in the order Tab cycles them.
pub const FORMATS: [ExportFormat; 4] = [
    ExportFormat::Csv,
    ExportFormat::Markdown,
    ExportFormat::Json,
    ExportFormat::Xlsx,
];

impl ExportDialog {
    /// The rows the export will write, after leaving out blocked datasets unless included.
    pub fn rows_written(&self) -> usize {
        if self.include_blocked {
            self.rows
        } else {
            self.rows - self.blocked_rows.min(self.rows)
        }
    }

    /// The fields Tab moves through, in order.
    pub fn fields(&self) -> &'static [ExportField] {
        if self.blocked_rows > 0 {
            &[ExportField::Name, ExportField::Format, ExportField::Blocked]
        } else {
            &[ExportField::Name, ExportField::Format]
        }
    }

    /// The path the export will be written to.
    pub fn path(&self) -> PathBuf {
        let name = self.name.text().trim();
        let path = PathBuf::from(name);
        if path.is_absolute() {
            path
        } else {
            self.dir.join(path)
        }
    }
}

impl App {
    /// The reports the export dialog would write now: the marked items of the match list shown,
    /// else the whole visible list; on the search screen, every marked record (marks belong to
    /// the session), else the current kind's results.
    pub fn export_reports(&self) -> Vec<MatchReport> {
        match self.screen {
            Screen::Matches => {
                let Some(m) = &self.matches else {
                    return Vec::new();
                };
                let Some(report) = &m.report else {
                    return Vec::new();
                };
                let marked = m.marked(&self.marks);
                let keep = |items: &[MatchItem]| -> Vec<MatchItem> {
                    items
                        .iter()
                        .filter(|i| m.show_blocked || !i.is_blocked())
                        .filter(|i| m.cycle.keeps(i))
                        .filter(|i| marked.is_empty() || marked.contains(&i.id))
                        .cloned()
                        .collect()
                };
                let out = MatchReport {
                    subject: report.subject.clone(),
                    datasets: keep(&report.datasets),
                    partners: keep(&report.partners),
                    proposals: keep(&report.proposals),
                };
                if out.is_empty() {
                    Vec::new()
                } else {
                    vec![out]
                }
            }
            Screen::Search => {
                let Some(data) = &self.data else {
                    return Vec::new();
                };
                let ids: Vec<String> = if self.marks.is_empty() {
                    self.list()
                        .iter()
                        .map(|f| data.id_of(f).to_string())
                        .collect()
                } else {
                    self.marks.iter().cloned().collect()
                };
                let scores: Vec<(String, f32)> = self
                    .outcome
                    .found
                    .iter()
                    .map(|f| (data.id_of(f).to_string(), f.score))
                    .collect();
                let report = search_report(data, self.query.text(), &ids, &scores);
                if report.is_empty() {
                    Vec::new()
                } else {
                    vec![report]
                }
            }
        }
    }

    pub(super) fn open_export(&mut self) {
        let reports = self.export_reports();
        if reports.is_empty() {
            self.say(strings::EXPORT_NOTHING, true);
            return;
        }
        let stem = match (self.screen, reports.first()) {
            (Screen::Matches, Some(r)) => format!(
                "musubi-matches-{}-{}",
                safe_name(r.subject.id.as_deref().unwrap_or("adhoc")),
                self.today
            ),
            _ => format!("musubi-search-{}", self.today),
        };
        let format = ExportFormat::Csv;
        let rows = reports.iter().map(MatchReport::len).sum();
        let blocked_rows = reports
            .iter()
            .flat_map(|r| &r.datasets)
            .filter(|i| i.is_blocked())
            .count();
        self.overlay = Some(Overlay::Export(ExportDialog {
            format,
            name: TextInput::new(&format!("{stem}.{}", format.extension())),
            stem,
            name_edited: false,
            dir: self.export_dir.clone(),
            field: ExportField::Name,
            reports,
            rows,
            blocked_rows,
            include_blocked: false,
            confirm_overwrite: false,
        }));
    }
}

/// A report of search results for export: datasets under datasets, researchers and
/// organisations under partners, proposals and needs under proposals; scores relative to the
/// best hit (1 when listing without a query).
pub fn search_report(
    data: &Data,
    query: &str,
    ids: &[String],
    scores: &[(String, f32)],
) -> MatchReport {
    let best = scores.iter().map(|(_, s)| *s).fold(0.0f32, f32::max);
    let mut report = MatchReport {
        subject: MatchSubject::new(
            None,
            SubjectKind::AdHoc,
            strings::search_export_title(query),
            false,
        ),
        datasets: Vec::new(),
        partners: Vec::new(),
        proposals: Vec::new(),
    };
    for id in ids {
        let Some(record) = data.record(id) else {
            continue;
        };
        let score = scores
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, s)| if best > 0.0 { (*s / best) as f64 } else { 1.0 })
            .unwrap_or(1.0);
        let item = MatchItem {
            title_en: record.title_en().map(String::from),
            ..MatchItem::new(
                id.clone(),
                record.kind(),
                record.title(),
                (score * 1000.0).round() / 1000.0,
                Vec::new(),
            )
        };
        match record.kind() {
            Kind::Dataset => report.datasets.push(item),
            Kind::Researcher | Kind::Organization => report.partners.push(item),
            Kind::Proposal | Kind::Need => report.proposals.push(item),
        }
    }
    report
}

/// A string safe in a file name (letters, digits, `-`, `_`).
pub(super) fn safe_name(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "export".into()
    } else {
        s
    }
}

pub(super) fn update_export(app: &mut App, mut dialog: ExportDialog, action: Action) {
    match action {
        Action::Back => return,
        Action::NextField | Action::PrevField => {
            let fields = dialog.fields();
            let i = fields.iter().position(|f| *f == dialog.field).unwrap_or(0);
            let n = fields.len();
            let next = if matches!(action, Action::NextField) {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            dialog.field = fields[next];
        }
        Action::Insert(' ' | 'y' | 'n')
        | Action::Space
        | Action::Edit(Edit::Right | Edit::Left)
            if dialog.field == ExportField::Blocked =>
        {
            dialog.include_blocked = match action {
                Action::Insert('y') => true,
                Action::Insert('n') => false,
                _ => !dialog.include_blocked,
            };
        }
        Action::Insert(' ') | Action::Edit(Edit::Right) | Action::Edit(Edit::Left)
            if dialog.field == ExportField::Format =>
        {
            let i = FORMATS
                .iter()
                .position(|f| *f == dialog.format)
                .unwrap_or(0);
            let next = if matches!(action, Action::Edit(Edit::Left)) {
                (i + 3) % 4
            } else {
                (i + 1) % 4
            };
            dialog.format = FORMATS[next];
            if !dialog.name_edited {
                dialog.name =
                    TextInput::new(&format!("{}.{}", dialog.stem, dialog.format.extension()));
            }
            dialog.confirm_overwrite = false;
        }
        Action::Insert(c) if dialog.field == ExportField::Name => {
            dialog.name.insert(c);
            dialog.name_edited = true;
            dialog.confirm_overwrite = false;
        }
        Action::Paste(text) if dialog.field == ExportField::Name => {
            dialog.name.insert_str(&text);
            dialog.name_edited = true;
            dialog.confirm_overwrite = false;
        }
        Action::Edit(edit) if dialog.field == ExportField::Name && dialog.name.edit(edit) => {
            dialog.name_edited = true;
            dialog.confirm_overwrite = false;
        }
        Action::Enter => {
            if dialog.name.text().trim().is_empty() {
                dialog.field = ExportField::Name;
            } else {
                // A name typed with another known extension picks that format.
                let path = dialog.path();
                let format = ExportFormat::from_path(&path).unwrap_or(dialog.format);
                dialog.format = format;
                app.pending.push(Request::Export {
                    reports: dialog.reports.clone(),
                    format,
                    path,
                    overwrite: dialog.confirm_overwrite,
                    include_blocked: dialog.include_blocked,
                });
            }
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Export(dialog));
}
