//! Any bytes as the clp.conf of `hagen import`: decoded by its declaration or charset, read
//! into the element tree, and mapped to a cluster file with the built-in catalog. A panic or a
//! stack overflow is a crash; so is an imported file that is not YAML hagen reads (a value
//! or a note that broke a line), or that holds a control or bidirectional character raw.

#![no_main]

use hagen::catalog::Catalog;
use hagen::diag::Code;
use hagen::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(imported) = hagen::import::import("fuzz.conf", bytes, None, Catalog::builtin()) else {
        return;
    };
    assert!(
        !imported
            .yaml
            .chars()
            .any(|c| c != '\n' && hagen::source::is_unprintable(c)),
        "a raw control character in the imported file"
    );
    let file = SourceFile::new("imported.yaml", imported.yaml);
    let diagnostics = hagen::check::check_file(&file, Catalog::builtin());
    assert!(
        !diagnostics.iter().any(|d| d.code == Code::YamlSyntax),
        "the imported file is not YAML hagen reads: {diagnostics:?}"
    );
});
