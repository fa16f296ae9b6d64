//! Which candidates a subject's diseases can reach: every candidate of a section listed under
//! each disease it names (postings), so that a match over many subjects (`--all-needs`) looks
//! only at the candidates that share a related disease instead of at every one.

use super::candidates::Candidates;
use crate::model::Kind;
use crate::records::Records;
use foldhash::HashMap;

/// The candidates that name each disease (by vocabulary position), per section.
pub struct DiseasePostings {
    datasets: Postings,
    partners: Postings,
    proposals: Postings,
}

/// The sections of a match report, as the engine numbers their candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Datasets,
    /// Researchers first, then organisations (one numbering).
    Partners,
    Proposals,
}

/// One section's postings: each disease named, with the candidates naming it, ascending.
struct Postings {
    /// How many candidates the section has.
    count: usize,
    lists: Vec<(u32, Vec<u32>)>,
}

impl Postings {
    /// The postings of `count` candidates whose diseases `diseases(i)` gives.
    fn of<'c>(count: usize, diseases: impl Fn(usize) -> &'c [u32]) -> Postings {
        let mut by_disease: HashMap<u32, Vec<u32>> = HashMap::default();
        for i in 0..count {
            for &disease in diseases(i) {
                let list = by_disease.entry(disease).or_default();
                // A disease named twice by one candidate lists it once.
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        let mut lists: Vec<(u32, Vec<u32>)> = by_disease.into_iter().collect();
        lists.sort_unstable_by_key(|(disease, _)| *disease);
        Postings { count, lists }
    }

    /// The candidates naming at least one disease `reaches` accepts, ascending, each once.
    fn reached(&self, reaches: impl Fn(u32) -> bool) -> Vec<u32> {
        let mut seen = vec![0u64; self.count.div_ceil(64)];
        for (_, list) in self.lists.iter().filter(|(disease, _)| reaches(*disease)) {
            for &i in list {
                seen[i as usize / 64] |= 1 << (i % 64);
            }
        }
        let mut out = Vec::new();
        for (word_at, &word) in seen.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                out.push((word_at * 64) as u32 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        out
    }
}

impl DiseasePostings {
    /// The postings of every candidate, numbered as the engine numbers them (by the records'
    /// counts: the partners are the researchers, then the organisations).
    pub fn new(candidates: &Candidates, records: &dyn Records) -> Self {
        let table = |kind| candidates.table(kind);
        let (datasets, proposals) = (table(Kind::Dataset), table(Kind::Proposal));
        let (people, forums) = (table(Kind::Researcher), table(Kind::Organization));
        let researchers = records.count(Kind::Researcher);
        DiseasePostings {
            datasets: Postings::of(records.count(Kind::Dataset), |i| datasets.get(i).diseases()),
            partners: Postings::of(researchers + records.count(Kind::Organization), |i| match i
                .checked_sub(researchers)
            {
                None => people.get(i).diseases(),
                Some(o) => forums.get(o).diseases(),
            }),
            proposals: Postings::of(records.count(Kind::Proposal), |i| {
                proposals.get(i).diseases()
            }),
        }
    }

    /// The candidates of `section` that name a disease `reaches` accepts (by vocabulary
    /// position), ascending.
    pub fn reached(&self, section: Section, reaches: impl Fn(u32) -> bool) -> Vec<u32> {
        match section {
            Section::Datasets => &self.datasets,
            Section::Partners => &self.partners,
            Section::Proposals => &self.proposals,
        }
        .reached(reaches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reached_candidates_are_those_naming_an_accepted_disease_once_each_in_order() {
        let diseases: Vec<Vec<u32>> =
            vec![vec![3], vec![], vec![5, 3, 5], vec![9], vec![5], vec![7, 8]];
        let big: Vec<Vec<u32>> = (0..200).map(|i| vec![i % 3]).collect();
        let postings = Postings::of(diseases.len(), |i| &diseases[i]);
        assert_eq!(postings.reached(|d| d == 5 || d == 3), vec![0, 2, 4]);
        assert_eq!(postings.reached(|d| d == 8), vec![5]);
        assert_eq!(postings.reached(|_| false), Vec::<u32>::new());
        assert_eq!(postings.reached(|_| true), vec![0, 2, 3, 4, 5]);
        let postings = Postings::of(big.len(), |i| &big[i]);
        let ones: Vec<u32> = (0..200).filter(|i| i % 3 == 1).collect();
        assert_eq!(postings.reached(|d| d == 1), ones);
        assert_eq!(postings.reached(|d| d != 2).len(), 134);
    }
}
