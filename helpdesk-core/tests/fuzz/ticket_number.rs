//! Bounded fuzzing of `ticket_number` on the stable toolchain (issue 10): every corpus entry of
//! `fuzz/corpus/ticket_number/` (the regressions), then corpus entries with random edits and random
//! bytes for `HELPDESK_FUZZ_SECONDS` (default 4 s). The same target runs under libFuzzer
//! with `cargo fuzz run ticket_number` in `fuzz/`.

use crate::fuzzing;

#[test]
fn ticket_number_corpus_replays_cleanly() {
    for entry in fuzzing::corpus("ticket_number") {
        fuzzing::ticket_number(&entry);
    }
}

#[test]
fn ticket_number_survives_mutated_and_random_input() {
    let cases = fuzzing::run_for(
        fuzzing::mutated(fuzzing::corpus("ticket_number")),
        |bytes| {
            fuzzing::ticket_number(&bytes);
            Ok(())
        },
    );
    eprintln!("ticket_number: {cases} cases");
}
