//! Any bytes through the whole of hagen but the file system: decoded as `hagen check` decodes
//! a file, parsed, decoded, checked against the built-in catalog, and, when clean, planned and
//! emitted. A panic anywhere is a crash; so is a clean file whose plan emits no runbook.

#![no_main]

use hagen::catalog::Catalog;
use hagen::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = hagen::input::decode(bytes) else { return };
    let file = SourceFile::new("fuzz.yaml", text);
    let (diagnostics, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
    for d in &diagnostics {
        // Every span lies inside the file and on character boundaries.
        assert!(d.span.end <= file.text.len() && d.span.start <= d.span.end);
        assert!(file.text.is_char_boundary(d.span.start) && file.text.is_char_boundary(d.span.end));
    }
    if let Some(plan) = plan {
        let files = hagen::emit::package(&plan);
        assert!(files.iter().any(|(path, _)| path == "runbook.md"));
    }
});
