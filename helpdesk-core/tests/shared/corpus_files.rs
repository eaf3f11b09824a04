//! Reads the shared corpus of real-world mail from disk for the tests of every crate that
//! takes it in (included with `#[path]`: core itself holds no I/O, and the files are never
//! copied into the repository).

use helpdesk_core::testkit::mail_corpus::{corpus_dir, is_message};

/// Every message of the shared corpus, by path below the corpus folder, sorted.
pub fn corpus(manifest_dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = corpus_dir(manifest_dir);
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("the shared mail corpus at {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if is_message(&rel) {
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}
