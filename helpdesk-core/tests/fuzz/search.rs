//! Bounded fuzzing of `search_query` on the stable toolchain (issue 10): every corpus entry of
//! `fuzz/corpus/search_query/` (the regressions), then corpus entries with random edits and random
//! bytes for `HELPDESK_FUZZ_SECONDS` (default 4 s). The same target runs under libFuzzer
//! with `cargo fuzz run search_query` in `fuzz/`.

use crate::fuzzing;

#[test]
fn search_query_corpus_replays_cleanly() {
    for entry in fuzzing::corpus("search_query") {
        fuzzing::search_query(&entry);
    }
}

#[test]
fn search_query_survives_mutated_and_random_input() {
    let cases = fuzzing::run_for(fuzzing::mutated(fuzzing::corpus("search_query")), |bytes| {
        fuzzing::search_query(&bytes);
        Ok(())
    });
    eprintln!("search_query: {cases} cases");
}
