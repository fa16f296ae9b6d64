//! Every record read as a match candidate, in flat columns of numbers: concepts as positions in
//! the vocabulary, words as positions in one sorted dictionary. A match compares numbers, not
//! strings, and a stored copy reads back as a few long arrays instead of a million small
//! profiles (see `docs/performance.md`, round 4).

use super::profile::{self, Profile};
use super::similarity::{SubjectWords, WordBag};
use crate::consent;
use crate::model::{Catalog, Dataset, Forum, Kind};
use crate::records::{Damaged, RecordBatches, Records};
use crate::vocab::Vocabulary;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

/// Changes whenever what [`Candidates`] store does, so that a stored copy of another shape
/// is never read as this one.
const STORED_FORMAT: &[u8; 8] = b"mscand05";

/// Records profiled at once on every core before they are handed on.
const PROFILE_CHUNK: usize = 16_384;

/// A custodian position meaning "none".
const NO_CUSTODIAN: u32 = u32::MAX;

/// One run of values per candidate, in one column.
#[derive(Debug, Clone, PartialEq)]
struct Column<T> {
    /// Where each run starts in `values`, and one past the last run's end.
    starts: Vec<u64>,
    values: Vec<T>,
}

impl<T> Default for Column<T> {
    fn default() -> Self {
        Column {
            starts: vec![0],
            values: Vec::new(),
        }
    }
}

impl<T> Column<T> {
    fn push(&mut self, items: impl IntoIterator<Item = T>) {
        self.values.extend(items);
        self.starts.push(self.values.len() as u64);
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Run `i` (empty past the end).
    fn get(&self, i: usize) -> &[T] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => {
                self.values.get(start as usize..end as usize).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// True when the starts rise from 0 to the number of values.
    fn is_sound(&self) -> bool {
        starts_are_sound(&self.starts, self.values.len())
    }
}

/// A list of numbers per candidate.
type Lists = Column<u32>;

impl Lists {
    /// Sound, and every value below `bound`.
    fn is_sound_below(&self, bound: usize) -> bool {
        self.is_sound() && self.values.iter().all(|&v| (v as usize) < bound)
    }
}

/// Strings in one buffer, checked once when read (so taking one is a slice, not a check).
#[derive(Debug, Clone, PartialEq)]
struct Texts {
    /// Where each string starts in `text`, and one past the last one's end.
    starts: Vec<u64>,
    text: String,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            starts: vec![0],
            text: String::new(),
        }
    }
}

impl Texts {
    fn of<'s>(strings: impl IntoIterator<Item = &'s str>) -> Texts {
        let mut texts = Texts::default();
        for s in strings {
            texts.text.push_str(s);
            texts.starts.push(texts.text.len() as u64);
        }
        texts
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// String `i` ("" past the end).
    fn get(&self, i: usize) -> &str {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => self.text.get(start as usize..end as usize).unwrap_or(""),
            _ => "",
        }
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// True when the starts rise from 0 to the end and each falls on a character boundary.
    fn is_sound(&self) -> bool {
        starts_are_sound(&self.starts, self.text.len())
            && self
                .starts
                .iter()
                .all(|&s| self.text.is_char_boundary(s as usize))
    }
}

/// True when `starts` rise from 0 to `len`.
fn starts_are_sound(starts: &[u64], len: usize) -> bool {
    starts.first() == Some(&0)
        && starts.last() == Some(&(len as u64))
        && starts.windows(2).all(|pair| pair[0] <= pair[1])
}

/// The candidates of one kind, a column per part of their profiles.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    diseases: Lists,
    modalities: Lists,
    strategies: Lists,
    clinical: Lists,
    /// Positions in [`Candidates::skills`].
    skills: Lists,
    /// Positions in [`Candidates::words`], ascending.
    words: Lists,
    /// The count of each word of `words`.
    counts: Vec<u32>,
    norms: Vec<f64>,
    /// 0: none, 1: academia, 2: industry.
    forums: Vec<u8>,
}

impl Table {
    /// Makes room for `rows` rows of about the sizes of `like`'s (a table an earlier build
    /// made of nearly the same records): a million rows are not moved as the columns grow.
    /// Never more than twice `like`'s values: past that, the columns grow as they are filled.
    fn reserve_like(&mut self, like: &Table, rows: usize) {
        let scaled = |values: usize| {
            (values.saturating_mul(rows) / like.len().max(1)).min(values.saturating_mul(2))
        };
        for (column, earlier) in [
            (&mut self.diseases, &like.diseases),
            (&mut self.modalities, &like.modalities),
            (&mut self.strategies, &like.strategies),
            (&mut self.clinical, &like.clinical),
            (&mut self.skills, &like.skills),
            (&mut self.words, &like.words),
        ] {
            column.starts.reserve(rows);
            column.values.reserve(scaled(earlier.values.len()));
        }
        self.counts.reserve(scaled(like.counts.len()));
        self.norms.reserve(rows);
        self.forums.reserve(rows);
    }
}

/// One candidate's profile, read from its table a part at a time: most candidates are
/// dropped after a part or two.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'t> {
    table: &'t Table,
    i: usize,
}

impl<'t> Candidate<'t> {
    pub fn diseases(&self) -> &'t [u32] {
        self.table.diseases.get(self.i)
    }

    pub fn modalities(&self) -> &'t [u32] {
        self.table.modalities.get(self.i)
    }

    pub fn strategies(&self) -> &'t [u32] {
        self.table.strategies.get(self.i)
    }

    pub fn clinical(&self) -> &'t [u32] {
        self.table.clinical.get(self.i)
    }

    /// Positions in [`Candidates::skill`].
    pub fn skills(&self) -> &'t [u32] {
        self.table.skills.get(self.i)
    }

    /// Positions in the candidates' dictionary of words, ascending.
    pub fn words(&self) -> &'t [u32] {
        self.table.words.get(self.i)
    }

    /// The count of each of [`Candidate::words`].
    pub fn counts(&self) -> &'t [u32] {
        let start = self.table.words.starts.get(self.i).copied().unwrap_or(0) as usize;
        let len = self.words().len();
        self.table.counts.get(start..start + len).unwrap_or(&[])
    }

    /// The Euclidean norm of the counts.
    pub fn norm(&self) -> f64 {
        self.table.norms.get(self.i).copied().unwrap_or(0.0)
    }

    pub fn forum(&self) -> Option<Forum> {
        self.table.forums.get(self.i).copied().and_then(forum_of)
    }

    /// Cosine similarity of the subject's words with this candidate's.
    pub fn cosine(&self, subject: &SubjectWords) -> f64 {
        subject.cosine(self.words(), self.counts(), self.norm())
    }
}

fn forum_code(forum: Option<Forum>) -> u8 {
    match forum {
        None => 0,
        Some(Forum::Academia) => 1,
        Some(Forum::Industry) => 2,
    }
}

fn forum_of(code: u8) -> Option<Forum> {
    match code {
        1 => Some(Forum::Academia),
        2 => Some(Forum::Industry),
        _ => None,
    }
}

impl Table {
    /// How many candidates.
    pub fn len(&self) -> usize {
        self.norms.len()
    }

    /// Candidate `i` (an empty one past the end).
    pub fn get(&self, i: usize) -> Candidate<'_> {
        Candidate { table: self, i }
    }

    /// True when every column has one entry per candidate and every position is in range.
    fn is_sound(&self, concepts: usize, skills: usize, words: usize) -> bool {
        let n = self.norms.len();
        let concept_lists = [
            &self.diseases,
            &self.modalities,
            &self.strategies,
            &self.clinical,
        ];
        concept_lists
            .iter()
            .all(|lists| lists.len() == n && lists.is_sound_below(concepts))
            && self.skills.len() == n
            && self.skills.is_sound_below(skills)
            && self.words.len() == n
            && self.words.is_sound_below(words)
            && self.counts.len() == self.words.values.len()
            && self.forums.len() == n
            && (0..n).all(|i| self.words.get(i).windows(2).all(|p| p[0] < p[1]))
    }
}

/// Every record of a catalog read through the vocabulary once, as match candidates. Building it
/// is most of the cost of a [`super::Matcher`]; a front end that matches many subjects over one
/// catalog keeps one and passes it to [`super::Matcher::with_candidates`].
#[derive(Debug, Clone, PartialEq)]
pub struct Candidates {
    /// The fingerprint of the vocabulary whose positions the concepts are.
    vocabulary: u64,
    datasets: Table,
    researchers: Table,
    organizations: Table,
    proposals: Table,
    /// Every word of every candidate, sorted, each once.
    words: Texts,
    /// Free skills (expertise, offers and interests that name no concept), each once.
    skills: Texts,
    /// Each dataset's custodian as the consent reasons name it: a position in
    /// `custodian_names`, or [`NO_CUSTODIAN`]. Looked up once: a scan of every organisation
    /// per dataset made one match quadratic in the catalog's size.
    custodians: Vec<u32>,
    custodian_names: Texts,
}

/// Builds the columns from profiles, numbering words in the order first seen (renumbered in
/// dictionary order at the end).
struct Builder<'v> {
    vocab: &'v Vocabulary,
    /// Numbered in the order first seen; the fast hash, since only the numbers are ever seen.
    words: foldhash::HashMap<String, u32>,
    skills: foldhash::HashMap<String, u32>,
    skill_texts: Vec<String>,
    /// An earlier build's word and skill numbers → this one's ([`UNSEEN`] until first met),
    /// so that each of its words is looked up once, not once per candidate holding it.
    earlier_words: Vec<u32>,
    earlier_skills: Vec<u32>,
}

/// A number of [`Builder::earlier_words`] not met yet.
const UNSEEN: u32 = u32::MAX;

/// This build's number of an earlier build's `old` one, as `seen` remembers it, else as
/// `number` gives it (then remembered).
fn renumbered(seen: &mut [u32], old: u32, number: impl FnOnce() -> u32) -> u32 {
    match seen.get(old as usize) {
        Some(&at) if at != UNSEEN => at,
        _ => {
            let at = number();
            if let Some(slot) = seen.get_mut(old as usize) {
                *slot = at;
            }
            at
        }
    }
}

/// A candidate's profile made now, or the row an earlier build made of the same record.
enum Made<'e> {
    Now(Profile),
    Earlier {
        from: &'e Candidates,
        row: usize,
        forum: Option<Forum>,
    },
}

impl Builder<'_> {
    /// This build's number of skill `text`, numbered now when first seen.
    fn skill_number(&mut self, text: &str) -> u32 {
        if let Some(&at) = self.skills.get(text) {
            return at;
        }
        let next = self.skill_texts.len() as u32;
        self.skills.insert(text.to_string(), next);
        self.skill_texts.push(text.to_string());
        next
    }

    /// This build's number of word `text`, numbered now when first seen.
    fn word_number(&mut self, text: &str) -> u32 {
        if let Some(&at) = self.words.get(text) {
            return at;
        }
        let next = self.words.len() as u32;
        self.words.insert(text.to_string(), next);
        next
    }

    /// Adds row `row` of `kind` as `earlier` made it, with `forum`: its concepts are the
    /// same positions (the same vocabulary), its words and skills renumbered.
    fn add_earlier(
        &mut self,
        table: &mut Table,
        earlier: &Candidates,
        kind: Kind,
        row: usize,
        forum: Option<Forum>,
    ) {
        let old = earlier.table(kind).get(row);
        table.diseases.push(old.diseases().iter().copied());
        table.modalities.push(old.modalities().iter().copied());
        table.strategies.push(old.strategies().iter().copied());
        table.clinical.push(old.clinical().iter().copied());
        let mut seen = std::mem::take(&mut self.earlier_skills);
        table.skills.push(
            old.skills()
                .iter()
                .map(|&s| renumbered(&mut seen, s, || self.skill_number(earlier.skill(s)))),
        );
        self.earlier_skills = seen;
        let mut seen = std::mem::take(&mut self.earlier_words);
        table.words.push(old.words().iter().map(|&w| {
            renumbered(&mut seen, w, || {
                self.word_number(earlier.words.get(w as usize))
            })
        }));
        self.earlier_words = seen;
        table.counts.extend_from_slice(old.counts());
        table.norms.push(old.norm());
        table.forums.push(forum_code(forum));
    }

    fn add(&mut self, table: &mut Table, profile: &Profile) {
        let vocab = self.vocab;
        let positions = |ids: &[String]| -> Vec<u32> {
            ids.iter()
                .filter_map(|id| vocab.position(id).map(|p| p as u32))
                .collect()
        };
        table.diseases.push(positions(&profile.diseases));
        table.modalities.push(positions(&profile.modalities));
        table.strategies.push(positions(&profile.strategies));
        table.clinical.push(positions(&profile.clinical));
        let skills: Vec<u32> = profile
            .skills
            .iter()
            .map(|skill| self.skill_number(skill))
            .collect();
        table.skills.push(skills);
        let mut words = Vec::with_capacity(profile.words.counts().len());
        for (word, count) in profile.words.counts() {
            words.push(self.word_number(word));
            // Counts are whole numbers of tokens.
            table.counts.push(*count as u32);
        }
        table.words.push(words);
        table.norms.push(profile.words.norm());
        table.forums.push(forum_code(profile.forum));
    }

    /// The dictionary in order, with every table's words renumbered to it: each candidate's
    /// words were sorted by token, so they stay ascending.
    fn finish(self, tables: [&mut Table; 4]) -> (Texts, Texts) {
        let mut sorted: Vec<(String, u32)> = self.words.into_iter().collect();
        sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut renumbered = vec![0u32; sorted.len()];
        for (new, (_, old)) in sorted.iter().enumerate() {
            renumbered[*old as usize] = new as u32;
        }
        for table in tables {
            table
                .words
                .values
                .par_iter_mut()
                .for_each(|w| *w = renumbered[*w as usize]);
        }
        let words = Texts::of(sorted.iter().map(|(w, _)| w.as_str()));
        let skills = Texts::of(self.skill_texts.iter().map(String::as_str));
        (words, skills)
    }
}

/// Profiles an earlier build made, for a build whose data files are partly unchanged: the
/// candidates it stored, and for a record of an unchanged file its position there.
pub struct Earlier<'e> {
    pub candidates: &'e Candidates,
    /// `(kind, position now)` → position in `candidates`, for records whose profile the
    /// earlier build made from the same record.
    pub position: &'e (dyn Fn(Kind, usize) -> Option<usize> + Sync),
}

impl Earlier<'_> {
    /// The row the earlier build made of record `at` of `kind`, when it made one.
    fn row(&self, kind: Kind, at: usize) -> Option<usize> {
        let row = (self.position)(kind, at)?;
        (row < self.candidates.table(kind).len()).then_some(row)
    }

    /// True when few of the `count` records of `kind` lack a row made earlier, in few runs:
    /// those are best read one at a time (each run's chunks of the snapshot decoded once, and
    /// kept while the build lasts).
    fn few_fresh(&self, kind: Kind, count: usize) -> bool {
        let (mut fresh, mut runs, mut in_run) = (0, 0, false);
        for at in 0..count {
            let is_fresh = self.row(kind, at).is_none();
            fresh += usize::from(is_fresh);
            runs += usize::from(is_fresh && !in_run);
            in_run = is_fresh;
        }
        fresh <= count / AT_A_TIME_SHARE && runs <= AT_A_TIME_RUNS
    }
}

impl Candidates {
    /// Reads every record of the catalog (in catalog order).
    pub fn read(catalog: &Catalog, vocab: &Vocabulary) -> Candidates {
        Candidates::read_batches(catalog, vocab)
            .expect("a catalog in memory hands every record over")
    }

    /// Reads every record, a batch at a time (in position order).
    pub fn read_batches(
        records: &dyn RecordBatches,
        vocab: &Vocabulary,
    ) -> Result<Candidates, Damaged> {
        Candidates::read_reusing(records, vocab, None)
    }

    /// Like [`Candidates::read_batches`], taking the profiles `earlier` made of the records
    /// it knows instead of reading them through the vocabulary again (a proposal's forum,
    /// its proposer's, is looked up again): the same candidates.
    pub fn read_reusing(
        records: &dyn RecordBatches,
        vocab: &Vocabulary,
        earlier: Option<&Earlier<'_>>,
    ) -> Result<Candidates, Damaged> {
        let owners = match earlier.map(|e| owners_reusing(records, e)).transpose()? {
            Some(Some(owners)) => owners,
            _ => consent::OwnerDirectory::new(records)?,
        };
        let mut builder = Builder {
            vocab,
            words: foldhash::HashMap::default(),
            skills: foldhash::HashMap::default(),
            skill_texts: Vec::new(),
            earlier_words: vec![UNSEEN; earlier.map_or(0, |e| e.candidates.words.len())],
            earlier_skills: vec![UNSEEN; earlier.map_or(0, |e| e.candidates.skills.len())],
        };
        let mut tables: [Table; 4] = Default::default();
        for (table, kind) in tables.iter_mut().zip(STORED_KINDS) {
            if let Some(earlier) = earlier {
                table.reserve_like(earlier.candidates.table(kind), records.count(kind));
            }
            each_profile(records, vocab, &owners, kind, earlier, &mut |made| {
                for made in made {
                    match made {
                        Made::Now(profile) => builder.add(table, &profile),
                        Made::Earlier { from, row, forum } => {
                            builder.add_earlier(table, from, kind, row, forum)
                        }
                    }
                }
            })?;
        }
        let [mut datasets, mut researchers, mut organizations, mut proposals] = tables;
        let (words, skills) = builder.finish([
            &mut datasets,
            &mut researchers,
            &mut organizations,
            &mut proposals,
        ]);
        let reused = earlier
            .map(|earlier| custodian_labels_reusing(records, earlier))
            .transpose()?
            .flatten();
        let (custodians, custodian_names) = match reused {
            Some(labels) => labels,
            None => custodian_labels(records)?,
        };
        Ok(Candidates::assemble(
            vocab.fingerprint(),
            [datasets, researchers, organizations, proposals],
            [words, skills, custodian_names],
            custodians,
        ))
    }

    /// Candidates from their parts, in the order they are written.
    fn assemble(
        vocabulary: u64,
        tables: [Table; 4],
        texts: [Texts; 3],
        custodians: Vec<u32>,
    ) -> Candidates {
        let [datasets, researchers, organizations, proposals] = tables;
        let [words, skills, custodian_names] = texts;
        Candidates {
            vocabulary,
            datasets,
            researchers,
            organizations,
            proposals,
            words,
            skills,
            custodians,
            custodian_names,
        }
    }

    /// Reads every record as a candidate and writes them for [`Candidates::load`] (the index
    /// build stores them beside the index, so that a match need not read every record through
    /// the vocabulary again).
    pub fn write(
        records: &dyn RecordBatches,
        vocab: &Vocabulary,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        Candidates::write_reusing(records, vocab, None, out)
    }

    /// Like [`Candidates::write`], taking what `earlier` made (see
    /// [`Candidates::read_reusing`]).
    pub fn write_reusing(
        records: &dyn RecordBatches,
        vocab: &Vocabulary,
        earlier: Option<&Earlier<'_>>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        Candidates::read_reusing(records, vocab, earlier)
            .map_err(io::Error::other)?
            .write_to(out)
    }

    fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(STORED_FORMAT)?;
        out.write_all(&self.vocabulary.to_le_bytes())?;
        for table in self.tables() {
            for lists in [
                &table.diseases,
                &table.modalities,
                &table.strategies,
                &table.clinical,
                &table.skills,
                &table.words,
            ] {
                write_u64s(out, &lists.starts)?;
                write_u32s(out, &lists.values)?;
            }
            write_u32s(out, &table.counts)?;
            write_u64s(
                out,
                &table.norms.iter().map(|n| n.to_bits()).collect::<Vec<_>>(),
            )?;
            write_bytes(out, &table.forums)?;
        }
        for texts in [&self.words, &self.skills, &self.custodian_names] {
            write_u64s(out, &texts.starts)?;
            write_bytes(out, texts.text.as_bytes())?;
        }
        write_u32s(out, &self.custodians)
    }

    /// Reads candidates written by [`Candidates::write`] with the same vocabulary; `None` when
    /// the bytes are of another format or vocabulary, or damaged in any way. See
    /// [`Candidates::fits`] before use.
    pub fn load(bytes: &[u8], vocab: &Vocabulary) -> Option<Candidates> {
        let mut input = Input(bytes.strip_prefix(STORED_FORMAT.as_slice())?);
        let vocabulary = u64::from_le_bytes(input.take(8)?.try_into().ok()?);
        if vocabulary != vocab.fingerprint() {
            return None;
        }
        let mut tables: [Table; 4] = Default::default();
        for table in &mut tables {
            for lists in [
                &mut table.diseases,
                &mut table.modalities,
                &mut table.strategies,
                &mut table.clinical,
                &mut table.skills,
                &mut table.words,
            ] {
                lists.starts = input.u64s()?;
                lists.values = input.u32s()?;
            }
            table.counts = input.u32s()?;
            table.norms = input.u64s()?.into_iter().map(f64::from_bits).collect();
            table.forums = input.bytes()?.to_vec();
        }
        let mut texts: [Texts; 3] = Default::default();
        for t in &mut texts {
            t.starts = input.u64s()?;
            t.text = String::from_utf8(input.bytes()?.to_vec()).ok()?;
        }
        let custodians = input.u32s()?;
        let candidates = Candidates::assemble(vocabulary, tables, texts, custodians);
        (input.0.is_empty() && candidates.is_sound(vocab)).then_some(candidates)
    }

    /// True when every column and position is consistent, and the dictionary sorted (the
    /// word comparison relies on it).
    fn is_sound(&self, vocab: &Vocabulary) -> bool {
        let (concepts, skills, words) = (vocab.len(), self.skills.len(), self.words.len());
        [&self.words, &self.skills, &self.custodian_names]
            .iter()
            .all(|texts| texts.is_sound())
            && (1..self.words.len()).all(|i| self.words.get(i - 1) < self.words.get(i))
            && self
                .tables()
                .iter()
                .all(|table| table.is_sound(concepts, skills, words))
            && self.custodians.len() == self.datasets.len()
            && self
                .custodians
                .iter()
                .all(|&c| c == NO_CUSTODIAN || (c as usize) < self.custodian_names.len())
    }

    fn tables(&self) -> [&Table; 4] {
        [
            &self.datasets,
            &self.researchers,
            &self.organizations,
            &self.proposals,
        ]
    }

    /// True when there is a candidate for every record of the catalog (stored candidates of
    /// another catalog never are used for this one).
    pub fn fits(&self, records: &dyn Records) -> bool {
        self.datasets.len() == records.count(Kind::Dataset)
            && self.researchers.len() == records.count(Kind::Researcher)
            && self.organizations.len() == records.count(Kind::Organization)
            && self.proposals.len() == records.count(Kind::Proposal)
    }

    /// How many candidates of `kind` (needs: none).
    pub fn len_of(&self, kind: Kind) -> usize {
        self.table(kind).len()
    }

    /// The candidates of one kind (needs are never candidates: an empty table).
    pub(crate) fn table(&self, kind: Kind) -> &Table {
        static NONE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
        match kind {
            Kind::Dataset => &self.datasets,
            Kind::Researcher => &self.researchers,
            Kind::Organization => &self.organizations,
            Kind::Proposal => &self.proposals,
            Kind::Need => NONE.get_or_init(Table::default),
        }
    }

    /// The custodian of dataset `i` as the consent reasons name it.
    pub(crate) fn custodian(&self, i: usize) -> Option<&str> {
        match self.custodians.get(i).copied() {
            Some(NO_CUSTODIAN) | None => None,
            Some(at) => Some(self.custodian_names.get(at as usize)),
        }
    }

    /// A free skill by position.
    pub(crate) fn skill(&self, at: u32) -> &str {
        self.skills.get(at as usize)
    }

    /// A subject's words as positions in this dictionary.
    pub(crate) fn subject_words(&self, bag: &WordBag) -> SubjectWords {
        let words = &self.words;
        SubjectWords::new(bag, |token| {
            let (mut low, mut high) = (0, words.len());
            while low < high {
                let middle = (low + high) / 2;
                match words.get(middle).cmp(token) {
                    std::cmp::Ordering::Less => low = middle + 1,
                    std::cmp::Ordering::Greater => high = middle,
                    std::cmp::Ordering::Equal => return Some(middle as u32),
                }
            }
            None
        })
    }

    /// The profile candidate `i` of `kind` was made from (a proposal, organisation or
    /// researcher matched as a subject).
    pub(crate) fn profile(&self, kind: Kind, i: usize, vocab: &Vocabulary) -> Profile {
        let candidate = self.table(kind).get(i);
        let ids = |positions: &[u32]| concept_ids(vocab, positions);
        let counts = candidate
            .words()
            .iter()
            .zip(candidate.counts())
            .map(|(&w, &c)| (self.words.get(w as usize).to_string(), f64::from(c)))
            .collect();
        Profile {
            diseases: ids(candidate.diseases()),
            modalities: ids(candidate.modalities()),
            strategies: ids(candidate.strategies()),
            clinical: ids(candidate.clinical()),
            skills: candidate
                .skills()
                .iter()
                .map(|&s| self.skill(s).to_string())
                .collect(),
            words: WordBag::from_sorted(counts, candidate.norm()).unwrap_or_default(),
            forum: candidate.forum(),
        }
    }

    /// The diseases of the candidate at `i` of `kind`, as its profile has them: concept ids
    /// in the order first met (what [`Candidates::profile`] gives, without the rest).
    pub fn diseases_of(&self, kind: Kind, i: usize, vocab: &Vocabulary) -> Vec<String> {
        concept_ids(vocab, self.table(kind).get(i).diseases())
    }
}

/// The ids of the concepts at `positions` of the vocabulary, in that order.
fn concept_ids(vocab: &Vocabulary, positions: &[u32]) -> Vec<String> {
    positions
        .iter()
        .filter_map(|&p| vocab.concept_at(p as usize).map(|c| c.id.clone()))
        .collect()
}

/// The kinds stored, in the order they are written: the candidates are made of these kinds'
/// records alone (a need is never a candidate, and no candidate's profile reads a need).
pub const STORED_KINDS: [Kind; 4] = [
    Kind::Dataset,
    Kind::Researcher,
    Kind::Organization,
    Kind::Proposal,
];

/// Profiles every record of one kind (needs: none), in position order: a chunk at a time,
/// each chunk on every core (a profile depends on its record alone, and a proposal's on its
/// proposer's forum), handing each chunk to `sink`. A record `earlier` profiled is handed
/// over as its row there (with its forum looked up again, for a proposal).
fn each_profile<'e>(
    records: &dyn RecordBatches,
    vocab: &Vocabulary,
    owners: &consent::OwnerDirectory,
    kind: Kind,
    earlier: Option<&Earlier<'e>>,
    sink: &mut dyn FnMut(Vec<Made<'e>>),
) -> Result<(), Damaged> {
    if let Some(earlier) = earlier.filter(|_| OWN_FORUM.contains(&kind)) {
        if each_profile_at(records, vocab, kind, earlier, sink)? {
            return Ok(());
        }
    }
    // Records walked so far: the position of the next batch's first.
    let mut walked = 0;
    // Profiles `count` records, `profile` given each one's position and its place in the batch.
    let mut chunked = |count: usize, profile: &(dyn Fn(usize, usize) -> Made<'e> + Sync)| {
        let first = walked;
        for from in (0..count).step_by(PROFILE_CHUNK) {
            let to = count.min(from + PROFILE_CHUNK);
            sink(
                (from..to)
                    .into_par_iter()
                    .map(|i| profile(first + i, i))
                    .collect(),
            );
        }
        walked += count;
    };
    let row = |at: usize| {
        let earlier = earlier?;
        Some((earlier.candidates, earlier.row(kind, at)?))
    };
    // A row made earlier keeps the forum it was made with (the record's own).
    let made = |at: usize, now: &dyn Fn() -> Profile| match row(at) {
        Some((from, row)) => Made::Earlier {
            from,
            row,
            forum: from.table(kind).get(row).forum(),
        },
        None => Made::Now(now()),
    };
    match kind {
        Kind::Dataset => records.datasets(&mut |batch| {
            chunked(batch.len(), &|at, i| {
                made(at, &|| profile::of_dataset(&batch[i], vocab))
            });
        }),
        Kind::Researcher => records.researchers(&mut |batch| {
            chunked(batch.len(), &|at, i| {
                made(at, &|| profile::of_researcher(&batch[i], vocab))
            });
        }),
        Kind::Organization => records.organizations(&mut |batch| {
            chunked(batch.len(), &|at, i| {
                made(at, &|| profile::of_organization(&batch[i], vocab))
            });
        }),
        Kind::Proposal => records.proposals(&mut |batch| {
            chunked(batch.len(), &|at, i| {
                let p = &batch[i];
                let owner = owners.standing(p.proposer.as_deref());
                let forum = super::engine::standing_forum(&owner);
                match row(at) {
                    Some((from, row)) => Made::Earlier { from, row, forum },
                    None => Made::Now(profile::of_proposal(p, vocab, forum)),
                }
            });
        }),
        Kind::Need => Ok(()),
    }
}

/// The kinds whose rows keep the forum they were made with (the record's own): a row made
/// earlier needs nothing of the record.
const OWN_FORUM: [Kind; 3] = [Kind::Dataset, Kind::Researcher, Kind::Organization];

/// Past one record in this many without a row made earlier, or past this many runs of them,
/// the records of a kind are read a batch at a time rather than one at a time.
const AT_A_TIME_SHARE: usize = 16;
const AT_A_TIME_RUNS: usize = 64;

/// [`each_profile`] for a kind of [`OWN_FORUM`] when few records lack a row made earlier:
/// those are read one at a time (the others are not decoded at all). `false` (nothing made)
/// when too many lack one.
fn each_profile_at<'e>(
    records: &dyn RecordBatches,
    vocab: &Vocabulary,
    kind: Kind,
    earlier: &Earlier<'e>,
    sink: &mut dyn FnMut(Vec<Made<'e>>),
) -> Result<bool, Damaged> {
    let count = records.count(kind);
    if !earlier.few_fresh(kind, count) {
        return Ok(false);
    }
    let table = earlier.candidates.table(kind);
    for from in (0..count).step_by(PROFILE_CHUNK) {
        let to = count.min(from + PROFILE_CHUNK);
        let made = (from..to)
            .map(|at| {
                Ok(match earlier.row(kind, at) {
                    Some(row) => Made::Earlier {
                        from: earlier.candidates,
                        row,
                        forum: table.get(row).forum(),
                    },
                    None => Made::Now(match kind {
                        Kind::Dataset => {
                            profile::of_dataset(records.dataset(at).ok_or(Damaged)?, vocab)
                        }
                        Kind::Researcher => {
                            profile::of_researcher(records.researcher(at).ok_or(Damaged)?, vocab)
                        }
                        _ => profile::of_organization(
                            records.organization(at).ok_or(Damaged)?,
                            vocab,
                        ),
                    }),
                })
            })
            .collect::<Result<Vec<Made<'e>>, Damaged>>()?;
        sink(made);
    }
    Ok(true)
}

/// The owner directory with the forums of organisations and researchers taken from the rows
/// made earlier (a row keeps its record's own forum), the few records without one read one
/// at a time; `None` when too many lack one.
fn owners_reusing(
    records: &dyn RecordBatches,
    earlier: &Earlier<'_>,
) -> Result<Option<consent::OwnerDirectory>, Damaged> {
    for kind in [Kind::Organization, Kind::Researcher] {
        if !earlier.few_fresh(kind, records.count(kind)) {
            return Ok(None);
        }
    }
    let forum = |kind: Kind, at: usize| -> Result<Option<Forum>, Damaged> {
        Ok(match earlier.row(kind, at) {
            Some(row) => earlier.candidates.table(kind).get(row).forum(),
            None if kind == Kind::Researcher => records.researcher(at).ok_or(Damaged)?.forum,
            None => Some(records.organization(at).ok_or(Damaged)?.forum),
        })
    };
    let mut organizations = HashMap::with_capacity(records.count(Kind::Organization));
    for at in 0..records.count(Kind::Organization) {
        let id = records.id(Kind::Organization, at);
        if !organizations.contains_key(id) {
            let forum = forum(Kind::Organization, at)?.ok_or(Damaged)?;
            organizations.insert(id.to_string(), forum);
        }
    }
    let mut researchers = HashMap::with_capacity(records.count(Kind::Researcher));
    for at in 0..records.count(Kind::Researcher) {
        let id = records.id(Kind::Researcher, at);
        if !researchers.contains_key(id) {
            researchers.insert(id.to_string(), forum(Kind::Researcher, at)?);
        }
    }
    consent::OwnerDirectory::with_forums(records, organizations, researchers).map(Some)
}

/// A dataset's custodian id, trimmed; `None` when there is none.
fn custodian_of(dataset: &Dataset) -> Option<&str> {
    dataset
        .custodian
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// [`consent::custodian_label`] of every dataset, through one id → name map of the
/// custodians named: each dataset's position in the distinct labels, and the labels.
fn custodian_labels(records: &dyn RecordBatches) -> Result<(Vec<u32>, Texts), Damaged> {
    let mut custodians: Vec<Option<String>> = Vec::with_capacity(records.count(Kind::Dataset));
    records.datasets(&mut |batch| {
        custodians.extend(batch.iter().map(|d| custodian_of(d).map(str::to_string)));
    })?;
    let named: HashSet<&str> = custodians.iter().flatten().map(String::as_str).collect();
    let mut names: HashMap<String, String> = HashMap::with_capacity(named.len());
    // Researchers first so that an organisation with the same id wins, as in `custodian_label`;
    // the records of a kind are read only when a custodian is one of them.
    let names_one =
        |kind: Kind| (0..records.count(kind)).any(|at| named.contains(records.id(kind, at)));
    if names_one(Kind::Researcher) {
        records.researchers(&mut |batch| {
            for r in batch.iter().filter(|r| named.contains(r.id.as_str())) {
                names.insert(r.id.clone(), consent::researcher_custodian_label(r));
            }
        })?;
    }
    if names_one(Kind::Organization) {
        records.organizations(&mut |batch| {
            for o in batch.iter().filter(|o| named.contains(o.id.as_str())) {
                names.insert(o.id.clone(), o.name.clone());
            }
        })?;
    }
    Ok(labelled(custodians.iter().map(|custodian| {
        let custodian = custodian.as_deref()?;
        Some(names.get(custodian).map_or(custodian, String::as_str))
    })))
}

/// Each dataset's custodian label (in position order) as its position in the distinct
/// labels, in the order first met, and the labels.
fn labelled<'l>(labels_of_datasets: impl Iterator<Item = Option<&'l str>>) -> (Vec<u32>, Texts) {
    let mut distinct: HashMap<&str, u32> = HashMap::new();
    let mut labels: Vec<&str> = Vec::new();
    let mut positions = Vec::with_capacity(labels_of_datasets.size_hint().0);
    for label in labels_of_datasets {
        let Some(label) = label else {
            positions.push(NO_CUSTODIAN);
            continue;
        };
        let at = *distinct.entry(label).or_insert_with(|| {
            labels.push(label);
            (labels.len() - 1) as u32
        });
        positions.push(at);
    }
    (positions, Texts::of(labels.iter().copied()))
}

/// [`custodian_labels`] with the label of each dataset profiled earlier taken from its row:
/// when every researcher and organisation is where it was (so that a custodian id names
/// what it named then) and few datasets lack a row (those read one at a time, and their
/// custodians found by id without reading the others); `None` otherwise.
fn custodian_labels_reusing(
    records: &dyn RecordBatches,
    earlier: &Earlier<'_>,
) -> Result<Option<(Vec<u32>, Texts)>, Damaged> {
    let in_place = |kind: Kind| {
        let count = records.count(kind);
        earlier.candidates.len_of(kind) == count
            && (0..count).all(|at| earlier.row(kind, at) == Some(at))
    };
    let datasets = records.count(Kind::Dataset);
    if !in_place(Kind::Researcher)
        || !in_place(Kind::Organization)
        || !earlier.few_fresh(Kind::Dataset, datasets)
    {
        return Ok(None);
    }
    let mut fresh: HashMap<usize, Option<String>> = HashMap::new();
    for at in 0..datasets {
        if earlier.row(Kind::Dataset, at).is_none() {
            let dataset = records.dataset(at).ok_or(Damaged)?;
            fresh.insert(at, custodian_of(dataset).map(str::to_string));
        }
    }
    let named: HashSet<&str> = fresh.values().flatten().map(String::as_str).collect();
    let mut names: HashMap<&str, String> = HashMap::with_capacity(named.len());
    // Researchers first so that an organisation with the same id wins, as in `custodian_label`.
    for at in 0..records.count(Kind::Researcher) {
        if let Some(id) = named.get(records.id(Kind::Researcher, at)) {
            let researcher = records.researcher(at).ok_or(Damaged)?;
            names.insert(id, consent::researcher_custodian_label(researcher));
        }
    }
    for at in 0..records.count(Kind::Organization) {
        if let Some(id) = named.get(records.id(Kind::Organization, at)) {
            let organization = records.organization(at).ok_or(Damaged)?;
            names.insert(id, organization.name.clone());
        }
    }
    let label = |at: usize| match earlier.row(Kind::Dataset, at) {
        Some(row) => earlier.candidates.custodian(row),
        None => {
            let custodian = fresh.get(&at)?.as_deref()?;
            Some(names.get(custodian).map_or(custodian, String::as_str))
        }
    };
    Ok(Some(labelled((0..datasets).map(label))))
}

/// Values written between two writes: a column of a million rows is not copied whole.
const WRITE_RUN: usize = 8_192;

fn write_u64s(out: &mut dyn Write, values: &[u64]) -> io::Result<()> {
    write_column(out, values, u64::to_le_bytes)
}

fn write_u32s(out: &mut dyn Write, values: &[u32]) -> io::Result<()> {
    write_column(out, values, u32::to_le_bytes)
}

/// A column: its length, then each value's little-endian bytes, a run at a time.
fn write_column<T: Copy, const N: usize>(
    out: &mut dyn Write,
    values: &[T],
    le: fn(T) -> [u8; N],
) -> io::Result<()> {
    out.write_all(&(values.len() as u64).to_le_bytes())?;
    let mut bytes = Vec::with_capacity(WRITE_RUN * N);
    for run in values.chunks(WRITE_RUN) {
        bytes.clear();
        bytes.extend(run.iter().flat_map(|&v| le(v)));
        out.write_all(&bytes)?;
    }
    Ok(())
}

fn write_bytes(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)
}

/// What is left of a stored file, read from the front; every read checks its length.
struct Input<'b>(&'b [u8]);

impl<'b> Input<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn count(&mut self, width: usize) -> Option<usize> {
        let n = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
        let n = usize::try_from(n).ok()?;
        // A count the rest of the file cannot hold is damage, not a reason to allocate.
        (n.checked_mul(width)? <= self.0.len()).then_some(n)
    }

    fn u64s(&mut self) -> Option<Vec<u64>> {
        let n = self.count(8)?;
        let bytes = self.take(n * 8)?;
        Some(
            bytes
                .chunks_exact(8)
                .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect(),
        )
    }

    fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.count(4)?;
        let bytes = self.take(n * 4)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )
    }

    fn bytes(&mut self) -> Option<&'b [u8]> {
        let n = self.count(1)?;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Dataset, Organization, Researcher};

    fn dataset(id: &str, custodian: Option<&str>) -> Dataset {
        Dataset {
            id: id.into(),
            title: id.into(),
            area: Area::Cancer,
            diseases: Vec::new(),
            cases: 1,
            modalities: Vec::new(),
            clinical: Vec::new(),
            custodian: custodian.map(String::from),
            fiscal_year: None,
            access: None,
            data_use: Vec::new(),
            summary: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn rows_taken_over_one_record_at_a_time_equal_those_read_afresh() {
        let vocab = Vocabulary::builtin();
        let mut catalog = crate::synthetic::catalog(4_000, 17);
        let earlier = Candidates::read(&catalog, vocab);
        // One record of each kind made now: few enough to be read one at a time.
        catalog.datasets[5].diseases = vec!["膵がん".into()];
        catalog.datasets[5].summary = Some("new words 新しい".into());
        // A researcher who proposes changes forum: the proposals are not changed, their rows'
        // forum is (it is their proposer's).
        let proposer = catalog
            .proposals
            .iter()
            .filter_map(|p| p.proposer.clone())
            .find_map(|id| catalog.researchers.iter().position(|r| r.id == id))
            .expect("a researcher proposes");
        let forum = match catalog.researchers[proposer].forum {
            Some(Forum::Industry) => Forum::Academia,
            _ => Forum::Industry,
        };
        catalog.researchers[proposer].forum = Some(forum);
        catalog.researchers[proposer].name = "新井 春".into();
        catalog.organizations[2].interests = vec!["ALS".into()];
        let changed = [
            (Kind::Dataset, 5),
            (Kind::Researcher, proposer),
            (Kind::Organization, 2),
        ];
        let position = |kind, at| (!changed.contains(&(kind, at))).then_some(at);
        let taken_over = Candidates::read_reusing(
            &catalog,
            vocab,
            Some(&Earlier {
                candidates: &earlier,
                position: &position,
            }),
        )
        .expect("a catalog in memory");
        let bytes = |candidates: &Candidates| {
            let mut out = Vec::new();
            candidates.write_to(&mut out).expect("written");
            out
        };
        let afresh = Candidates::read(&catalog, vocab);
        let proposal_forums = |candidates: &Candidates| -> Vec<Option<Forum>> {
            let table = candidates.table(Kind::Proposal);
            (0..table.len()).map(|row| table.get(row).forum()).collect()
        };
        assert!(
            proposal_forums(&earlier) != proposal_forums(&afresh),
            "a proposal's forum changed with its proposer's"
        );
        assert!(bytes(&taken_over) == bytes(&afresh));
        assert!(bytes(&earlier) != bytes(&afresh), "the edits changed rows");
    }

    /// Asserts that the custodian labels taken over from `earlier` (records found there by
    /// `position`) are those read afresh, and gives them.
    fn labels_taken_over_are_afresh(
        catalog: &Catalog,
        earlier: &Candidates,
        position: &(dyn Fn(Kind, usize) -> Option<usize> + Sync),
    ) -> (Vec<u32>, Texts) {
        let taken_over = Earlier {
            candidates: earlier,
            position,
        };
        let reused = custodian_labels_reusing(catalog, &taken_over)
            .expect("in memory")
            .expect("few datasets are fresh, every custodian where it was");
        let afresh = custodian_labels(catalog).expect("in memory");
        assert_eq!(reused.0, afresh.0);
        assert!(reused.1.iter().eq(afresh.1.iter()));
        afresh
    }

    #[test]
    fn custodian_labels_taken_over_equal_those_read_afresh() {
        let vocab = Vocabulary::builtin();
        let mut catalog = crate::synthetic::catalog(4_000, 23);
        let earlier = Candidates::read(&catalog, vocab);
        // Fresh datasets naming a researcher, an organisation (its name differs from its
        // id), an id no record has, and no one; the others keep their earlier labels.
        let researcher = catalog.researchers[7].id.clone();
        let organization = catalog.organizations[3].id.clone();
        catalog.datasets[5].custodian = Some(format!(" {researcher} "));
        catalog.datasets[6].custodian = Some(organization);
        catalog.datasets[7].custodian = Some("NOBODY-9".into());
        catalog.datasets[8].custodian = None;
        let fresh = |kind, at| kind == Kind::Dataset && (5..9).contains(&at);
        let position = |kind, at| (!fresh(kind, at)).then_some(at);
        let afresh = labels_taken_over_are_afresh(&catalog, &earlier, &position);
        let label = |at: usize| afresh.1.get(afresh.0[at] as usize).to_string();
        assert_eq!(
            label(5),
            consent::researcher_custodian_label(&catalog.researchers[7])
        );
        assert_eq!(label(6), catalog.organizations[3].name);
        assert_eq!(label(7), "NOBODY-9");
        assert_eq!(afresh.0[8], NO_CUSTODIAN);

        // A researcher read afresh may name datasets otherwise: nothing is taken over.
        let moved = |kind, at| (kind != Kind::Researcher || at != 7).then_some(at);
        let researcher_fresh = Earlier {
            candidates: &earlier,
            position: &moved,
        };
        assert!(custodian_labels_reusing(&catalog, &researcher_fresh)
            .expect("in memory")
            .is_none());
    }

    #[test]
    fn custodian_labels_taken_over_follow_datasets_that_moved() {
        let vocab = Vocabulary::builtin();
        let before = crate::synthetic::catalog(4_000, 29);
        let earlier = Candidates::read(&before, vocab);
        // Two fresh datasets first: every earlier row is two places on.
        let mut catalog = before.clone();
        let mut a = catalog.datasets[0].clone();
        a.id = "DS-NEW-A".into();
        a.custodian = Some(catalog.researchers[3].id.clone());
        let mut b = catalog.datasets[1].clone();
        b.id = "DS-NEW-B".into();
        b.custodian = Some("NOBODY-7".into());
        catalog.datasets.insert(0, b);
        catalog.datasets.insert(0, a);
        let position = |kind, at: usize| match kind {
            Kind::Dataset => at.checked_sub(2),
            _ => Some(at),
        };
        labels_taken_over_are_afresh(&catalog, &earlier, &position);
        let taken_over = Earlier {
            candidates: &earlier,
            position: &position,
        };
        let bytes = |candidates: &Candidates| {
            let mut out = Vec::new();
            candidates.write_to(&mut out).expect("written");
            out
        };
        let all = Candidates::read_reusing(&catalog, vocab, Some(&taken_over)).expect("in memory");
        assert!(bytes(&all) == bytes(&Candidates::read(&catalog, vocab)));
    }

    #[test]
    fn custodian_labels_agree_with_the_consent_rules() {
        let catalog = Catalog {
            datasets: vec![
                dataset("D1", Some("ORG1")),
                dataset("D2", Some(" R1 ")),
                dataset("D3", Some("北辰大学病院 血液内科")),
                dataset("D4", Some("  ")),
                dataset("D5", None),
            ],
            organizations: vec![Organization {
                id: "ORG1".into(),
                name: "蒼海製薬".into(),
                name_en: None,
                forum: Forum::Industry,
                sector: None,
                interests: Vec::new(),
                offers: Vec::new(),
                summary: None,
                contact_name: None,
                email: None,
                contact_ok: false,
                extra: Default::default(),
            }],
            researchers: vec![Researcher {
                id: "R1".into(),
                name: "伊藤 亮".into(),
                ..Researcher::default()
            }],
            ..Catalog::default()
        };
        let candidates = Candidates::read(&catalog, Vocabulary::builtin());
        let labels: Vec<Option<String>> = (0..catalog.datasets.len())
            .map(|i| candidates.custodian(i).map(String::from))
            .collect();
        let expected: Vec<Option<String>> = catalog
            .datasets
            .iter()
            .map(|d| consent::custodian_label(d, &catalog))
            .collect();
        assert_eq!(labels, expected);
        assert_eq!(labels[0].as_deref(), Some("蒼海製薬"));
        // A researcher custodian is named by affiliation or id, never by personal name.
        assert_eq!(labels[1].as_deref(), Some("R1"));
        assert_eq!(labels[2].as_deref(), Some("北辰大学病院 血液内科"));
        assert_eq!(labels[3], None);
    }

    fn catalog() -> Catalog {
        crate::synthetic::catalog(600, 7)
    }

    #[test]
    fn stored_candidates_read_back_whole() {
        let (catalog, vocab) = (catalog(), Vocabulary::builtin());
        let candidates = Candidates::read(&catalog, vocab);
        let mut bytes = Vec::new();
        candidates.write_to(&mut bytes).expect("written");
        let back = Candidates::load(&bytes, vocab).expect("read back");
        assert_eq!(back, candidates);
        assert!(back.fits(&catalog));
        assert!(candidates.datasets.len() > 100 && candidates.words.len() > 100);
    }

    #[test]
    fn each_candidate_gives_back_the_profile_it_was_made_from() {
        let (catalog, vocab) = (catalog(), Vocabulary::builtin());
        let candidates = Candidates::read(&catalog, vocab);
        for (i, r) in catalog.researchers.iter().enumerate() {
            let made = profile::of_researcher(r, vocab);
            let back = candidates.profile(Kind::Researcher, i, vocab);
            assert_eq!(back.diseases, made.diseases);
            assert_eq!(back.modalities, made.modalities);
            assert_eq!(back.skills, made.skills);
            assert_eq!(back.words, made.words);
            assert_eq!(back.forum, made.forum);
        }
        for (i, d) in catalog.datasets.iter().enumerate() {
            let want = consent::custodian_label(d, &catalog);
            assert_eq!(candidates.custodian(i), want.as_deref(), "{}", d.id);
        }
    }

    #[test]
    fn damaged_or_foreign_candidates_are_not_read() {
        let (catalog, vocab) = (catalog(), Vocabulary::builtin());
        let mut bytes = Vec::new();
        Candidates::read(&catalog, vocab)
            .write_to(&mut bytes)
            .expect("written");
        assert!(Candidates::load(&bytes[..bytes.len() - 1], vocab).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Candidates::load(&longer, vocab).is_none());
        let mut older = bytes.clone();
        older[..8].copy_from_slice(b"mscand04");
        assert!(Candidates::load(&older, vocab).is_none());
        let mut other_vocabulary = bytes.clone();
        other_vocabulary[8] ^= 1;
        assert!(Candidates::load(&other_vocabulary, vocab).is_none());
        // Every single byte flipped in the first few kilobytes either reads as the same
        // candidates' shape or not at all; nothing panics.
        for at in (16..bytes.len().min(4096)).step_by(7) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0xA5;
            if let Some(read) = Candidates::load(&flipped, vocab) {
                assert!(read.is_sound(vocab));
            }
        }
    }

    #[test]
    fn an_unsorted_dictionary_is_refused() {
        let (catalog, vocab) = (catalog(), Vocabulary::builtin());
        let mut candidates = Candidates::read(&catalog, vocab);
        let mut words: Vec<String> = candidates.words.iter().map(String::from).collect();
        words.swap(0, 1);
        candidates.words = Texts::of(words.iter().map(String::as_str));
        let mut bytes = Vec::new();
        candidates.write_to(&mut bytes).expect("written");
        assert!(Candidates::load(&bytes, vocab).is_none());
    }
}
