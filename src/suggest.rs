//! "Did you mean" for unknown keys, values and names.

use crate::model::Language;
use crate::tr;

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` as a help line, when there is a close candidate.
pub fn help<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    help_in(Language::En, word, candidates)
}

/// [`help`] in `l`.
pub fn help_in<'a>(l: Language, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|c| tr!(l, "suggest.did_you_mean", name = c))
}

/// Names compared with a word when a list holds more: the nearest in sorted order.
pub const SEARCHED: usize = 64;

/// Names a help line lists at most; it says how many more there are.
pub const LISTED: usize = 20;

/// The names an unknown word may have meant, gathered once for all the unknown words of a
/// file: to suggest the closest and to list them.
///
/// A file can name thousands of groups and misspell thousands of references to them, and
/// comparing each word with every name costs their product. So past [`SEARCHED`] names, a
/// word is compared only with the [`SEARCHED`] names nearest to it in sorted order (case
/// ignored), found by binary search: a typo that keeps its first letters is still found, and a
/// word costs the same however many names there are. For the same reason a help line lists
/// [`LISTED`] names at most. Below those sizes the answers are those of [`did_you_mean`] and
/// of the whole list.
#[derive(Debug, Default)]
pub struct Names<'a> {
    /// Each name once, in the caller's order: the order in which they are listed.
    given: Vec<&'a str>,
    /// Past [`SEARCHED`] names: each lower-cased, with the name, in sorted order.
    sorted: Vec<(String, &'a str)>,
}

impl<'a> Names<'a> {
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut seen = std::collections::HashSet::new();
        let given: Vec<&str> = names.into_iter().filter(|n| seen.insert(*n)).collect();
        let mut sorted = Vec::new();
        if given.len() > SEARCHED {
            sorted = given.iter().map(|n| (n.to_ascii_lowercase(), *n)).collect();
            sorted.sort_unstable();
        }
        Names { given, sorted }
    }

    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
    }

    /// The name closest to `word`, if it is close enough to be a likely typo.
    pub fn closest(&self, word: &str) -> Option<&'a str> {
        if self.sorted.is_empty() {
            return did_you_mean(word, self.given.iter().copied());
        }
        let lower = word.to_ascii_lowercase();
        let at = self.sorted.partition_point(|(l, _)| l.as_str() < lower.as_str());
        let from = at.saturating_sub(SEARCHED / 2).min(self.sorted.len() - SEARCHED);
        did_you_mean(word, self.sorted[from..from + SEARCHED].iter().map(|(_, n)| *n))
    }

    /// `did you mean `x`?` in `l`, when a name is close to `word`.
    pub fn help_in(&self, l: Language, word: &str) -> Option<String> {
        self.closest(word).map(|c| tr!(l, "suggest.did_you_mean", name = c))
    }

    /// The names joined by commas: [`LISTED`] at most, then how many more there are, in `l`.
    pub fn list(&self, l: Language) -> String {
        if self.given.len() <= LISTED {
            return self.given.join(", ");
        }
        let more = self.given.len() - LISTED;
        format!(
            "{}, {}",
            self.given[..LISTED].join(", "),
            tr!(l, "suggest.more", count = more)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_names_are_all_searched_and_listed() {
        let names = Names::new(["web", "db", "web", "batch"]);
        assert_eq!(names.closest("webb"), Some("web"));
        assert_eq!(names.closest("zzz"), None);
        assert_eq!(names.list(Language::En), "web, db, batch");
    }

    #[test]
    fn many_names_are_searched_near_the_word_and_listed_in_part() {
        let owned: Vec<String> = (0..10_000).map(|i| format!("g{i:05}")).collect();
        let names = Names::new(owned.iter().map(String::as_str));
        // Near misses at either end and in the middle, in any case.
        assert_eq!(names.closest("g00000x"), Some("g00000"));
        assert_eq!(names.closest("G09999"), Some("g09999"));
        assert_eq!(names.closest("g05123q"), Some("g05123"));
        assert_eq!(names.closest("zzz"), None);
        // A typo that keeps the first letters gets the answer the whole list gives.
        for word in ["g0712", "g07120x", "g07102", "G07120"] {
            let whole = did_you_mean(word, owned.iter().map(String::as_str));
            assert!(whole.is_some(), "{word}");
            assert_eq!(names.closest(word), whole, "{word}");
        }
        // One that changes them is searched among other names: the price of a bounded search.
        assert_eq!(names.closest("g7120"), None);
        let list = names.list(Language::En);
        assert!(list.starts_with("g00000, g00001, "), "{list}");
        assert!(list.ends_with(", g00019, and 9980 more"), "{list}");
        assert_eq!(names.list(Language::Ja).matches(", ").count(), LISTED);
    }

    #[test]
    fn finds_typos_and_ignores_strangers() {
        assert_eq!(did_you_mean("failovr", ["failover", "after", "apps"]), Some("failover"));
        assert_eq!(did_you_mean("platfrom", ["platform", "os"]), Some("platform"));
        assert_eq!(did_you_mean("zzz", ["platform", "os"]), None);
    }
}
