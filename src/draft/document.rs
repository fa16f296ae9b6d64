//! The draft application as a document: a title and sections of bullets, quotes and the
//! data-use table, written once and rendered to Markdown or Word, so both say the same.

/// A draft application, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftDocument {
    /// The document's title.
    pub title: String,
    /// The line under the title (a draft, to be checked).
    pub note: String,
    /// The day it was drafted (`YYYY-MM-DD`).
    pub date: String,
    pub sections: Vec<Section>,
    /// True when it names someone's contact details (written owner-only when new).
    pub holds_contact: bool,
}

/// A headed part of the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// One block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A bulleted list.
    Bullets(Vec<String>),
    /// Text quoted from the record (the need's own words), line by line.
    Quote(Vec<String>),
    /// A heading inside a section.
    Subheading(String),
    /// The data-use codes: a header row, then one row per code (the code as written first).
    CodeTable {
        header: [String; 3],
        rows: Vec<[String; 3]>,
    },
}
