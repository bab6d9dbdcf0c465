//! The command line: exit codes 0/1/2, messages with file:line:col, and
//! refusing to overwrite folders nianbao did not create.

use crate::common::{Site, snapshot_dir};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn build_succeeds_with_exit_0() {
    let site = Site::fixture("bilingual");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("built 8 pages"), "{}", stderr(&out));
    assert!(site.output().join("index.html").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::fixture("bilingual");
    assert_eq!(
        site.run(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(site.run(&["frobnicate"]).status.code(), Some(2));
    let help = site.run(&["build", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--base-url"));
}

#[test]
fn content_errors_exit_1_name_file_line_column_and_keep_output() {
    let site = Site::fixture("bilingual");
    assert_eq!(site.run(&["build"]).status.code(), Some(0));
    let before = snapshot_dir(&site.output());
    site.write(
        "content/01-relief/01-floods.zh.md",
        "---\ntitle: 洪灾\n---\n募集{{ metric:fund_raised }}。\n",
    );
    site.write(
        "content/02-outreach/metrics.yaml",
        "metrics:\n  - id: volunteers\n    label: V\n    value: many\n    unit: cny\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: unknown metric `fund_raised`"), "{err}");
    assert!(
        err.contains("┌─ content/01-relief/01-floods.zh.md:4:3"),
        "{err}"
    );
    // The source line, and a caret under the whole reference.
    assert!(err.contains("4 │ 募集{{ metric:fund_raised }}。"), "{err}");
    assert!(
        err.contains(&format!("  │     {}\n", "^".repeat(24))),
        "{err}"
    );
    assert!(err.contains("did you mean `funds_raised`?"), "{err}");
    assert!(
        err.contains("content/02-outreach/metrics.yaml:4:12"),
        "all errors reported together: {err}"
    );
    assert!(err.contains("previous output was left untouched"));
    assert_eq!(before, snapshot_dir(&site.output()));
}

#[test]
fn check_writes_nothing_and_strict_fails_on_warnings() {
    let site = Site::fixture("trilingual");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning:"));
    assert!(!site.output().exists(), "check must not write");
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("error: content/01-health/01-clinics.zh.md"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn root_flag_builds_another_folder() {
    let site = Site::fixture("english-only");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.output().join("programs/index.html").is_file());
}

#[test]
fn missing_report_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/report.yaml: file not found"),
        "{}",
        stderr(&out)
    );
}
