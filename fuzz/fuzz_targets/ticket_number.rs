#![no_main]
//! libFuzzer target: see `helpdesk-core/tests/fuzzing/mod.rs`, `fuzzing::ticket_number`.

#[allow(dead_code)]
#[path = "../../helpdesk-core/tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzzing::ticket_number(data);
});
