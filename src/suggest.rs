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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        assert_eq!(did_you_mean("failovr", ["failover", "after", "apps"]), Some("failover"));
        assert_eq!(did_you_mean("platfrom", ["platform", "os"]), Some("platform"));
        assert_eq!(did_you_mean("zzz", ["platform", "os"]), None);
    }
}
