#![no_main]
//! libFuzzer target: see `helpdesk-core/tests/fuzzing/mod.rs`, `fuzzing::search_query`.

#[allow(dead_code)]
#[path = "../../helpdesk-core/tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzzing::search_query(data);
});
