//! Micro-benchmarks of the hot path, in one process (`cargo bench`): parsing the 1,000-group
//! file of `bench/run`'s workload into the spanned tree, checking it (parse, decode, resolve,
//! every rule), and checking, planning and rendering its package in memory (no file is
//! written).
//!
//! `bench/run` times whole commands against the peers and judges SPEC section 7; these time
//! the library's stages alone, without process start, reading or the disk, so that a change
//! to one stage can be measured on its own. The workload is generated (seeded) under
//! `target/bench-data` by `bench/generate.py` when it is not there yet.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use hagen::catalog::Catalog;
use hagen::source::SourceFile;

/// The allocator `hagen` itself uses (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The 1,000-group cluster file, generated on first use.
fn workload() -> SourceFile {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let data = target.join("bench-data");
    let path = data.join("1000").join("cluster.yaml");
    if !path.exists() {
        let status = Command::new("python3")
            .arg(root.join("bench/generate.py"))
            .arg("--out")
            .arg(&data)
            .arg("1000")
            .status()
            .expect("python3 runs bench/generate.py");
        assert!(status.success(), "bench/generate.py failed");
    }
    let text = std::fs::read_to_string(&path).expect("the workload is readable");
    SourceFile::new("cluster.yaml", text)
}

fn hot_path(c: &mut Criterion) {
    let file = workload();
    let catalog = Catalog::builtin();
    // Each stage must do its real work on this input: a clean check and a full package.
    let (diagnostics, plan) = hagen::pipeline::check_and_plan(&file, catalog, true);
    assert!(diagnostics.is_empty(), "the workload checks clean");
    let plan = plan.expect("a clean file has a plan");
    assert_eq!(hagen::emit::package(&plan).len(), 2007, "the package of 1,000 groups");

    let mut group = c.benchmark_group("1000-group file");
    group.sample_size(20);
    group.bench_function("parse", |b| b.iter(|| hagen::yaml::parse(&file).expect("parses")));
    group.bench_function("check", |b| b.iter(|| hagen::pipeline::check_file(&file, catalog)));
    group.bench_function("check, plan and render", |b| {
        b.iter(|| {
            let (_, plan) = hagen::pipeline::check_and_plan(&file, catalog, true);
            hagen::emit::package(&plan.expect("plans"))
        })
    });
    group.finish();
}

criterion_group!(benches, hot_path);
criterion_main!(benches);
