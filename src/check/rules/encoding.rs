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

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let language = language(cluster);
    if let (Some(platform), Some(id)) = (cluster.platform, &cluster.file.cluster.platform)
        && let Some(c) = first_unencodable(&platform.name, language)
    {
        diags.push(problem(
            id.span.clone(),
            format!("the name of platform `{}` in its profile", id.value),
            &platform.name,
            c,
            language,
            "start.bat and stop.bat name the platform in their header",
            "write the platform's `name` in its profile with characters of that code page",
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
                            format!("a service of product `{}` in its profile", product.id),
                            text,
                            c,
                            language,
                            "start.bat and stop.bat start and stop it by this name",
                            "write the service in the product's profile with characters of that code page",
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
                            format!(
                                "feature `{}` of product `{}` in its profile, a pre-start command or its source,",
                                feature.value, product.id
                            ),
                            text,
                            c,
                            language,
                            "start.bat runs the commands and names their source",
                            "write the feature's `pre_start` and `source` in the product's profile with characters of that code page",
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
        "the name of this file".to_string(),
        base,
        c,
        language,
        "start.bat and stop.bat name the file they were built from in their header",
        "rename the file with characters of that code page (ASCII letters, digits, `-`, `_` and `.` always are)",
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

fn problem(span: Span, what: String, text: &str, c: char, language: Language, why: &str, fix: &str) -> Diagnostic {
    let (page, other) = match language {
        Language::En => ("ASCII, the code page of `language: en`", " or use `language: ja`"),
        Language::Ja => ("CP932, the code page of `language: ja`", ""),
    };
    let shown = crate::render::human::printable(text);
    Diagnostic::new(
        Code::InvalidValue,
        span,
        format!(
            "{what} `{shown}` holds `{}`, which {page} cannot hold; {why}",
            c.escape_debug()
        ),
    )
    .label("brings in a text the scripts cannot encode")
    .help(format!("{fix}{other}"))
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
