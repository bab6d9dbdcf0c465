//! The top-level modules depend on each other in one direction only, in
//! the order `src/lib.rs` gives: a module may use those before it, never
//! one after it. Doc comments may name any module.

use std::path::Path;

/// The order of `src/lib.rs`'s module doc.
const ORDER: &[&str] = &[
    "error", "http", "html", "load", "model", "media", "links", "render", "lint", "output", "pdf",
    "build", "publish", "serve", "scaffold",
];

/// The top-level modules `file`'s code (not its comments) uses.
fn uses(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut found = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("crate::") {
            let name: String = line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

#[test]
fn modules_depend_only_on_earlier_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs");
        let Some(rank) = ORDER.iter().position(|m| *m == top) else {
            continue; // lib.rs, main.rs and the CLI sit above every module
        };
        for used in uses(entry.path()) {
            if let Some(used_rank) = ORDER.iter().position(|m| *m == used)
                && used_rank > rank
            {
                wrong.push(format!("{} uses crate::{used}", rel.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_order_is_the_one_lib_rs_documents() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let documented: Vec<&str> = lib
        .lines()
        .filter(|l| l.starts_with("//! [`") && l.contains('→'))
        .flat_map(|l| l.split('→'))
        .filter_map(|part| part.split('`').nth(1))
        .collect();
    assert_eq!(documented, ORDER);
}
