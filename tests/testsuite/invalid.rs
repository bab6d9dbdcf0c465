//! The bad-input corpus: every folder of `tests/fixtures/invalid/` holds
//! files laid over the `bilingual` fixture that make one mistake an author
//! can make. For each: `build` exits 1 without a panic and leaves the
//! previous output byte-identical, and `check` explains the mistake; its
//! message is a snapshot in
//! `snapshots/testsuite__invalid__each_mistake@<case>.snap`.

use std::path::{Path, PathBuf};

use crate::common::{Site, copy_dir, snapshot_dir, stderr_of};

/// A case folder may hold `HUGE`, naming a file the test fills with more
/// than the size limit (too big to keep in the repository).
const HUGE_MARKER: &str = "HUGE";
const HUGE_BYTES: usize = 17 * 1024 * 1024;

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The base site (a fixture), built once, copied with its output for each case.
fn built_base(fixture: &str) -> Site {
    let base = Site::fixture(fixture);
    let out = base.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    base
}

fn apply(case: &Path, root: &Path) {
    copy_dir(case, root);
    let marker = root.join(HUGE_MARKER);
    if let Ok(target) = std::fs::read_to_string(&marker) {
        std::fs::remove_file(&marker).unwrap();
        let mut text = String::from("---\ntitle: Huge\n---\n");
        text.push_str(&"a".repeat(HUGE_BYTES));
        std::fs::write(root.join(target.trim()), text).unwrap();
    }
}

#[test]
fn the_corpus_covers_at_least_25_mistakes() {
    assert!(cases().len() >= 25, "{} cases", cases().len());
}

/// Each case on its own (insta's `glob!` reports every failing case, not
/// just the first): `build` exits 1 without a panic and leaves the previous
/// output byte-identical, and `check` explains the mistake as in the
/// snapshot `snapshots/testsuite__invalid__each_mistake@<case>.snap`.
#[test]
fn each_mistake() {
    let base = built_base("bilingual");
    insta::glob!("../fixtures", "invalid/*", |case| {
        insta::assert_snapshot!(mistake(&base, case));
    });
}

/// The same for a report series: `tests/fixtures/invalid-series/` holds
/// mistakes laid over the `series` fixture (snapshots
/// `testsuite__invalid__each_series_mistake@<case>.snap`).
#[test]
fn each_series_mistake() {
    let base = built_base("series");
    insta::glob!("../fixtures", "invalid-series/*", |case| {
        insta::assert_snapshot!(mistake(&base, case));
    });
}

/// Lays `case` over a copy of `base` (built): `build` exits 1 without a
/// panic and leaves the previous output byte-identical; returns what
/// `check` says (which exits 1 too).
fn mistake(base: &Site, case: &Path) -> String {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let site = tempfile::tempdir().unwrap();
    copy_dir(base.root(), site.path());
    apply(case, site.path());
    let output = site.path().join("output");
    let before = snapshot_dir(&output);
    let build = crate::common::nianbao(site.path(), &["build"]);
    let err = stderr_of(&build);
    assert_eq!(build.status.code(), Some(1), "{name}: build:\n{err}");
    assert!(!err.contains("panicked"), "{name}:\n{err}");
    assert!(
        before == snapshot_dir(&output),
        "{name}: the previous output changed"
    );
    let check = crate::common::nianbao(site.path(), &["check"]);
    let err = stderr_of(&check);
    assert_eq!(check.status.code(), Some(1), "{name}: check:\n{err}");
    err
}
