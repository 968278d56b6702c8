//! The public documents the catalog and the deliverables cite, by the short name a citation
//! uses. A citation names a document a reader can open (a guide, a public repository file, an
//! RFC), never a file of this repository: the runbook ends with the documents its steps cite.

/// A document citations refer to by `short`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    /// How citations name it, e.g. `PP guide (Internet) 1.2.4 (3)`.
    pub short: &'static str,
    /// Its title, edition and date, in English (ASCII: English deliverables stay ASCII).
    pub title: &'static str,
    /// The same in Japanese, with the title as printed on it, for `language: ja`.
    pub title_ja: &'static str,
}

/// Every document citations may name.
pub const DOCUMENTS: &[Document] = &[
    Document {
        short: "PP guide (Internet)",
        title: "CLUSTERPRO System Construction Guide, PP volume (Internet), 5th edition, NEC, \
                2006-06-01 (CLUSTERPRO 6.0 and CLUSTERPRO for Windows 7.0, 8.0)",
        title_ja: "CLUSTERPRO システム構築ガイド PP編 (インターネット) 第5版、NEC、2006-06-01 \
                   (CLUSTERPRO 6.0、CLUSTERPRO for Windows 7.0、8.0)",
    },
    Document {
        short: "PP guide (SURFNAVI)",
        title: "CLUSTERPRO X for Windows PP Guide (SURFNAVI), 1st edition, NEC, 2012-08-10 \
                (CLUSTERPRO X 1.0, 2.0, 2.1)",
        title_ja: "CLUSTERPRO X for Windows PPガイド (SURFNAVI) 第01版、NEC、2012-08-10 \
                   (CLUSTERPRO X 1.0、2.0、2.1)",
    },
    Document {
        short: "github.com/EXPRESSCLUSTER",
        title: "NEC's public EXPRESSCLUSTER repositories on GitHub (clp.conf samples, tools, \
                parameter references), at the file named",
        title_ja: "GitHub 上の NEC の公開リポジトリ EXPRESSCLUSTER (clp.conf のサンプル、ツール、\
                   パラメータの資料) の記載のファイル",
    },
    Document {
        short: "RFC",
        title: "the IETF RFC named (rfc-editor.org)",
        title_ja: "記載の IETF RFC (rfc-editor.org)",
    },
];

/// The marker of a fact no source covers: a citation that says so instead of naming one.
pub const NO_SOURCE: &str = "no source";

/// The documents `citation` names, in [`DOCUMENTS`] order.
pub fn cited(citation: &str) -> impl Iterator<Item = &'static Document> + '_ {
    DOCUMENTS.iter().filter(move |d| citation.contains(d.short))
}

/// Whether `citation` names a public document or says that no source covers the fact, and
/// names no internal file.
pub fn is_public(citation: &str) -> bool {
    let internal = ["seed 0", "FACTS", "SPEC"].iter().any(|k| citation.contains(k));
    !internal && (cited(citation).next().is_some() || citation.contains(NO_SOURCE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_names_a_public_document_or_says_there_is_none() {
        assert!(is_public("PP guide (Internet) 1.2.4 (3)"));
        assert!(is_public("github.com/EXPRESSCLUSTER/Tools OpenPorts.bat"));
        assert!(is_public("no source states the supported OS"));
        assert!(!is_public("seed 000 1.2.4"));
        assert!(!is_public("FACTS.md section 2; PP guide (Internet) 1.6.5"));
        assert!(!is_public("the vendor's documentation"));
        let names: Vec<_> = cited("PP guide (SURFNAVI) (1); PP guide (Internet) 1.5.5")
            .map(|d| d.short)
            .collect();
        assert_eq!(names, ["PP guide (Internet)", "PP guide (SURFNAVI)"]);
    }
}
