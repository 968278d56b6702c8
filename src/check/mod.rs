//! Every rule of SPEC section 4, run over one cluster file.
//!
//! [`check_file`] is the whole front half of hagen: parse, decode, resolve, then each rule in
//! [`rules`] in turn. Rules read the resolved cluster and push diagnostics; none stops the
//! others, and none does I/O.

pub mod resolve;
pub mod rules;

use crate::catalog::CatalogSource;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::Graph;
use crate::plan::Plan;
use crate::source::SourceFile;

pub use resolve::{AppView, Cluster, Controlled, GroupView};

/// Parses, decodes, resolves and checks one file; returns its diagnostics sorted by place.
pub fn check_file(file: &SourceFile, catalog: &(impl CatalogSource + ?Sized)) -> Vec<Diagnostic> {
    check_and_plan(file, catalog, false).0
}

/// Checks one file and, when asked and it has no errors, plans its package. The plan names
/// the file by `file.name`'s last component, so it is the same from any directory.
pub fn check_and_plan(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    plan: bool,
) -> (Vec<Diagnostic>, Option<Plan>) {
    let name = file.name.rsplit(['/', '\\']).next().unwrap_or(&file.name);
    let (diags, planned) = check_with(file, catalog, |cluster, clean| {
        (plan && clean).then(|| crate::plan::build(cluster, name))
    });
    (diags, planned.flatten())
}

/// Checks one file and draws its start order: the diagnostics sorted by place, and the graph
/// of every group and between groups, also when the file has errors (a cycle is marked in
/// it). The graph is `None` only when the file is not YAML at all.
pub fn check_graph(file: &SourceFile, catalog: &(impl CatalogSource + ?Sized)) -> (Vec<Diagnostic>, Option<Graph>) {
    check_with(file, catalog, |cluster, _| Graph::new(cluster))
}

/// Parses, decodes, resolves and checks one file, then hands the resolved cluster to `then`
/// with whether it checked without errors. Returns the diagnostics sorted by place and what
/// `then` returned; `None` when the file is not YAML, so that there is no cluster. The
/// catalog is asked for only after parsing, so that it can load meanwhile.
pub fn check_with<R>(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    then: impl FnOnce(&Cluster, bool) -> R,
) -> (Vec<Diagnostic>, Option<R>) {
    let mut diags = Diagnostics::default();
    let mut out = None;
    match crate::yaml::parse(file) {
        Ok(root) => {
            let model = crate::model::decode(file, &root, &mut diags);
            let cluster = resolve::resolve(&model, catalog.catalog(), &mut diags);
            rules::run(&cluster, &mut diags);
            rules::encoding::source_name(&file.name, &cluster, &mut diags);
            out = Some(then(&cluster, !diags.has_errors()));
            // The tree is freed here, on this thread: handed to another thread to free, the
            // benchmark's check took a tenth longer, the two threads contending for the
            // allocator's lock.
            drop(root);
        }
        Err(d) => diags.push(d),
    }
    (diags.into_sorted(), out)
}

#[cfg(test)]
mod tests {
    //! Rule behaviour that the one-fixture-per-code tests do not pin down.

    use super::*;
    use crate::catalog::Catalog;
    use crate::diag::Code;

    const HEAD: &str = "cluster: { name: c, platform: clusterpro-x-2.1, os: windows-server-2003, language: en }\nservers:\n  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }\n  - { name: c, ip: 10.0.0.3, interconnects: [10.1.0.3] }\n";

    /// (code, the text its span covers) of every diagnostic.
    fn run(body: &str) -> Vec<(Code, String)> {
        let file = SourceFile::new("t.yaml", format!("{HEAD}{body}"));
        check_file(&file, Catalog::builtin())
            .into_iter()
            .map(|d| (d.code, file.slice(d.span.clone()).to_string()))
            .collect()
    }

    fn custom(name: &str, after: &str) -> String {
        format!(
            "      - {{ product: custom, name: {name}, after: [{after}], services: [{{ name: S{name}, watch_id: W{name} }}] }}\n"
        )
    }

    #[test]
    fn a_three_app_cycle_is_reported_once_with_every_edge() {
        let body = format!(
            "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n{}{}{}",
            custom("x", "z"),
            custom("y", "x"),
            custom("z", "y")
        );
        let file = SourceFile::new("t.yaml", format!("{HEAD}{body}"));
        let diags = check_file(&file, Catalog::builtin());
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, Code::DependencyCycle);
        assert_eq!(diags[0].related.len(), 2);
    }

    #[test]
    fn a_cycle_of_groups_is_reported_once_at_its_first_after_entry_with_every_edge() {
        let group = |n: &str, after: &str, ip: u8| {
            format!(
                "  - name: {n}\n    failover: [a, b]\n    ip: 10.0.0.{ip}\n    after: [{after}]\n    apps:\n{}",
                custom(n, "")
            )
        };
        let body = format!(
            "groups:\n{}{}{}{}",
            group("x", "z", 21),
            group("y", "x", 22),
            group("z", "y", 23),
            group("w", "w", 24)
        );
        let file = SourceFile::new("t.yaml", format!("{HEAD}{body}"));
        let diags = check_file(&file, Catalog::builtin());
        assert_eq!(diags.len(), 2, "{diags:#?}");
        let ring = &diags[0];
        assert_eq!(ring.code, Code::DependencyCycle);
        assert_eq!(file.slice(ring.span.clone()), "z");
        assert_eq!(file.position(ring.span.start).line, 10, "the `after` of group x");
        assert_eq!(ring.label, "group `x` starts after `z`");
        let edges: Vec<(usize, &str)> = ring
            .related
            .iter()
            .map(|r| (file.position(r.span.start).line, r.message.as_str()))
            .collect();
        assert_eq!(
            edges,
            [(16, "group `y` starts after `x`"), (22, "group `z` starts after `y`")]
        );
        let own = &diags[1];
        assert_eq!((own.code, file.slice(own.span.clone())), (Code::DependencyCycle, "w"));
        assert_eq!(own.label, "group `w` starts after `w`");
    }

    #[test]
    fn an_app_waiting_for_itself_is_a_cycle() {
        let body = format!(
            "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n{}",
            custom("x", "x")
        );
        assert_eq!(run(&body), [(Code::DependencyCycle, "x".to_string())]);
    }

    #[test]
    fn a_cycle_through_a_builtin_rule_is_a_conflict_not_a_cycle() {
        let body = "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    disk: { drive: \"S:\", volume_guids: { a: \"{00000000-0000-4000-8000-000000000001}\", b: \"{00000000-0000-4000-8000-000000000002}\" } }\n    apps:\n      - { product: iis, version: \"6.0\", content_dir: 'S:\\w', after: [indexing-service] }\n      - { product: indexing-service }\n";
        assert_eq!(run(body), [(Code::OrderConflict, "indexing-service".to_string())]);
    }

    #[test]
    fn three_groups_sharing_a_product_and_servers_are_not_supported() {
        let group = |n: &str, first: &str, ip: u8| {
            format!(
                "  - name: {n}\n    failover: [{first}, c]\n    ip: 10.0.0.{ip}\n    apps:\n      - {{ product: iis, version: \"6.0\", services: [www], content_dir: 'C:\\w', site_binding: 10.0.0.{ip} }}\n"
            )
        };
        let body = format!(
            "groups:\n{}{}{}",
            group("g1", "a", 21),
            group("g2", "b", 22),
            group("g3", "a", 23)
        );
        let codes: Vec<Code> = run(&body)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| *c == Code::StandbyUnsupported)
            .collect();
        assert_eq!(codes.len(), 1);
    }

    #[test]
    fn two_way_standby_needs_both_groups_on_the_same_servers() {
        let group = |n: &str, servers: &str, ip: u8, drive: char| {
            format!(
                "  - name: {n}\n    failover: [{servers}]\n    ip: 10.0.0.{ip}\n    disk: {{ drive: \"{drive}:\", volume_guids: {{ a: \"{{00000000-0000-4000-8000-0000000000{ip}}}\", b: \"{{00000000-0000-4000-8000-0000000001{ip}}}\", c: \"{{00000000-0000-4000-8000-0000000002{ip}}}\" }} }}\n    apps:\n      - {{ product: iis, version: \"6.0\", content_dir: '{drive}:\\w', site_binding: 10.0.0.{ip} }}\n"
            )
        };
        let chained = format!(
            "groups:\n{}{}",
            group("g1", "a, b", 21, 'S'),
            group("g2", "b, c", 22, 'T')
        );
        let found = run(&chained);
        assert_eq!(found, [(Code::StandbyUnsupported, "failover".to_string())], "{found:?}");
        let file = SourceFile::new("t.yaml", format!("{HEAD}{chained}"));
        let d = &check_file(&file, Catalog::builtin())[0];
        assert_eq!(file.position(d.span.start).line, 14, "at the second group's `failover`");
        assert_eq!(
            file.position(d.related[0].span.start).line,
            8,
            "the first group's `failover`"
        );
        let crossed = format!(
            "groups:\n{}{}",
            group("g1", "a, b", 21, 'S'),
            group("g2", "b, a", 22, 'T')
        );
        assert_eq!(run(&crossed), []);
    }

    #[test]
    fn groups_that_meet_on_a_server_need_their_own_drive_letters() {
        let group = |n: &str, servers: &str, ip: u8, drive: char| {
            format!(
                "  - name: {n}\n    failover: [{servers}]\n    ip: 10.0.0.{ip}\n    disk: {{ drive: \"{drive}:\", volume_guids: {{ a: \"{{00000000-0000-4000-8000-0000000000{ip}}}\", b: \"{{00000000-0000-4000-8000-0000000001{ip}}}\", c: \"{{00000000-0000-4000-8000-0000000002{ip}}}\" }} }}\n    apps:\n{}",
                custom(n, "")
            )
        };
        let body = format!(
            "groups:\n{}{}",
            group("g1", "a, b", 21, 'S'),
            group("g2", "c, b", 22, 'S')
        );
        let file = SourceFile::new("t.yaml", format!("{HEAD}{body}"));
        let diags = check_file(&file, Catalog::builtin());
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, Code::InvalidValue);
        assert_eq!(file.position(diags[0].span.start).line, 16);
        assert_eq!(file.slice(diags[0].span.clone()), "\"S:\"");
        assert_eq!(file.position(diags[0].related[0].span.start).line, 10);
        assert!(diags[0].message.ends_with("as S: on `b`"), "{}", diags[0].message);
        let apart = format!("groups:\n{}{}", group("g1", "a, b", 21, 'S'), group("g2", "c", 22, 'S'));
        assert_eq!(run(&apart), []);
    }

    #[test]
    fn a_port_range_must_be_covered_entirely() {
        let allow = "firewall:\n  filter: windows-firewall\n  allow: [tcp/in 29001-29003, tcp/in 29005, tcp/in 29004, udp/in 29003, tcp/in 29007, udp/in 29007, udp/in 29106, udp/out 29003, udp/out 389, tcp/in 8000-8009]\n";
        let body = format!(
            "{allow}groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n      - {{ product: custom, ports: [tcp/in 8005-8010], services: [{{ name: S, watch_id: W }}] }}\n"
        );
        assert_eq!(run(&body), [(Code::PortNotAllowed, "allow".to_string())]);
    }

    #[test]
    fn missing_allowlist_rules_are_named_with_their_purpose_and_who_needs_them() {
        let body = "cluster: { name: c, platform: clusterpro-x-2.1, os: windows-server-2003, language: en, features: [forced-stop] }\nservers:\n  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }\nfirewall:\n  filter: surfnavi-packet-filter\n  allow: [tcp/in 29001-29005, tcp/in 29007, udp/in 29003, udp/in 29007, udp/out 29003, udp/out 389]\ngroups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n      - { product: custom, name: api, ports: [tcp/in 8080], services: [{ name: Api, watch_id: API }] }\n";
        let file = SourceFile::new("t.yaml", body);
        let diags = check_file(&file, Catalog::builtin());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the allowlist lacks tcp/in 8080 (declared in `ports`), needed by app `api`",
                "the allowlist lacks udp/in 29106 (kernel-mode LAN heartbeat), needed by CLUSTERPRO X 2.1 for Windows",
                "the allowlist lacks udp/in 623 (IPMI), needed by the forced-stop feature of CLUSTERPRO X 2.1 for Windows",
            ]
        );
        for d in &diags {
            assert_eq!(d.code, Code::PortNotAllowed);
            assert_eq!(file.slice(d.span.clone()), "allow");
        }
        let related: Vec<Vec<&str>> = diags
            .iter()
            .map(|d| d.related.iter().map(|r| file.slice(r.span.clone())).collect())
            .collect();
        assert_eq!(related, [vec!["tcp/in 8080"], vec![], vec!["forced-stop"]]);
    }

    #[test]
    fn inventory_names_match_service_or_display_name_in_any_case() {
        let body = "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    disk: { drive: \"S:\", volume_guids: { a: \"{00000000-0000-4000-8000-000000000001}\", b: \"{00000000-0000-4000-8000-000000000002}\" } }\n    apps:\n      - { product: iis, version: \"6.0\", services: [www], content_dir: 'S:\\w' }\ninventory:\n  a: { w3svc: disabled, MSFTPSVC: auto }\n  b: { world wide web publishing service: auto }\n  c: { W3SVC: auto }\n";
        // c runs no group; MSFTPSVC is not controlled (only www): neither is reported.
        let found: Vec<String> = run(body).into_iter().map(|(c, s)| format!("{c} {s}")).collect();
        assert_eq!(found, ["service-not-manual disabled", "service-not-manual auto"]);
    }
}
