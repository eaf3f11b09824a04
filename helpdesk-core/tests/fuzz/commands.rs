//! Bounded fuzzing of `commands` on the stable toolchain (issue 10): every corpus entry of
//! `fuzz/corpus/commands/` (the regressions), then corpus entries with random edits and random
//! bytes for `HELPDESK_FUZZ_SECONDS` (default 4 s). The same target runs under libFuzzer
//! with `cargo fuzz run commands` in `fuzz/`.

use crate::fuzzing;

#[test]
fn commands_corpus_replays_cleanly() {
    for entry in fuzzing::corpus("commands") {
        fuzzing::commands(&entry);
    }
}

#[test]
fn commands_survives_mutated_and_random_input() {
    let cases = fuzzing::run_for(fuzzing::mutated(fuzzing::corpus("commands")), |bytes| {
        fuzzing::commands(&bytes);
        Ok(())
    });
    eprintln!("commands: {cases} cases");
}
