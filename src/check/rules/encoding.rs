//! `invalid-value` for a text the package's scripts cannot hold. start.bat and stop.bat are
//! CP932 for `ja` and ASCII for `en` (SPEC section 5). The cluster file's own values that reach
//! them pass ASCII allowlists, but three kinds of text come from elsewhere: the input file's
//! name (the scripts' header names it), the platform's name (the header too), and a product
//! profile's pre-start commands and their sources, service names and watch ids. Each is
//! reported where the cluster file brings it in (`language` for the file name, `platform`,
//! the app's `features` entry or its `product`), so that a build never meets a character it
//! cannot write.

use crate::diag::Span;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Language;
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let language = language(cluster);
    if let (Some(platform), Some(id)) = (cluster.platform, &cluster.file.cluster.platform)
        && let Some(c) = first_unencodable(&platform.name, language)
    {
        diags.push(problem(
            id.span.clone(),
            tr!(language, "diag.encoding.platform", platform = id.value),
            &platform.name,
            c,
            language,
            "diag.encoding.platform.why",
            "diag.encoding.platform.fix",
        ));
    }
    for group in &cluster.groups {
        for app in &group.apps {
            let Some(product) = app.product else { continue };
            for service in app.services.iter().filter(|s| s.fact.is_some()) {
                for text in [&service.name, &service.watch_id] {
                    if let Some(c) = first_unencodable(text, language) {
                        diags.push(problem(
                            service.span.clone(),
                            tr!(language, "diag.encoding.service", product = product.id),
                            text,
                            c,
                            language,
                            "diag.encoding.service.why",
                            "diag.encoding.service.fix",
                        ));
                    }
                }
            }
            let Some(features) = &app.app.features else { continue };
            for feature in &features.value {
                let Some(fact) = product.features.iter().find(|f| f.id == feature.value) else {
                    continue;
                };
                for text in fact.pre_start.iter().chain([&fact.source]) {
                    if let Some(c) = first_unencodable(text, language) {
                        diags.push(problem(
                            feature.span.clone(),
                            tr!(
                                language,
                                "diag.encoding.feature",
                                feature = feature.value,
                                product = product.id,
                            ),
                            text,
                            c,
                            language,
                            "diag.encoding.feature.why",
                            "diag.encoding.feature.fix",
                        ));
                    }
                }
            }
        }
    }
}

/// The input file's name (its last component, as the scripts' header shows it).
pub fn source_name(name: &str, cluster: &Cluster, diags: &mut Diagnostics) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let language = language(cluster);
    let Some(c) = first_unencodable(base, language) else {
        return;
    };
    let span = match &cluster.file.cluster.language {
        Some(l) => l.span.clone(),
        None => cluster.file.cluster.span.clone(),
    };
    diags.push(problem(
        span,
        tr!(language, "diag.encoding.file"),
        base,
        c,
        language,
        "diag.encoding.file.why",
        "diag.encoding.file.fix",
    ));
}

fn language(cluster: &Cluster) -> Language {
    cluster
        .file
        .cluster
        .language
        .as_ref()
        .map(|l| l.value)
        .unwrap_or(Language::En)
}

/// The first character of `text` the scripts' code page cannot hold: outside ASCII for `en`;
/// for `ja`, one CP932 has no code for.
pub fn first_unencodable(text: &str, language: Language) -> Option<char> {
    match language {
        Language::En => text.chars().find(|c| !c.is_ascii()),
        Language::Ja => {
            if !encoding_rs::SHIFT_JIS.encode(text).2 {
                return None;
            }
            text.chars().find(|c| {
                let mut buf = [0; 4];
                encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf)).2
            })
        }
    }
}

/// `why` and `fix` are keys of the catalogues.
fn problem(span: Span, what: String, text: &str, c: char, language: Language, why: &str, fix: &str) -> Diagnostic {
    let l = language;
    let (page, other) = match language {
        Language::En => (
            crate::i18n::text(l, "diag.encoding.page.en"),
            crate::i18n::text(l, "diag.encoding.or_ja"),
        ),
        Language::Ja => (crate::i18n::text(l, "diag.encoding.page.ja"), ""),
    };
    let shown = crate::render::human::printable(text);
    Diagnostic::new(
        Code::InvalidValue,
        span,
        tr!(
            l,
            "diag.encoding",
            what = what,
            text = shown,
            char = c.escape_debug(),
            page = page,
            why = crate::i18n::text(l, why),
        ),
    )
    .label(tr!(l, "diag.encoding.label"))
    .help(format!("{}{other}", crate::i18n::text(l, fix)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_page_of_each_language() {
        assert_eq!(first_unencodable("cafe.yaml", Language::En), None);
        assert_eq!(first_unencodable("café.yaml", Language::En), Some('é'));
        assert_eq!(first_unencodable("クラスタ.yaml", Language::Ja), None);
        assert_eq!(first_unencodable("a😀b", Language::Ja), Some('😀'));
        assert_eq!(first_unencodable("x\u{202e}y", Language::Ja), Some('\u{202e}'));
    }
}
