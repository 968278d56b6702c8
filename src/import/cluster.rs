//! The `cluster:` part: the cluster's name, its platform (from the version that saved clp.conf,
//! else from the scripts' header, else the newest of the catalog, with a note), the OS (from
//! the runbook) and the language (from `<all><charset>`, else the XML declaration).

use super::Package;
use super::out::{Out, scalar, shown};
use super::xml::{Charset, Element};
use crate::catalog::{Catalog, Generation};
use crate::model::{OS_IDS, values};

/// `charset`: the file's charset (`<all><charset>`, else what it was decoded as);
/// `disagreement`: what the XML declaration says otherwise.
pub fn cluster(
    root: &Element,
    charset: Charset,
    disagreement: Option<&str>,
    package: Option<&Package>,
    catalog: &Catalog,
    out: &mut Out,
) {
    out.line(0, "cluster:");
    match root.text_at("cluster/name") {
        Some(n) if values::name_problem(n).is_none() => out.line(2, format!("name: {}", scalar(n))),
        Some(n) => out.note(
            2,
            format!(
                "the cluster's name `{}` is not a valid name here; add `name:`",
                shown(n)
            ),
        ),
        None => out.note(2, "clp.conf names no cluster; add `name:`"),
    }
    let x_platforms: Vec<&str> = catalog
        .platform_ids()
        .into_iter()
        .filter(|id| catalog.platform(id).is_some_and(|p| p.generation == Generation::X))
        .collect();
    let saved = root.text_at("trekking/savedversion");
    let from_version = saved.and_then(|v| {
        let mut parts = v.split(['.', '-']);
        let id = format!("clusterpro-x-{}.{}", parts.next()?, parts.next()?);
        x_platforms.iter().find(|p| **p == id).copied()
    });
    let from_scripts = package.and_then(|p| p.platform_name()).and_then(|name| {
        x_platforms
            .iter()
            .find(|id| catalog.platform(id).is_some_and(|p| p.name == name))
            .copied()
    });
    match (from_version, from_scripts, x_platforms.last()) {
        (Some(id), _, _) | (None, Some(id), _) => out.line(2, format!("platform: {}", scalar(id))),
        (None, None, Some(newest)) => {
            match saved {
                Some(v) => out.note(
                    2,
                    format!(
                        "clp.conf was saved by version {}, which the catalog does not have",
                        shown(v)
                    ),
                ),
                None => out.note(2, "clp.conf holds no version (<trekking><savedversion>)"),
            }
            out.note(
                2,
                "the platform is the newest of the catalog: correct it if yours is older",
            );
            out.line(2, format!("platform: {}", scalar(newest)));
        }
        (None, None, None) => out.note(2, "the catalog has no CLUSTERPRO X platform; add `platform:`"),
    }
    match package.and_then(|p| p.os()) {
        // Only an OS hagen knows: the runbook is a file like any other.
        Some(os) if OS_IDS.contains(&os.as_str()) => out.line(2, format!("os: {}", scalar(&os))),
        Some(os) => out.note(
            2,
            format!(
                "the runbook names the OS `{}`, which hagen does not know; add `os:`",
                shown(&os)
            ),
        ),
        None => out.note(2, "clp.conf does not name the servers' Windows version; add `os:`"),
    }
    // hagen writes SJIS for `ja` and ASCII for `en` (README, "What clp.conf holds").
    if let Some(d) = disagreement {
        out.note(2, d);
    }
    let language = match charset {
        Charset::Sjis => "ja",
        _ => "en",
    };
    out.line(2, format!("language: {language}"));
}
