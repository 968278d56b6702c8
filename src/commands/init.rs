//! `hagen init`: a commented cluster file to start from, chosen by flags, never by prompts (it
//! runs the same in a terminal, a pipe or CI).
//!
//! Everything the file holds is derived from the catalog: the companions a product needs are
//! added to the group (dbMail and WEBharmo need IIS), the version comes from the product's
//! version matrix for the chosen platform and OS, and each required product key gets a value
//! on the right disk (program on `C:`, data on the switching partition `S:`), a domain account
//! where the guide asks for one, and the first supported choice. Addresses and volume GUIDs
//! are placeholders the comments point out. The result checks clean, which the tests verify
//! for every product on its platforms.

use std::fmt::Write;

use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};
use crate::catalog::{Catalog, Disk, Generation, KeyKind, Platform, Product};
use crate::cli::InitArgs;
use crate::model::values::compare_versions;

/// What the flags chose.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub name: String,
    pub platform: Option<String>,
    pub os: Option<String>,
    pub language: String,
    pub products: Vec<String>,
    /// Where editors find the schema (`$schema=` of the first line).
    pub schema: String,
}

/// The cluster file, or why the choice cannot work.
pub fn init(catalog: &Catalog, options: &InitOptions) -> Result<String, String> {
    let mut products: Vec<&Product> = Vec::new();
    for id in &options.products {
        let product = catalog.product(id).ok_or_else(|| {
            let hint = crate::suggest::help(id, catalog.products.keys().map(String::as_str))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            format!("no product `{id}` in the catalog{hint}")
        })?;
        add_with_companions(catalog, product, &mut products)?;
    }

    let platform = match &options.platform {
        Some(id) => catalog.platform(id).ok_or_else(|| {
            let hint = crate::suggest::help(id, catalog.platforms.keys().map(String::as_str))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            format!("no platform `{id}` in the catalog{hint}")
        })?,
        // The newest platform every chosen product supports, by a source.
        None => catalog
            .platforms
            .values()
            .rev()
            .find(|p| choose_os(&products, p, options.os.as_deref(), Support::Verified).is_some())
            .ok_or_else(|| no_platform(catalog, &products, options.os.as_deref()))?,
    };

    // On a platform the user chose, a combination no source covers is offered, marked: `check`
    // warns about it (`combination-unverified`) and the file says what to confirm.
    let support = if choose_os(&products, platform, options.os.as_deref(), Support::Verified).is_some() {
        Support::Verified
    } else {
        Support::Unverified
    };
    let os = options
        .os
        .clone()
        .or_else(|| choose_os(&products, platform, None, support).flatten());
    let mut versions = Vec::new();
    let mut unverified = Vec::new();
    for product in &products {
        let picked = pick_version(product, platform, os.as_deref(), support)?;
        if let Some(note) = picked.unverified {
            unverified.push(format!("{}: {note}", product.name));
        }
        versions.push(picked.version);
    }
    let os = os
        .or_else(|| platform.os.as_ref().and_then(|list| list.last().cloned()))
        .unwrap_or_else(|| "windows-server-2022".to_string());

    let x = platform.generation == Generation::X;
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={}", options.schema);
    let _ = writeln!(
        out,
        "# A cluster for {} ({}), made by `hagen init`. Replace every address, and check it with\n# `hagen check`; `hagen explain CODE` tells what a diagnostic means.",
        platform.name, platform.id
    );
    for note in &unverified {
        let _ = writeln!(out, "# UNVERIFIED (check warns: combination-unverified): {note}");
    }
    out.push_str("cluster:\n");
    let _ = writeln!(out, "  name: {}", options.name);
    let _ = writeln!(out, "  platform: {}", platform.id);
    let _ = writeln!(out, "  os: {os}");
    let _ = writeln!(out, "  language: {}", options.language);
    out.push_str("\n# The servers, in priority order: each interconnect becomes a kernel-mode LAN heartbeat.\n");
    out.push_str("servers:\n");
    for i in 1..=2 {
        let _ = writeln!(out, "  - name: sv{i}");
        let _ = writeln!(out, "    ip: 192.168.0.{}", 10 + i);
        let _ = writeln!(out, "    interconnects: [10.0.0.{}]", 10 + i);
    }
    out.push_str("\ngroups:\n");
    out.push_str("  - name: app\n");
    out.push_str("    # Failover policy: the first server is where the group normally runs.\n");
    out.push_str("    failover: [sv1, sv2]\n");
    out.push_str("    # The floating IP clients use.\n");
    out.push_str("    ip: 192.168.0.100\n");
    out.push_str("    disk:\n");
    out.push_str("      # The switching partition.\n");
    out.push_str("      drive: \"S:\"\n");
    if x {
        out.push_str("      # What `clpdiskctrl get guid` prints on each server (placeholders).\n");
        out.push_str("      volume_guids:\n");
        out.push_str("        sv1: \"{00000000-0000-4000-8000-000000000001}\"\n");
        out.push_str("        sv2: \"{00000000-0000-4000-8000-000000000002}\"\n");
    }
    out.push_str("    apps:\n");
    if products.is_empty() {
        out.push_str("      # An application of your own: the Windows services the group starts, in order.\n");
        out.push_str("      - product: custom\n");
        out.push_str("        name: my-app\n");
        out.push_str("        services:\n");
        out.push_str("          - { name: MyService, watch_id: MyService }\n");
    }
    for (product, version) in products.iter().zip(&versions) {
        let _ = writeln!(out, "      # {} [{}]", product.name, product.source);
        let _ = writeln!(out, "      - product: {}", product.id);
        if let Some(version) = version {
            let _ = writeln!(out, "        version: \"{version}\"");
        }
        for (key, spec) in product.keys.iter().filter(|(_, s)| s.required) {
            let value = match spec.kind {
                KeyKind::Path => match spec.location {
                    Some(Disk::Shared) => format!("'S:\\{}'", product.id),
                    _ => format!("'C:\\{}'", product.id),
                },
                KeyKind::Account => format!("'EXAMPLE\\svc-{}'", product.id),
                KeyKind::Ip => "192.168.0.100".to_string(),
                KeyKind::Choice => match spec.choices.iter().find(|c| c.supported) {
                    Some(choice) => choice.id.clone(),
                    None => continue,
                },
                KeyKind::List | KeyKind::Services => continue,
            };
            let _ = writeln!(out, "        # {} [{}]", spec.description, spec.source);
            let _ = writeln!(out, "        {key}: {value}");
        }
    }
    out.push_str("\n# Optional: each server's services as exported, to verify the manual-start rule.\n");
    out.push_str("# inventory:\n#   sv1: { W3SVC: manual }\n");
    Ok(out)
}

/// Why no platform fits: the OS asked for, when the products run elsewhere, or the products.
fn no_platform(catalog: &Catalog, products: &[&Product], os: Option<&str>) -> String {
    let names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
    let Some(os) = os else {
        return format!(
            "no platform runs {} together, by the catalog's sources",
            names.join(" and ")
        );
    };
    let mut elsewhere: Vec<&str> = Vec::new();
    for candidate in products.iter().flat_map(|p| p.versions.iter().flat_map(|r| &r.os)) {
        if candidate != "*"
            && !elsewhere.contains(&candidate.as_str())
            && catalog
                .platforms
                .values()
                .any(|p| choose_os(products, p, Some(candidate), Support::Verified).is_some())
        {
            elsewhere.push(candidate);
        }
    }
    if elsewhere.is_empty() {
        format!(
            "no platform runs {} together, by the catalog's sources",
            names.join(" and ")
        )
    } else {
        format!(
            "no platform runs {} on `{os}`, by the catalog's sources; they run on: {}",
            if names.is_empty() {
                "a custom app".to_string()
            } else {
                names.join(" and ")
            },
            elsewhere.join(", ")
        )
    }
}

/// Adds a product after the products it needs in the same group, each once.
fn add_with_companions<'c>(
    catalog: &'c Catalog,
    product: &'c Product,
    out: &mut Vec<&'c Product>,
) -> Result<(), String> {
    if out.iter().any(|p| p.id == product.id) {
        return Ok(());
    }
    for require in &product.requires {
        let companion = catalog.product(&require.product).ok_or_else(|| {
            format!(
                "`{}` needs `{}`, which is not in the catalog",
                product.id, require.product
            )
        })?;
        add_with_companions(catalog, companion, out)?;
    }
    out.push(product);
    Ok(())
}

/// An OS on which every product has a version on this platform, newest first: `Some(None)`
/// when no product constrains it, `None` when there is none.
fn choose_os(products: &[&Product], platform: &Platform, os: Option<&str>, support: Support) -> Option<Option<String>> {
    let fits = |os: Option<&str>| products.iter().all(|p| pick_version(p, platform, os, support).is_ok());
    if let Some(os) = os {
        return fits(Some(os)).then(|| Some(os.to_string()));
    }
    let mut candidates: Vec<&String> = Vec::new();
    for product in products {
        for row in product.versions.iter().rev() {
            candidates.extend(row.os.iter().rev().filter(|o| *o != "*"));
        }
    }
    if candidates.is_empty() {
        return fits(None).then_some(None);
    }
    candidates.into_iter().find(|o| fits(Some(o))).map(|o| Some(o.clone()))
}

/// Which rows of a version matrix init may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Support {
    /// Only rows a source covers: what `check` accepts without a diagnostic.
    Verified,
    /// Those first, then rows no source covers (`check` warns).
    Unverified,
}

/// What [`pick_version`] chose.
struct Picked {
    /// `None` for a product without a version matrix or versions.
    version: Option<String>,
    /// The row's note when no source covers it.
    unverified: Option<String>,
}

/// A version of the product that runs on this platform (and OS, when chosen).
fn pick_version(product: &Product, platform: &Platform, os: Option<&str>, support: Support) -> Result<Picked, String> {
    if product.versions.is_empty() {
        return Ok(Picked {
            version: None,
            unverified: None,
        });
    }
    let listed = |list: &[String], value: &str| list.iter().any(|x| x == "*" || x == value);
    // The newest listed version of the product, for a row that accepts any (`*`).
    let newest = product
        .versions
        .iter()
        .flat_map(|r| &r.versions)
        .filter(|v| *v != "*")
        .max_by(|a, b| compare_versions(a.trim_end_matches('+'), b.trim_end_matches('+')));
    let passes: &[bool] = match support {
        Support::Verified => &[false],
        Support::Unverified => &[false, true],
    };
    // Covered rows first, then (when allowed) the others; the newest row first in each, as
    // matrices list versions oldest first.
    for row in passes.iter().flat_map(|&unverified| {
        product
            .versions
            .iter()
            .rev()
            .filter(move |r| r.unverified == unverified)
    }) {
        // A row that needs a companion product (IIS 4.0 with dbMail) is not offered on its own.
        if !row.with.is_empty() || !listed(&row.platforms, &platform.id) {
            continue;
        }
        if os.is_some_and(|os| !listed(&row.os, os)) {
            continue;
        }
        let mut candidates: Vec<&String> = row.versions.iter().filter(|v| *v != "*").collect();
        if candidates.is_empty() && row.versions.iter().any(|v| v == "*") {
            candidates.extend(newest);
        }
        candidates.sort_by(|a, b| compare_versions(b.trim_end_matches('+'), a.trim_end_matches('+')));
        let version = candidates.first().map(|v| v.trim_end_matches('+').to_string());
        if version.is_none() && product.version_required {
            continue;
        }
        let unverified = row.unverified.then(|| {
            row.note
                .clone()
                .unwrap_or_else(|| format!("no source covers it on {}: confirm it with NEC", platform.name))
        });
        return Ok(Picked { version, unverified });
    }
    Err(format!(
        "{} has no supported version on {}{} in the catalog; `hagen profiles show {}` lists them",
        product.name,
        platform.name,
        os.map(|o| format!(" with {o}")).unwrap_or_default(),
        product.id
    ))
}

/// `hagen init`: the scaffold on standard output.
pub fn run(args: &InitArgs) -> i32 {
    let options = InitOptions {
        name: args.name.clone(),
        platform: args.platform.clone(),
        os: args.os.clone(),
        language: args.language.clone(),
        products: args.products.clone(),
        schema: args.schema.clone(),
    };
    let mut out = Output::new();
    let loaded = match &args.profiles {
        Some(dir) => match Catalog::with_profiles(dir) {
            Ok(catalog) => Some(catalog),
            Err(load) => {
                out.error_line(&load.to_string());
                return if out.finish() { load.exit_code() } else { EXIT_FAILURE };
            }
        },
        None => None,
    };
    let catalog = loaded.as_ref().unwrap_or_else(|| Catalog::builtin());
    let code = match init(catalog, &options) {
        Ok(text) => {
            out.write(&text);
            EXIT_OK
        }
        Err(message) => {
            out.error_line(&message);
            EXIT_FAILURE
        }
    };
    if out.finish() { code } else { EXIT_FAILURE }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::check_file;
    use crate::source::SourceFile;

    fn options(products: &[&str], platform: Option<&str>) -> InitOptions {
        InitOptions {
            name: "my-cluster".to_string(),
            platform: platform.map(str::to_string),
            os: None,
            language: "en".to_string(),
            products: products.iter().map(|s| s.to_string()).collect(),
            schema: "cluster.schema.json".to_string(),
        }
    }

    fn assert_clean(text: &str) {
        let file = SourceFile::new("init.yaml".to_string(), text.to_string());
        let diagnostics = check_file(&file, Catalog::builtin());
        assert!(diagnostics.is_empty(), "{text}\n{diagnostics:#?}");
    }

    #[test]
    fn every_product_alone_gives_a_file_that_checks_clean() {
        let catalog = Catalog::builtin();
        for id in catalog.products.keys() {
            let text = init(catalog, &options(&[id], None)).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(text.starts_with("# yaml-language-server: $schema=cluster.schema.json\n"));
            assert!(text.contains(&format!("product: {id}")), "{text}");
            assert_clean(&text);
        }
    }

    #[test]
    fn no_product_gives_a_custom_app_on_the_newest_platform() {
        let text = init(Catalog::builtin(), &options(&[], None)).unwrap();
        assert!(text.contains("platform: clusterpro-x-5.1"), "{text}");
        assert_clean(&text);
    }

    #[test]
    fn companions_are_added_and_impossible_choices_refused() {
        let catalog = Catalog::builtin();
        let text = init(catalog, &options(&["dbmail"], None)).unwrap();
        let iis = text.find("product: iis").expect("IIS added for dbMail");
        assert!(iis < text.find("product: dbmail").unwrap());
        assert_clean(&text);
        let err = init(catalog, &options(&["surfnavi"], Some("clusterpro-6.0"))).unwrap_err();
        assert!(err.contains("no supported version"), "{err}");
        let err = init(catalog, &options(&["iss"], None)).unwrap_err();
        assert!(
            err.contains("did you mean `iis`?") || err.contains("no product"),
            "{err}"
        );
    }

    #[test]
    fn init_offers_only_what_check_accepts_and_marks_what_no_source_covers() {
        let catalog = Catalog::builtin();
        for platform in catalog.platforms.keys() {
            for product in catalog.products.keys() {
                let Ok(text) = init(catalog, &options(&[product], Some(platform))) else {
                    continue;
                };
                let file = SourceFile::new("init.yaml".to_string(), text.clone());
                let codes: Vec<&str> = check_file(&file, catalog).iter().map(|d| d.code.name()).collect();
                let marked = text.contains("# UNVERIFIED");
                let expected: &[&str] = if marked { &["combination-unverified"] } else { &[] };
                let unique: Vec<&str> = codes.iter().fold(Vec::new(), |mut v, c| {
                    if !v.contains(c) {
                        v.push(*c);
                    }
                    v
                });
                assert_eq!(unique, expected, "{product} on {platform}:\n{text}");
            }
        }
        // Without a platform, init picks one a source covers.
        for product in catalog.products.keys() {
            let text = init(catalog, &options(&[product], None)).unwrap();
            assert!(!text.contains("UNVERIFIED"), "{product}:\n{text}");
        }
    }

    #[test]
    fn defaults_are_the_newest_documented_platform_and_an_os_mistake_is_named() {
        let catalog = Catalog::builtin();
        // ExpressMail is documented on X 1.0-2.1 (SURFNAVI's mail server) with no version
        // named: the newest version of the matrix is offered there.
        let text = init(catalog, &options(&["expressmail"], None)).unwrap();
        assert!(text.contains("platform: clusterpro-x-2.1"), "{text}");
        assert!(text.contains("version: \"6.1\""), "{text}");
        let mut with_os = options(&["iis"], None);
        with_os.os = Some("windows-server-2022".to_string());
        let err = init(catalog, &with_os).unwrap_err();
        assert!(err.contains("on `windows-server-2022`"), "{err}");
        assert!(err.contains("windows-2000-server, windows-server-2003"), "{err}");
    }
}
