//! Bounded fuzzing on the stable toolchain (issue 10), one module per target: every corpus
//! entry of `fuzz/corpus/<target>/` (the regressions), then corpus entries with random edits
//! and random bytes for `HELPDESK_FUZZ_SECONDS` each (default 4 s). The same targets run under
//! libFuzzer with `cargo fuzz run TARGET` in `fuzz/`.
//!
//! The targets share one test binary so that they run side by side on the test threads,
//! rather than one binary after another.

#[path = "../fuzzing/mod.rs"]
mod fuzzing;

mod commands;
mod email;
mod search;
mod ticket_number;
