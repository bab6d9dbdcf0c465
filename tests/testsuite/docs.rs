//! What the README and the starter report promise, against what the
//! commands do: every flag is documented, `new` writes last year's report
//! and points at `nianbao serve`.

use std::path::Path;

use crate::common::{nianbao, stderr_of, text_of};

const COMMANDS: &[&str] = &["build", "check", "serve", "publish", "new", "add-year"];

/// The `--flags` that `nianbao COMMAND --help` lists.
fn flags_of(command: &str) -> Vec<String> {
    let out = nianbao(Path::new("."), &[command, "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let flag = line.trim_start().trim_start_matches("-h, ");
            let flag = flag.strip_prefix("--")?.split([' ', '<']).next()?;
            Some(format!("--{flag}"))
        })
        .filter(|flag| flag != "--help")
        .collect()
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// True when `text` has `flag` as a whole word (`--to`, not `--total`).
fn mentions(text: &str, flag: &str) -> bool {
    text.match_indices(flag).any(|(at, _)| {
        let next = text[at + flag.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[test]
fn the_readme_names_every_flag_of_every_command() {
    let readme = readme();
    for command in COMMANDS {
        let flags = flags_of(command);
        assert!(!flags.is_empty(), "{command} --help lists no flag");
        for flag in flags {
            assert!(
                mentions(&readme, &flag),
                "README.md does not mention `{command} {flag}`"
            );
        }
    }
}

#[test]
fn publish_has_no_output_flag_and_the_readme_does_not_claim_one() {
    assert!(!flags_of("publish").contains(&"--output".to_string()));
    let readme = readme();
    let output_sentence = readme
        .split("\n\n")
        .find(|p| p.contains("--output DIR"))
        .unwrap();
    assert!(
        output_sentence.contains("`build`, `check` and `serve` also take `--output DIR`"),
        "{output_sentence}"
    );
}

/// The year before the current one, by the system's `date`.
fn last_year() -> i32 {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y"])
        .output()
        .unwrap();
    let year: i32 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    year - 1
}

#[test]
fn new_writes_last_years_report_and_suggests_serve() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "report"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("nianbao serve"),
        "{}",
        stderr_of(&out)
    );
    let root = dir.path().join("report");
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let year = last_year();
    assert!(
        read("content/report.yaml").contains(&format!("\nyear: {year}\n")),
        "not {year}"
    );
    let readme = read("README.md");
    assert!(readme.starts_with(&format!("# Annual report {year}\n")));
    assert!(readme.contains("nianbao serve"), "{readme}");
    assert!(!readme.contains("http.server"), "{readme}");
}

#[test]
fn the_starter_report_quotes_last_years_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "report", "--year", "2026"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let root = dir.path().join("report");
    let out = nianbao(&root, &["build", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let page = |path: &str| text_of(&std::fs::read_to_string(root.join(path)).unwrap());
    assert!(page("output/our-year/index.html").contains("上年为1117.4万元。"));
    assert!(
        page("output/en/our-year/index.html")
            .contains("on the CNY 11.174 million of the year before")
    );
}
