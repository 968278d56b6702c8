//! Any bytes through `hagen lint-scripts` but the file system: the bytes read as a start.bat
//! and, split at the first NUL, the rest as the stop.bat of the same folder, decoded (CP932,
//! UTF-8, BOM), parsed, their control flow built and followed, every rule run against the
//! built-in catalog. A panic anywhere is a crash; so is a diagnostic whose span is not inside
//! its file on character boundaries.

#![no_main]

use std::path::PathBuf;

use hagen::catalog::Catalog;
use hagen::lint::{ScriptInput, lint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (start, stop) = match bytes.iter().position(|&b| b == 0) {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    let mut inputs = vec![ScriptInput {
        path: PathBuf::from("g/start.bat"),
        bytes: start.to_vec(),
    }];
    if let Some(stop) = stop {
        inputs.push(ScriptInput {
            path: PathBuf::from("g/stop.bat"),
            bytes: stop.to_vec(),
        });
    }
    for (file, diagnostics) in lint(&inputs, Catalog::builtin()) {
        for d in &diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= file.text.len());
            assert!(file.text.is_char_boundary(d.span.start) && file.text.is_char_boundary(d.span.end));
            for r in &d.related {
                assert!(r.span.end <= file.text.len());
                assert!(file.text.is_char_boundary(r.span.start) && file.text.is_char_boundary(r.span.end));
            }
        }
    }
});
