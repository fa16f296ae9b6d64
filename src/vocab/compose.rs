//! Histology with a site, as researchers write it: "serous adenocarcinoma of ovary", "hepatic
//! angiosarcoma", "膵管癌", "子宮体部類内膜腺癌". A morphology word (adenocarcinoma, sarcoma,
//! -blastoma, 腺癌, 肉腫, 芽腫 …) together with a site word (ovary, hepatic, 卵巣, 肝 …) reads as
//! the site's cancer, or as a finer concept under it when one is named "<histology> of <site>".

use super::data::ConceptKind;
use super::key::term_key;
use super::resolve::lookup;
use super::Vocabulary;
use crate::text::is_cjk;

/// One site: the words that name it (Latin words compared whole, Japanese as substrings), the
/// concept of its cancer, and the noun ICD-10 titles use ("Angiosarcoma of liver").
struct Site {
    latin: &'static [&'static str],
    japanese: &'static [&'static str],
    concept: &'static str,
    noun: &'static str,
}

/// Sites, more specific first (子宮頸 before 子宮, 副腎 before 腎).
const SITES: &[Site] = &[
    Site {
        latin: &["cervix", "cervical"],
        japanese: &["子宮頸", "子宮頚"],
        concept: "cervical_cancer",
        noun: "cervix uteri",
    },
    Site {
        latin: &["endometrium", "endometrial", "corpus uteri"],
        japanese: &["子宮体", "子宮内膜"],
        concept: "endometrial_cancer",
        noun: "corpus uteri",
    },
    Site {
        latin: &["uterus", "uterine"],
        japanese: &["子宮"],
        concept: "uterine_cancer",
        noun: "uterus",
    },
    Site {
        latin: &["ovary", "ovarian", "ovaries"],
        japanese: &["卵巣"],
        concept: "ovarian_cancer",
        noun: "ovary",
    },
    Site {
        latin: &["pancreas", "pancreatic"],
        japanese: &["膵"],
        concept: "pancreatic_cancer",
        noun: "pancreas",
    },
    Site {
        latin: &["gallbladder"],
        japanese: &["胆嚢", "胆のう"],
        concept: "gallbladder_cancer",
        noun: "gallbladder",
    },
    Site {
        latin: &["bile duct", "biliary"],
        japanese: &["胆管", "胆道"],
        concept: "biliary_tract_cancer",
        noun: "biliary tract",
    },
    Site {
        latin: &["liver", "hepatic"],
        japanese: &["肝"],
        concept: "liver_cancer",
        noun: "liver",
    },
    Site {
        latin: &["lung", "lungs", "pulmonary", "bronchial", "bronchus"],
        japanese: &["肺", "気管支"],
        concept: "lung_cancer",
        noun: "lung",
    },
    Site {
        latin: &["stomach", "gastric"],
        japanese: &["胃"],
        concept: "gastric_cancer",
        noun: "stomach",
    },
    Site {
        latin: &["esophagus", "esophageal", "oesophagus", "oesophageal"],
        japanese: &["食道"],
        concept: "esophageal_cancer",
        noun: "oesophagus",
    },
    Site {
        latin: &["colorectal"],
        japanese: &["大腸"],
        concept: "colorectal_cancer",
        noun: "colon",
    },
    Site {
        latin: &["colon", "colonic"],
        japanese: &["結腸"],
        concept: "colon_cancer",
        noun: "colon",
    },
    Site {
        latin: &["rectum", "rectal"],
        japanese: &["直腸"],
        concept: "rectal_cancer",
        noun: "rectum",
    },
    Site {
        latin: &["small intestine", "small bowel", "duodenal", "duodenum"],
        japanese: &["小腸", "十二指腸"],
        concept: "small_intestine_cancer",
        noun: "small intestine",
    },
    Site {
        latin: &["anus", "anal"],
        japanese: &["肛門"],
        concept: "anal_cancer",
        noun: "anus",
    },
    Site {
        latin: &["breast", "mammary"],
        japanese: &["乳房", "乳腺"],
        concept: "breast_cancer",
        noun: "breast",
    },
    Site {
        latin: &["prostate", "prostatic"],
        japanese: &["前立腺"],
        concept: "prostate_cancer",
        noun: "prostate",
    },
    Site {
        latin: &["bladder", "vesical"],
        japanese: &["膀胱"],
        concept: "bladder_cancer",
        noun: "bladder",
    },
    Site {
        latin: &["adrenal"],
        japanese: &["副腎"],
        concept: "adrenal_cancer",
        noun: "adrenal gland",
    },
    Site {
        latin: &["kidney", "renal"],
        japanese: &["腎"],
        concept: "kidney_cancer",
        noun: "kidney",
    },
    Site {
        latin: &["testis", "testicular", "testes"],
        japanese: &["精巣"],
        concept: "testicular_cancer",
        noun: "testis",
    },
    Site {
        latin: &["thyroid"],
        japanese: &["甲状腺"],
        concept: "thyroid_cancer",
        noun: "thyroid gland",
    },
    Site {
        latin: &["thymus", "thymic"],
        japanese: &["胸腺"],
        concept: "thymic_cancer",
        noun: "thymus",
    },
    Site {
        latin: &["larynx", "laryngeal"],
        japanese: &["喉頭"],
        concept: "laryngeal_cancer",
        noun: "larynx",
    },
    Site {
        latin: &["nasopharynx", "nasopharyngeal"],
        japanese: &["上咽頭"],
        concept: "nasopharyngeal_cancer",
        noun: "nasopharynx",
    },
    Site {
        latin: &["salivary", "parotid"],
        japanese: &["唾液腺", "耳下腺"],
        concept: "salivary_gland_cancer",
        noun: "salivary gland",
    },
    Site {
        latin: &["oral", "tongue", "gingival"],
        japanese: &["口腔", "舌", "歯肉"],
        concept: "oral_cancer",
        noun: "mouth",
    },
    Site {
        latin: &["skin", "cutaneous"],
        japanese: &["皮膚"],
        concept: "skin_cancer",
        noun: "skin",
    },
    Site {
        latin: &["bone", "osseous"],
        japanese: &["骨"],
        concept: "bone_sarcoma",
        noun: "bone",
    },
    Site {
        latin: &["soft tissue"],
        japanese: &["軟部"],
        concept: "soft_tissue_sarcoma",
        noun: "soft tissue",
    },
    Site {
        latin: &["brain", "cerebral"],
        japanese: &["脳"],
        concept: "brain_tumor",
        noun: "brain",
    },
    Site {
        latin: &["eye", "ocular", "orbital"],
        japanese: &["眼"],
        concept: "eye_cancer",
        noun: "eye",
    },
    Site {
        latin: &["vulva", "vulvar"],
        japanese: &["外陰"],
        concept: "vulvar_cancer",
        noun: "vulva",
    },
    Site {
        latin: &["vagina", "vaginal"],
        japanese: &["腟", "膣"],
        concept: "vaginal_cancer",
        noun: "vagina",
    },
    Site {
        latin: &["penis", "penile"],
        japanese: &["陰茎"],
        concept: "penile_cancer",
        noun: "penis",
    },
];

/// Latin morphology words: whole words ending in one of these.
const MORPHOLOGY_ENDINGS: &[&str] = &[
    "carcinoma",
    "carcinomas",
    "sarcoma",
    "sarcomas",
    "blastoma",
    "blastomas",
    "lymphoma",
    "lymphomas",
    "melanoma",
    "cancer",
    "cancers",
    "malignancy",
    "malignancies",
    "neoplasm",
    "neoplasms",
    "carcinoid",
];

/// Japanese morphology words (compared on matching keys, where 癌 is written がん).
const MORPHOLOGY_JA: &[&str] = &[
    "がん",
    "肉腫",
    "芽腫",
    "リンパ腫",
    "黒色腫",
    "悪性腫瘍",
    "悪性新生物",
    "カルチノイド",
];

/// A composed reading: the site's concept (or a finer one named after the histology) and the
/// words it was read from.
pub(super) struct Composed {
    pub concept: String,
    pub site_word: String,
    pub morphology: String,
}

/// The morphology word of `key`, if any.
fn morphology(key: &str) -> Option<String> {
    for word in key.split(' ') {
        if word.chars().any(is_cjk) {
            if let Some(m) = MORPHOLOGY_JA.iter().find(|m| word.contains(*m)) {
                return Some(m.to_string());
            }
        } else if MORPHOLOGY_ENDINGS.iter().any(|e| word.ends_with(e)) {
            return Some(word.to_string());
        }
    }
    None
}

/// The sites named in `key`, with the word that named each (one site per word).
fn sites(key: &str) -> Vec<(&'static Site, String)> {
    let padded = format!(" {key} ");
    let mut found: Vec<(&'static Site, String)> = Vec::new();
    let mut used_ja: Vec<&str> = Vec::new();
    for site in SITES {
        let latin = site
            .latin
            .iter()
            .find(|w| padded.contains(&format!(" {w} ")));
        let japanese = site.japanese.iter().find(|w| {
            key.contains(*w) && !used_ja.iter().any(|u| u.contains(*w) && key.contains(u))
        });
        if let Some(word) = latin.or(japanese) {
            if japanese.is_some() && latin.is_none() {
                used_ja.push(word);
            }
            found.push((site, word.to_string()));
        }
    }
    found
}

/// Reads `text` as histology with a site; empty when it names no site or no histology.
pub(super) fn compose(vocab: &Vocabulary, text: &str) -> Vec<Composed> {
    let key = term_key(text);
    let Some(morph) = morphology(&key) else {
        return Vec::new();
    };
    let data = vocab.data();
    let mut out = Vec::new();
    for (site, word) in sites(&key) {
        if vocab.concept(site.concept).is_none() {
            continue;
        }
        // A finer concept named "<histology> of <site>" ("Angiosarcoma of liver") under it.
        let finer = [
            format!("{morph} of {}", site.noun),
            format!("{} {morph}", site.noun),
        ]
        .into_iter()
        .flat_map(|name| lookup(data, &term_key(&name)).to_vec())
        .map(|t| data.concepts[t.concept as usize].id.clone())
        .find(|id| {
            vocab
                .concept(id)
                .is_some_and(|c| c.kind == ConceptKind::Disease)
                && vocab.is_same_or_under(id, site.concept)
        });
        let concept = finer.unwrap_or_else(|| site.concept.to_string());
        if !out.iter().any(|c: &Composed| c.concept == concept) {
            out.push(Composed {
                concept,
                site_word: word,
                morphology: morph.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morphology_and_sites_are_found_in_both_languages() {
        assert_eq!(
            morphology("serous adenocarcinoma of ovary").as_deref(),
            Some("adenocarcinoma")
        );
        assert_eq!(morphology(&term_key("膵管癌")).as_deref(), Some("がん"));
        assert_eq!(
            morphology("hepatic angiosarcoma").as_deref(),
            Some("angiosarcoma")
        );
        assert_eq!(morphology("ovarian cyst"), None);
        let names = |k: &str| -> Vec<&str> { sites(k).iter().map(|(s, _)| s.concept).collect() };
        assert_eq!(
            names("uterine endometrioid adenocarcinoma"),
            vec!["uterine_cancer"]
        );
        assert_eq!(
            names(&term_key("子宮頸部扁平上皮癌")),
            vec!["cervical_cancer"]
        );
        assert_eq!(names(&term_key("卵巣明細胞腺癌")), vec!["ovarian_cancer"]);
    }
}
