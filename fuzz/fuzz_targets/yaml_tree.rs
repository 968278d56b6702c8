//! hagen's YAML tree against serde-saphyr's deserialization of the same bytes: the same tree,
//! or both refuse (`hagen::yaml::oracle::compare`). Built with the `oracle` feature.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Err(difference) = hagen::yaml::oracle::compare(text) {
        panic!("{difference}\n{text:?}");
    }
});
