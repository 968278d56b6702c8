//! The product catalog: what each CLUSTERPRO platform and each PP-guide product requires.
//!
//! The catalog is data, not code: one YAML file per platform and per product under
//! `profiles/`, embedded in the binary at build time. Every fact carries a `source` naming
//! the seed section or reference file it comes from; where no source exists the fact is left
//! out (or marked unknown) rather than guessed, so a user profile can supply it.
//!
//! [`Catalog::with_profiles`] adds the user's profiles (`--profiles DIR`): a profile with a
//! new id adds a platform or product, one with a built-in id overrides the keys it has (see
//! [`profiles`] for the rule). Built-in and user profiles are read the same way, against the
//! profile schema (`schemas/profile.schema.json`), so a user profile obeys every allowlist the
//! built-ins obey, and its problems are diagnostics at their place in the profile file.

mod profiles;
pub mod sources;
mod types;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

pub use profiles::ProfileLoad;
pub use types::*;

/// The built-in profiles, embedded at build time: (file name, text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "platforms/clusterpro-6.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-6.0.yaml"),
    ),
    (
        "platforms/clusterpro-7.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-7.0.yaml"),
    ),
    (
        "platforms/clusterpro-8.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-8.0.yaml"),
    ),
    (
        "platforms/clusterpro-x-1.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-1.0.yaml"),
    ),
    (
        "platforms/clusterpro-x-2.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-2.0.yaml"),
    ),
    (
        "platforms/clusterpro-x-2.1.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-2.1.yaml"),
    ),
    (
        "platforms/clusterpro-x-4.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-4.0.yaml"),
    ),
    (
        "platforms/clusterpro-x-4.1.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-4.1.yaml"),
    ),
    (
        "platforms/clusterpro-x-4.2.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-4.2.yaml"),
    ),
    (
        "platforms/clusterpro-x-4.3.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-4.3.yaml"),
    ),
    (
        "platforms/clusterpro-x-5.0.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-5.0.yaml"),
    ),
    (
        "platforms/clusterpro-x-5.1.yaml",
        include_str!("../../profiles/platforms/clusterpro-x-5.1.yaml"),
    ),
    ("products/iis.yaml", include_str!("../../profiles/products/iis.yaml")),
    (
        "products/dbmail.yaml",
        include_str!("../../profiles/products/dbmail.yaml"),
    ),
    (
        "products/webharmo-rdbeuf.yaml",
        include_str!("../../profiles/products/webharmo-rdbeuf.yaml"),
    ),
    (
        "products/webharmo-oltp.yaml",
        include_str!("../../profiles/products/webharmo-oltp.yaml"),
    ),
    (
        "products/expressmail.yaml",
        include_str!("../../profiles/products/expressmail.yaml"),
    ),
    (
        "products/surfnavi.yaml",
        include_str!("../../profiles/products/surfnavi.yaml"),
    ),
    (
        "products/indexing-service.yaml",
        include_str!("../../profiles/products/indexing-service.yaml"),
    ),
];

/// Platforms and products by id.
#[derive(Debug, Default)]
pub struct Catalog {
    pub platforms: BTreeMap<String, Platform>,
    pub products: BTreeMap<String, Product>,
    /// The ids a user profile added or overrode, with the profile file's name.
    pub origins: BTreeMap<String, String>,
}

static BUILTIN_CATALOG: OnceLock<Catalog> = OnceLock::new();

/// Where a check finds its catalog once the file is parsed: a catalog at hand, or the built-in
/// one, which may still be loading ([`Catalog::preload_builtin`]).
pub trait CatalogSource: Sync {
    fn catalog(&self) -> &Catalog;
}

impl CatalogSource for Catalog {
    fn catalog(&self) -> &Catalog {
        self
    }
}

/// The built-in catalog, waited for when first asked.
pub struct Builtin;

impl CatalogSource for Builtin {
    fn catalog(&self) -> &Catalog {
        Catalog::builtin()
    }
}

impl Catalog {
    /// The catalog built into the binary. The built-in profiles are tested to load, so a
    /// failure here is a bug in hagen, not in the user's input.
    pub fn builtin() -> &'static Catalog {
        BUILTIN_CATALOG.get_or_init(|| Catalog::load(BUILTIN).unwrap_or_else(|e| panic!("built-in profile: {e}")))
    }

    /// Starts loading the built-in catalog on another thread and returns at once: a command
    /// that reads and parses a file first finds the catalog ready when it needs it (loading
    /// it costs about a tenth of checking the benchmark's 1,000-group file).
    pub fn preload_builtin() {
        if BUILTIN_CATALOG.get().is_none() {
            // Without a thread, the first `builtin` call loads it as before.
            let _ = std::thread::Builder::new().spawn(|| {
                Catalog::builtin();
            });
        }
    }

    /// Loads profiles from (file name, text) pairs, as the built-in catalog is loaded: a
    /// profile with `generation` is a platform, any other a product. The error lists every
    /// problem as `NAME:LINE:COLUMN: code: message`.
    pub fn load(files: &[(&str, &str)]) -> Result<Catalog, String> {
        profiles::load_builtin(files)
    }

    /// The built-in catalog with the user's profiles of `dir` (every `*.yaml` and `*.yml`
    /// below it; a single file works too): a profile whose `id` is new adds a platform (when it
    /// has `generation`) or a product; one whose `id` is built in overrides that profile's
    /// top-level keys it has and keeps the others.
    ///
    /// The error holds the paths that could not be read (exit 2) and, per profile file, its
    /// source and diagnostics (exit 1), to be rendered as a cluster file's are.
    pub fn with_profiles(dir: &Path) -> Result<Catalog, ProfileLoad> {
        profiles::load_with(dir)
    }

    /// Whether a user profile added or overrode this platform or product.
    pub fn origin(&self, id: &str) -> Option<&str> {
        self.origins.get(id).map(String::as_str)
    }

    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.platforms.get(id)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.get(id)
    }

    /// Platform ids in release order (ARM generation first, then X by version).
    pub fn platform_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&Platform> = self.platforms.values().collect();
        ids.sort_by(|a, b| {
            a.generation
                .cmp(&b.generation)
                .then_with(|| crate::model::values::compare_versions(&a.version, &b.version))
        });
        ids.into_iter().map(|p| p.id.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_loads_and_names_every_spec_entry() {
        let c = Catalog::builtin();
        for id in [
            "clusterpro-6.0",
            "clusterpro-7.0",
            "clusterpro-8.0",
            "clusterpro-x-1.0",
            "clusterpro-x-2.0",
            "clusterpro-x-2.1",
            "clusterpro-x-4.0",
            "clusterpro-x-4.1",
            "clusterpro-x-4.2",
            "clusterpro-x-4.3",
            "clusterpro-x-5.0",
            "clusterpro-x-5.1",
        ] {
            assert!(c.platform(id).is_some(), "{id}");
        }
        for id in [
            "iis",
            "dbmail",
            "webharmo-rdbeuf",
            "webharmo-oltp",
            "expressmail",
            "surfnavi",
            "indexing-service",
        ] {
            assert!(c.product(id).is_some(), "{id}");
        }
        assert_eq!(c.platform_ids().first(), Some(&"clusterpro-6.0"));
        assert_eq!(c.platform_ids().last(), Some(&"clusterpro-x-5.1"));
    }

    #[test]
    fn every_fact_names_a_source() {
        let c = Catalog::builtin();
        let named = |s: &str| s.trim().len() > 3;
        for p in c.platforms.values() {
            let mut sources = vec![&p.source, &p.os_source];
            sources.extend(p.ports.iter().map(|f| &f.source));
            sources.extend(p.features.iter().map(|f| &f.source));
            assert!(sources.iter().all(|s| named(s)), "{}: {sources:?}", p.id);
            for s in &sources {
                assert!(sources::is_public(s), "{}: `{s}` names no public document", p.id);
            }
        }
        for p in c.products.values() {
            let mut sources = vec![&p.source, &p.monitor.source];
            sources.extend(p.keys.values().map(|k| &k.source));
            sources.extend(p.keys.values().flat_map(|k| k.choices.iter().map(|c| &c.source)));
            sources.extend(p.services.iter().map(|f| &f.source));
            sources.extend(p.unsupported_services.iter().map(|f| &f.source));
            sources.extend(p.never_stop.iter().map(|f| &f.source));
            sources.extend(p.disk_failure_failover.iter().map(|f| &f.source));
            sources.extend(p.standby.iter().map(|f| &f.source));
            sources.extend(p.versions.iter().map(|f| &f.source));
            sources.extend(p.requires.iter().map(|f| &f.source));
            for order in [&p.start_after, &p.start_before, &p.install_after, &p.install_before] {
                sources.extend(order.iter().map(|f| &f.source));
            }
            sources.extend(p.features.iter().map(|f| &f.source));
            sources.extend(p.registry.iter().map(|f| &f.source));
            sources.extend(p.ports.iter().map(|f| &f.source));
            sources.extend(p.notes.iter().map(|f| &f.source));
            assert!(sources.iter().all(|s| named(s)), "{}: {sources:?}", p.id);
            // Every source is a document a reader can open (docs/sources.md), never a file of
            // this repository or of its reference folder.
            for s in &sources {
                assert!(sources::is_public(s), "{}: `{s}` names no public document", p.id);
            }
        }
    }

    #[test]
    fn every_platform_has_a_dialect_and_x_needs_ipmi_only_from_2_0() {
        let c = Catalog::builtin();
        for p in c.platforms.values() {
            let expected = if p.id.starts_with("clusterpro-x-") {
                "CLP"
            } else {
                "ARMS"
            };
            assert_eq!(p.dialect(), expected, "{}", p.id);
            let ipmi = p.ports.iter().any(|f| f.rule == "udp/in 623");
            let from_2_0 = p.generation == Generation::X && p.version != "1.0";
            assert_eq!(ipmi, from_2_0, "{}", p.id);
            assert_eq!(p.supports_feature("forced-stop"), from_2_0, "{}", p.id);
            assert_eq!(p.supports_feature("chassis-identify"), from_2_0, "{}", p.id);
        }
    }

    #[test]
    fn x_platforms_need_ipmi_only_with_forced_stop_from_2_0() {
        let c = Catalog::builtin();
        let ipmi = |id: &str, features: &[&str]| {
            c.platform(id)
                .unwrap()
                .required_ports(features)
                .iter()
                .any(|(r, _)| r.to_string() == "udp/in 623")
        };
        assert!(ipmi("clusterpro-x-2.1", &["forced-stop"]));
        assert!(ipmi("clusterpro-x-4.2", &["chassis-identify"]));
        assert!(!ipmi("clusterpro-x-2.1", &[]));
        assert!(!c.platform("clusterpro-x-1.0").unwrap().supports_feature("forced-stop"));
    }
}
