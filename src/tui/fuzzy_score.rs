//! The as-you-type scan's fuzzy score of a text, worked out without the matcher's allocations:
//! the score `fuzzy_matcher`'s `SkimMatcherV2` (ignoring case, a new matcher for each text, see
//! [`by_the_matcher`]) gives a query of several characters, kept only when its alignment is compact (as
//! [`highlight::fuzzy`](super::widgets::highlight::fuzzy) keeps it), and the narrowest window
//! of the text that holds the query's characters in order (what the next keystroke's scan
//! needs to know, see `finder::Narrowing`).
//!
//! The matcher fills a matrix of cells per call and walks it back for the positions; here the
//! same recurrence runs on two rows, each cell carrying where its alignment starts, which is all
//! the compactness test needs of the positions. Tests compare both with the matcher on
//! generated and hand-picked texts. Texts and queries long enough for the matcher's "minus
//! infinity" to come within reach of real scores go to the matcher itself.

use fuzzy_matcher::skim::SkimMatcherV2;

/// The matcher's scores (`SkimScoreConfig::default()`, a test compares them), spelled out.
const SCORE_MATCH: i32 = 16;
const CASE_MISMATCH: i32 = -2;
const GAP_START: i32 = -3;
pub(super) const GAP_EXTENSION: i32 = -1;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
pub(super) const FIRST_CHAR_MULTIPLIER: i32 = 2;
/// The matcher's "minus infinity" for cells that cannot match.
const NEG_INFINITY: i32 = i16::MIN as i32;

/// Beyond these lengths the matcher itself is asked: below them every real score stays far
/// above anything derived from [`NEG_INFINITY`] (32 a row at most, against 4 a character at
/// least), so the two-row recurrence takes the matcher's path.
const MAX_QUERY: usize = 64;
const MAX_TEXT: usize = 4_000;

/// A compact match's characters lie within this many times the query's length (see
/// `highlight::fuzzy`).
const COMPACT_SPAN: usize = 2;

/// What the matcher makes of a character and the one before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn char_type(c: char) -> CharType {
    match c {
        '\0' => CharType::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => CharType::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => CharType::SoftSep,
        '0'..='9' => CharType::Number,
        'A'..='Z' => CharType::Upper,
        _ => CharType::Lower,
    }
}

/// The bonus for matching `c` after `prev`: the head of a word, after a soft separator, the
/// hump of a camel-case word, or nothing.
pub(super) fn in_place_bonus(prev: char, c: char) -> i32 {
    use CharType::*;
    match (char_type(prev), char_type(c)) {
        (Empty, _) | (HardSep, _) => BONUS_HEAD,
        (SoftSep, _) => BONUS_BREAK,
        (Lower, Upper) | (Number, Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

/// The score of matching `wanted` at `c` (the same character in either case), before bonuses:
/// less when the case differs.
pub(super) fn match_score(c: char, wanted: char) -> i32 {
    (SCORE_MATCH + if c == wanted { 0 } else { CASE_MISMATCH }).max(0)
}

/// The matcher's character comparison when ignoring case: ASCII letters in either case.
fn same(c: char, wanted: char) -> bool {
    c.eq_ignore_ascii_case(&wanted)
}

/// What one text holds of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The fewest characters of the text that hold the query's characters in order.
    pub window: usize,
    /// The compact match's score (`None`: the matcher's best alignment is not compact).
    pub score: Option<i64>,
}

/// Buffers reused from text to text (one per thread of the scan).
#[derive(Default)]
pub struct Scorer {
    chars: Vec<char>,
    first: Vec<usize>,
    /// For each prefix of the query, where its latest occurrence so far starts.
    starts: Vec<Option<usize>>,
    bonus: Vec<i32>,
    rows: [Vec<Cell>; 2],
}

/// One column of a row of the recurrence: the best score of an alignment ending in a match
/// here (`m`) or in a gap (`p`), and where the alignment behind each starts.
#[derive(Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    m_start: usize,
    p_start: usize,
}

impl Cell {
    /// What the matcher resets a cell to.
    const NONE: Cell = Cell {
        m: NEG_INFINITY,
        p: NEG_INFINITY,
        m_start: 0,
        p_start: 0,
    };
}

impl Scorer {
    /// What `text` holds of `query` (two characters or more; the scan scores one character
    /// with `one_char`); `None` when it does not hold the query's characters in order. The
    /// score is worked out only when `scored` (else `None`).
    pub fn read(&mut self, text: &str, query: &[char], scored: bool) -> Option<Reading> {
        self.chars.clear();
        self.chars.extend(text.chars());
        if !self.first_matches(query) {
            return None;
        }
        let window = self.narrowest_window(query);
        let score = if !scored || window > query.len() * COMPACT_SPAN {
            None
        } else if query.len() > MAX_QUERY || self.chars.len() > MAX_TEXT {
            by_the_matcher(text, query)
        } else {
            self.compact_score(query)
        };
        Some(Reading { window, score })
    }

    /// Where each query character first matches, each after the one before (the matcher's
    /// `cheap_matches`); false when the text runs out first.
    fn first_matches(&mut self, query: &[char]) -> bool {
        self.first.clear();
        let mut wanted = query.iter();
        let mut next = wanted.next();
        for (at, &c) in self.chars.iter().enumerate() {
            let Some(&w) = next else { break };
            if same(c, w) {
                self.first.push(at);
                next = wanted.next();
            }
        }
        next.is_none()
    }

    /// The narrowest window holding the query in order: from each place the first character
    /// matches, the rest taken as early as they come. That is quick on titles, but a text
    /// made to make every start read to its end would cost the square of its length: past a
    /// few passes over the text, it is worked out in one pass instead.
    fn narrowest_window(&mut self, query: &[char]) -> usize {
        let Some((&head, rest)) = query.split_first() else {
            return 0;
        };
        let budget = 8 * self.chars.len() + 64;
        let mut spent = 0;
        let mut narrowest = usize::MAX;
        let from = self.first.first().copied().unwrap_or(0);
        for start in from..self.chars.len() {
            if !self.chars.get(start).is_some_and(|&c| same(c, head)) {
                continue;
            }
            let mut at = start;
            let mut held = true;
            for &w in rest {
                let after = self.chars.get(at + 1..).unwrap_or(&[]);
                match after.iter().position(|&c| same(c, w)) {
                    Some(step) => {
                        at += step + 1;
                        spent += step + 1;
                    }
                    None => {
                        held = false;
                        break;
                    }
                }
            }
            // Later starts cannot hold the query either.
            if !held {
                break;
            }
            narrowest = narrowest.min(at - start + 1);
            if narrowest == query.len() {
                break;
            }
            if spent > budget {
                return self.narrowest_window_in_one_pass(query);
            }
        }
        narrowest
    }

    /// [`Scorer::narrowest_window`] in one pass (linear in the text for a given query, whatever
    /// the text): at each character, for each prefix of the query, the latest place an
    /// occurrence of that prefix ending here or before can start.
    fn narrowest_window_in_one_pass(&mut self, query: &[char]) -> usize {
        self.starts.clear();
        self.starts.resize(query.len(), None);
        let from = self.first.first().copied().unwrap_or(0);
        // An ASCII query's characters, to pass over at once the many that are none of them.
        let ascii = query
            .iter()
            .all(char::is_ascii)
            .then(|| super::haystack::ascii_mask(query.iter().map(|&c| c as u8)));
        let mut narrowest = usize::MAX;
        for (at, &c) in self.chars.iter().enumerate().skip(from) {
            if let Some(mask) = ascii {
                if !c.is_ascii() || mask & 1u128 << (c as u8).to_ascii_lowercase() == 0 {
                    continue;
                }
            }
            // Longest prefix first, so each step extends an occurrence ending before `at`.
            for (j, &wanted) in query.iter().enumerate().rev() {
                if !same(c, wanted) {
                    continue;
                }
                let start = match j.checked_sub(1) {
                    None => Some(at),
                    Some(before) => self.starts.get(before).copied().flatten(),
                };
                if let (Some(start), Some(slot)) = (start, self.starts.get_mut(j)) {
                    *slot = Some(start);
                    if j + 1 == query.len() {
                        narrowest = narrowest.min(at - start + 1);
                    }
                }
            }
        }
        narrowest
    }

    /// The matcher's recurrence, row by row; the best score of the last row (the last of equal
    /// ones), kept when the alignment behind it spans at most twice the query. Row `i` is
    /// worked out from the query character's first match (the matcher's start too) to the
    /// last column the rows after it read.
    fn compact_score(&mut self, query: &[char]) -> Option<i64> {
        let chars = &self.chars;
        let cols = chars.len() + 1;
        self.bonus.clear();
        self.bonus.push(0);
        let mut prev = '\0';
        for &c in chars {
            self.bonus.push(in_place_bonus(prev, c));
            prev = c;
        }
        if let Some(first) = self.bonus.get_mut(1) {
            *first *= FIRST_CHAR_MULTIPLIER;
        }
        let [above, here] = &mut self.rows;
        for row in [&mut *above, &mut *here] {
            if row.len() < cols {
                row.resize(cols, Cell::NONE);
            }
        }
        // Row 0: nothing matched, every column a gap.
        above.get_mut(..cols)?.fill(Cell {
            p: GAP_EXTENSION,
            ..Cell::NONE
        });
        let last = query.len().checked_sub(1)?;
        for (i, &wanted) in query.iter().enumerate() {
            let skip = *self.first.get(i)?;
            let end = cols - (last - i);
            *here.get_mut(skip)? = Cell::NONE;
            let mut left = Cell::NONE;
            let columns = chars
                .get(skip..end - 1)?
                .iter()
                .zip(self.bonus.get(skip + 1..end)?)
                .zip(above.get(skip..end - 1)?)
                .zip(here.get_mut(skip + 1..end)?);
            for (at, (((&c, &bonus), up), out)) in (skip..).zip(columns) {
                let mut cell = Cell::NONE;
                if same(c, wanted) {
                    let matched = match_score(c, wanted);
                    let by_match = up.m + bonus.max(BONUS_CONSECUTIVE);
                    let by_skip = up.p + bonus;
                    let (score, start) = if by_match >= by_skip {
                        (by_match, up.m_start)
                    } else {
                        (by_skip, up.p_start)
                    };
                    cell.m = score + matched;
                    // The first character's match is where the alignment starts.
                    cell.m_start = if i == 0 { at } else { start };
                }
                let by_match = GAP_START + GAP_EXTENSION + left.m;
                let by_skip = GAP_EXTENSION + left.p;
                (cell.p, cell.p_start) = if by_match >= by_skip {
                    (by_match, left.m_start)
                } else {
                    (by_skip, left.p_start)
                };
                *out = cell;
                left = cell;
            }
            std::mem::swap(above, here);
        }
        let last_first = *self.first.last()?;
        let (end, best) = above
            .get(..cols)?
            .iter()
            .enumerate()
            .skip(last_first)
            .max_by_key(|&(_, cell)| cell.m)?;
        let span = end.checked_sub(best.m_start)?;
        (span <= query.len() * COMPACT_SPAN).then_some(i64::from(best.m))
    }
}

/// The matcher itself, with the compactness test. A new matcher has a fresh matrix (one kept
/// from call to call leaves values of earlier texts in cells a call reads without writing;
/// `use_cache(false)` would drop it, but panics doing so in fuzzy-matcher 0.3.7).
fn by_the_matcher(text: &str, query: &[char]) -> Option<i64> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let query: String = query.iter().collect();
    super::widgets::highlight::fuzzy(&matcher, text, &query).map(|(score, _)| score)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-picked texts: case, separators, camel humps, repeats, scripts, long gaps.
    const TEXTS: &[&str] = &[
        "",
        "p",
        "pa",
        "Pancreatic cancer",
        "pancreatic PANCREAS pa-n",
        "ppaa",
        "papa papa",
        "p_a_n_c",
        "pxxxxxancr",
        "ds00001",
        "DS-00012 (R0001)",
        "R000 R0001 R00001",
        "classless glass",
        "aPpLe apple APPLE",
        "膵がん pancreatic",
        "膵臓がん 膵がん",
        "全ゲノム解析 全ゲノム",
        "\u{212A}elvin Kelvin",
        "ＰＡＮ全角 pan",
        "camelCaseWordsHere",
        "snake_case-and.dots:colons",
        "x(y)z [p]a {q}",
        "~p^a`n",
        "  pa  n  ",
        "ÄpÖa éPé",
        "mississippi",
        "aaaaaaaaab",
        "abababababab",
        "DS0001002",
        "ORG0000000",
    ];

    const QUERIES: &[&str] = &[
        "pa", "PA", "pan", "panc", "pancrea", "ss", "ssi", "00", "000", "0001", "r00", "ds0",
        "ds00", "r000", "ap", "pp", "ppl", "膵が", "がん", "全ゲ", "ke", "cw", "sc", "yz", "an",
        "aab", "abab", "ba", "-0", "(r", "pq", "zz",
    ];

    fn matcher_score(text: &str, query: &str) -> Option<i64> {
        let matcher = SkimMatcherV2::default().ignore_case();
        super::super::widgets::highlight::fuzzy(&matcher, text, query).map(|(s, _)| s)
    }

    /// The narrowest window by brute force over every start and end.
    fn brute_window(text: &str, query: &[char]) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        let mut best: Option<usize> = None;
        for start in 0..chars.len() {
            for end in start..chars.len() {
                let mut wanted = query.iter().peekable();
                for &c in &chars[start..=end] {
                    if wanted.peek().is_some_and(|&&w| same(c, w)) {
                        wanted.next();
                    }
                }
                if wanted.peek().is_none() {
                    best = Some(best.map_or(end - start + 1, |b| b.min(end - start + 1)));
                    break;
                }
            }
        }
        best
    }

    fn check(scorer: &mut Scorer, text: &str, query: &str) -> bool {
        let wanted: Vec<char> = query.chars().collect();
        let read = scorer.read(text, &wanted, true);
        let unscored = scorer.read(text, &wanted, false);
        assert_eq!(
            unscored,
            read.map(|r| Reading { score: None, ..r }),
            "{query:?} in {text:?}, not scored"
        );
        assert_eq!(
            read.and_then(|r| r.score),
            matcher_score(text, query),
            "{query:?} in {text:?}"
        );
        // (The brute force is cubic: short texts only.)
        if text.chars().count() <= 300 {
            assert_eq!(
                read.map(|r| r.window),
                brute_window(text, &wanted),
                "window of {query:?} in {text:?}"
            );
        }
        read.and_then(|r| r.score).is_some()
    }

    #[test]
    fn the_scores_spelled_out_are_the_matchers() {
        let config = fuzzy_matcher::skim::SkimScoreConfig::default();
        assert_eq!(
            [
                SCORE_MATCH,
                CASE_MISMATCH,
                GAP_START,
                GAP_EXTENSION,
                BONUS_HEAD,
                BONUS_BREAK,
                BONUS_CAMEL,
                BONUS_CONSECUTIVE,
                FIRST_CHAR_MULTIPLIER
            ],
            [
                config.score_match,
                config.penalty_case_mismatch,
                config.gap_start,
                config.gap_extension,
                config.bonus_head,
                config.bonus_break,
                config.bonus_camel,
                config.bonus_consecutive,
                config.bonus_first_char_multiplier
            ]
        );
    }

    #[test]
    fn scores_are_the_matchers_on_hand_picked_texts() {
        let mut scorer = Scorer::default();
        let mut matched = 0;
        for text in TEXTS {
            for query in QUERIES {
                matched += usize::from(check(&mut scorer, text, query));
            }
        }
        assert!(matched > 60, "many pairs match ({matched})");
    }

    #[test]
    fn scores_are_the_matchers_on_generated_texts() {
        // Small alphabets, so that repeats, case and separators meet often.
        let alphabet: Vec<char> = "aAbBpP0 -_.(膵が".chars().collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let mut scorer = Scorer::default();
        let mut matched = 0;
        for _ in 0..20_000 {
            let text: String = (0..next(24))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let query: String = (0..2 + next(4))
                .map(|_| alphabet[next(alphabet.len())])
                .filter(|c| !c.is_whitespace())
                .collect();
            if query.chars().count() < 2 {
                continue;
            }
            matched += usize::from(check(&mut scorer, &text, &query));
        }
        assert!(matched > 1_000, "many pairs match ({matched})");
    }

    #[test]
    fn scores_are_the_matchers_on_catalog_titles() {
        let catalog = crate::synthetic::catalog(1_500, 21);
        let mut scorer = Scorer::default();
        let mut matched = 0;
        for record in catalog.records() {
            let title = record.title();
            for text in [Some(record.id()), Some(title.as_str()), record.title_en()]
                .into_iter()
                .flatten()
            {
                for query in [
                    "pa", "pan", "panc", "がん", "ゲノ", "ds0", "r00", "re", "ome",
                ] {
                    matched += usize::from(check(&mut scorer, text, query));
                }
            }
        }
        assert!(matched > 1_000, "many pairs match ({matched})");
    }

    #[test]
    fn a_long_run_of_one_letter_is_read_in_linear_time() {
        // Every start of the greedy search would run to the end: quadratic, were it used.
        let text = format!("{}b", "a".repeat(200_000));
        let mut scorer = Scorer::default();
        let read = scorer.read(&text, &['a', 'b'], false);
        assert_eq!(
            read,
            Some(Reading {
                window: 2,
                score: None
            })
        );
        let read = scorer.read(&text, &['a', 'a', 'b'], false);
        assert_eq!(
            read,
            Some(Reading {
                window: 3,
                score: None
            })
        );
        // Both ways of working it out agree, on texts of every shape the tests read.
        let mut compared = 0;
        for text in TEXTS {
            for query in QUERIES {
                let wanted: Vec<char> = query.chars().collect();
                if scorer.read(text, &wanted, false).is_some() {
                    assert_eq!(
                        scorer.narrowest_window(&wanted),
                        scorer.narrowest_window_in_one_pass(&wanted),
                        "{query:?} in {text:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn long_texts_and_queries_go_to_the_matcher() {
        let mut scorer = Scorer::default();
        let long = format!("{}pancreas{}", "x".repeat(MAX_TEXT), "y".repeat(50));
        assert!(check(&mut scorer, &long, "pancreas"));
        let read = scorer.read(&long, &"pancreas".chars().collect::<Vec<_>>(), true);
        assert_eq!(read.map(|r| r.window), Some(8));
        let query: String = "ab".repeat(MAX_QUERY);
        let text = format!("zz{query}zz");
        assert!(check(&mut scorer, &text, &query));
    }
}
