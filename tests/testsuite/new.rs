//! `nianbao new`: a starter report that builds, passes `check --strict` and
//! publishes as it is, in any languages.

use std::path::Path;

use crate::common::{nianbao, stderr_of, text_of};

/// Runs `nianbao new` in a fresh folder and returns it with the report's path.
fn scaffold(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["new", "report", "--year", "2026"];
    all.extend_from_slice(args);
    let out = nianbao(dir.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report = dir.path().join("report");
    (dir, report)
}

fn passes_check_strict(root: &Path) {
    let out = nianbao(root, &["check", "--strict"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("check passed: 0 errors, 0 warning(s)"),
        "{err}"
    );
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_default_bilingual_report_builds_and_passes_check_strict() {
    let (_dir, root) = scaffold(&[]);
    passes_check_strict(&root);
    let out = nianbao(&root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("built 6 pages"),
        "{}",
        stderr_of(&out)
    );
    for path in [
        "index.html",
        "our-year/index.html",
        "en/index.html",
        "en/our-year/index.html",
        "charts/spending.zh.svg",
    ] {
        assert!(root.join("output").join(path).is_file(), "{path}");
    }
    let zh = text_of(&read(&root, "output/our-year/index.html"));
    for expected in [
        "1256万元",
        "比上年增长12.4%",
        "3000余人",
        "4.82万人",
        "后面是各个小节。每节",
    ] {
        assert!(zh.contains(expected), "zh lacks {expected}");
    }
    let en = text_of(&read(&root, "output/en/our-year/index.html"));
    for expected in [
        "CNY 12.56 million",
        "over 3,000 people",
        "48,200 people",
        "1,250 people",
    ] {
        assert!(en.contains(expected), "en lacks {expected}");
    }
    let report = read(&root, "content/report.yaml");
    assert!(report.contains("languages: [zh, en]") && report.contains("year: 2026"));
    assert!(
        report.contains("# domain: report.example.org"),
        "domain is explained"
    );
    assert!(read(&root, "README.md").contains("nianbao publish"));
    let ignored = read(&root, ".gitignore");
    for line in ["/output/", "/.nianbao-cache/"] {
        assert!(ignored.lines().any(|l| l == line), "{line} in {ignored}");
    }
}

#[test]
fn an_english_only_report_passes_check_strict() {
    let (_dir, root) = scaffold(&["--languages", "en", "--title", "Oasis Foundation 2026"]);
    passes_check_strict(&root);
    assert!(!root.join("content/_index.zh.md").exists());
    assert!(read(&root, "content/report.yaml").contains("en: \"Oasis Foundation 2026\""));
}

#[test]
fn a_language_without_texts_gets_english_placeholders_and_passes_check_strict() {
    let (_dir, root) = scaffold(&["--languages", "zh,en,it", "--title", "it=Rapporto annuale"]);
    passes_check_strict(&root);
    let it = read(&root, "content/01-our-year/01-funds.it.md");
    assert!(it.contains("TODO(it): translate"), "{it}");
    assert!(read(&root, "content/report.yaml").contains("it: \"Rapporto annuale\""));
    let ui = read(&root, "themes/default/i18n/it.yaml");
    assert!(ui.contains("language_name: \"Italiano\""), "{ui}");
    assert!(read(&root, "README.md").contains("TODO(it)"));
    assert_eq!(nianbao(&root, &["build"]).status.code(), Some(0));
    let home = read(&root, "output/it/index.html");
    assert!(home.contains("lang=\"it\""));
    assert!(
        home.contains(">Italiano<"),
        "the switcher names the language"
    );
}

#[test]
fn a_language_of_the_default_theme_needs_no_ui_file() {
    let (_dir, root) = scaffold(&[
        "--languages",
        "en,fr,de,es,ja",
        "--title",
        "fr=Rapport annuel",
        "--title",
        "de=Jahresbericht",
        "--title",
        "es=Informe anual",
        "--title",
        "ja=年次報告書",
    ]);
    passes_check_strict(&root);
    for lang in ["fr", "de", "es", "ja"] {
        let ui = root.join(format!("themes/default/i18n/{lang}.yaml"));
        assert!(!ui.exists(), "{lang}: no UI file to translate");
    }
    assert_eq!(nianbao(&root, &["build"]).status.code(), Some(0));
    for (lang, name, skip) in [
        ("fr", "Français", "Aller au contenu"),
        ("de", "Deutsch", "Zum Inhalt springen"),
    ] {
        let home = read(&root, &format!("output/{lang}/index.html"));
        assert!(
            home.contains(&format!(">{name}<")),
            "the switcher names {lang}"
        );
        assert!(home.contains(skip), "{lang} UI labels: {home}");
    }
}

#[test]
fn a_new_report_publishes_under_a_sub_path() {
    let (dir, root) = scaffold(&[]);
    let public = dir.path().join("public");
    let out = nianbao(
        &root,
        &[
            "publish",
            "--to",
            public.to_str().unwrap(),
            "--base-url",
            "https://example.org/report/2026/",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(public.join("en/our-year/index.html").is_file());
}

#[test]
fn refuses_a_folder_that_is_not_empty_and_bad_languages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/notes.txt"), "mine").unwrap();
    let out = nianbao(dir.path(), &["new", "taken"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("not empty"), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_dir(dir.path().join("taken")).unwrap().count(),
        1
    );

    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert_eq!(
        nianbao(dir.path(), &["new", "empty"]).status.code(),
        Some(0)
    );

    for languages in ["zh,EN", "en,en", "english"] {
        let out = nianbao(dir.path(), &["new", "x", "--languages", languages]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{languages}: {}",
            stderr_of(&out)
        );
    }
    assert!(!dir.path().join("x").exists());
    assert_eq!(nianbao(dir.path(), &["new"]).status.code(), Some(2));
}
