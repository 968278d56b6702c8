//! clp.conf read back against the plan it was emitted from, for every example (the
//! comparison is tests/support/plan_conf.rs; tests/properties.rs runs it on generated
//! clusters). tests/clpconf.rs checks the XML against the YAML and NEC's files; this test
//! checks that the emitter printed the plan and invented nothing.

#[path = "support/plan_conf.rs"]
mod plan_conf;
#[path = "support/tree.rs"]
mod tree;
#[path = "support/xml.rs"]
mod xml;

use tree::examples;

#[test]
fn every_example_clp_conf_is_its_plan() {
    let mut checked = 0;
    for (name, text) in examples() {
        if plan_conf::check(&name, &text) {
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} examples have a clp.conf");
}
