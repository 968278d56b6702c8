//! `hagen import CLP.CONF [--scripts DIR]`: an existing CLUSTERPRO X configuration as a cluster
//! file (SPEC section 2), so that a running cluster can be checked and rebuilt by hagen.
//!
//! clp.conf holds the cluster's shape (servers, heartbeats, groups, their failover policies,
//! resources and monitors), not what hagen's cluster file says about the applications; the
//! scripts of the package (`scripts/<group>/<script resource>/start.bat` and `stop.bat`, SPEC
//! section 5) hold the ARMLOAD and ARMKILL lines, from which the products are recognised
//! through the catalog (services and watch ids). Whatever cannot be mapped is said in a `# note:` comment at its place: the
//! printed file is meant to be read, completed and checked. Every value goes through the same
//! allowlist as a hand-written file; one that fails it is left out, with a note.
//!
//! Each part of the cluster file has its own file (`cluster.rs`, `servers.rs`, `monitors.rs`,
//! `groups.rs`), written in the order the cluster file reads; this one only reads clp.conf,
//! refuses what is not a Windows one, and calls them in turn.
//!
//! A Linux clp.conf (`<serveros>linux</serveros>`) is refused: hagen describes Windows
//! clusters only.

mod apps;
mod cluster;
mod groups;
mod mirror;
mod monitors;
mod out;
mod package;
mod resources;
mod scripts;
mod servers;
pub mod xml;

use crate::catalog::Catalog;

use out::Out;
pub use package::{Package, read_package};
pub use resources::{collect_keys, tuned};

/// The cluster file and how many notes it holds.
#[derive(Debug)]
pub struct Imported {
    pub yaml: String,
    pub notes: usize,
    pub groups: usize,
}

/// Imports clp.conf (`name` is how messages call it).
pub fn import(name: &str, bytes: &[u8], package: Option<&Package>, catalog: &Catalog) -> Result<Imported, String> {
    let document = xml::parse_clpconf(bytes)?;
    let root = document.root;
    let mut out = Out::default();
    out.line(0, format!("# Imported by hagen from {}.", out::escaped(name)));
    out.line(
        0,
        "# Check it with `hagen check`; every `# note:` is something clp.conf did not say.",
    );
    cluster::cluster(
        &root,
        document.charset.unwrap_or(document.encoding),
        document.disagreement.as_deref(),
        package,
        catalog,
        &mut out,
    );
    out.line(0, "");
    servers::servers(&root, package, &mut out);
    out.line(0, "");
    mirror::network_partition(&root, &mut out);
    monitors::monitors(&root, &mut out);
    let groups = groups::groups(&root, package, catalog, &mut out);
    Ok(Imported {
        yaml: out.text,
        notes: out.notes,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linux_configuration_is_refused() {
        let conf = b"<?xml version=\"1.0\" encoding=\"ASCII\"?><root><all><serveros>linux</serveros></all><cluster><name>c</name></cluster></root>";
        let err = import("clp.conf", conf, None, Catalog::builtin()).unwrap_err();
        assert!(err.contains("Linux"), "{err}");
    }
}
