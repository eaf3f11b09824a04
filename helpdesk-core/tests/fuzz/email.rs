//! Bounded fuzzing of `ingest_email` on the stable toolchain (issue 10): every corpus entry of
//! `fuzz/corpus/ingest_email/` (the regressions), then corpus entries with random edits and random
//! bytes for `HELPDESK_FUZZ_SECONDS` (default 4 s). The same target runs under libFuzzer
//! with `cargo fuzz run ingest_email` in `fuzz/`.

use crate::fuzzing;

#[test]
fn ingest_email_corpus_replays_cleanly() {
    for entry in fuzzing::corpus("ingest_email") {
        fuzzing::ingest_email(&entry);
    }
}

#[test]
fn ingest_email_survives_mutated_and_random_input() {
    let cases = fuzzing::run_for(fuzzing::mutated(fuzzing::corpus("ingest_email")), |bytes| {
        fuzzing::ingest_email(&bytes);
        Ok(())
    });
    eprintln!("ingest_email: {cases} cases");
}
