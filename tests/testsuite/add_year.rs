//! `nianbao add-year`: the next year of a series from its latest one, a
//! single-year `content/` made a series (and nothing changed without
//! `--convert`), an interrupted conversion finished, and `new --series`.

use std::path::{Path, PathBuf};

use crate::common::{copy_dir, nianbao, snapshot_dir, stderr_of, text_of};

const SERIES_YAML: &str = "\
languages: [zh, en]
title: { zh: \"绿洲基金会年度报告\", en: \"Oasis Foundation annual reports\" }
organization: { zh: \"绿洲基金会\", en: \"Oasis Foundation\" }
base_url: \"/\"
theme: default
trends: [funds_raised, volunteers]
";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bilingual/content")
}

/// A series with one year, 2021: the bilingual fixture (whose year is 2021).
fn series() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), &dir.path().join("content/2021"));
    std::fs::write(dir.path().join("content/series.yaml"), SERIES_YAML).unwrap();
    dir
}

/// The bilingual fixture as it is: a single-year `content/`.
fn single_year() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), &dir.path().join("content"));
    dir
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every path below `dir`, folders included, for "nothing changed".
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    paths.sort();
    paths
}

/// The relative paths of the files below `dir`.
fn files_of(dir: &Path) -> Vec<PathBuf> {
    snapshot_dir(dir).into_iter().map(|(p, _)| p).collect()
}

#[test]
fn the_next_year_keeps_chapters_and_text_and_empties_every_value() {
    let dir = series();
    let root = dir.path();
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("created content/2022/ from 2021: 16 files, 10 metric value(s) emptied"),
        "{err}"
    );
    let (old, new) = (root.join("content/2021"), root.join("content/2022"));
    assert_eq!(files_of(&old), files_of(&new));
    for (path, bytes) in snapshot_dir(&old) {
        let name = path.file_name().unwrap().to_string_lossy();
        if name.ends_with(".md") || path.starts_with("assets") {
            let copied = std::fs::read(new.join(&path)).unwrap();
            assert_eq!(copied, bytes, "{} changed", path.display());
        }
    }
    let metrics = read(root, "content/2022/01-relief/metrics.yaml");
    assert!(
        metrics.contains("\n    value:  # 2021: 253620000\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("\n    value:  # 2021: 8959000\n"),
        "{metrics}"
    );
    assert!(!metrics.contains("change:"), "{metrics}");
    assert!(!metrics.contains("value: 2"), "{metrics}");
    assert!(
        metrics.contains("    series: [relief_cash, hospital_cash]\n"),
        "{metrics}"
    );
    let outreach = read(root, "content/2022/02-outreach/metrics.yaml");
    assert!(
        outreach.contains("    value:  # 2021: 1500000\n"),
        "{outreach}"
    );
    let data: serde_yaml::Value = serde_yaml::from_str(&metrics).unwrap();
    for metric in data["metrics"].as_sequence().unwrap() {
        assert!(metric["value"].is_null(), "{metric:?}");
        assert!(metric.get("id").is_some());
    }
    let report = read(root, "content/2022/report.yaml");
    assert!(report.contains("\nyear: 2022\n"), "{report}");
    assert!(report.contains("\"A review of 2022\""), "{report}");
    assert!(report.contains("\"2022年工作回顾\""), "{report}");
    assert!(!report.contains("2021"), "{report}");
    assert_eq!(
        read(root, "content/2021/report.yaml"),
        read(&fixture(), "report.yaml"),
        "last year is untouched"
    );
    // No temporary folder is left beside the years.
    let names: Vec<_> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn previous_lines_go_and_flow_style_metrics_are_rewritten_and_said_so() {
    let dir = series();
    let root = dir.path();
    let metrics = root.join("content/2021/02-outreach/metrics.yaml");
    std::fs::write(
        &metrics,
        "# comment\nmetrics:\n  - { id: volunteers, label: { zh: 志愿者, en: Volunteers }, value: 10000, unit: cny, previous: 9000 }\n",
    )
    .unwrap();
    let chapter = root.join("content/2021/01-relief/metrics.yaml");
    let text = read(root, "content/2021/01-relief/metrics.yaml").replace(
        "    value: 3000\n",
        "    value: 3000\n    previous: 2000   # 2020\n",
    );
    std::fs::write(&chapter, text).unwrap();
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("content/2022/02-outreach/metrics.yaml was written again from its data"),
        "{err}"
    );
    let relief = read(root, "content/2022/01-relief/metrics.yaml");
    assert!(!relief.contains("previous"), "{relief}");
    assert!(
        relief.contains("    value:  # 2021: 3000\n    unit:"),
        "{relief}"
    );
    let outreach = read(root, "content/2022/02-outreach/metrics.yaml");
    let data: serde_yaml::Value = serde_yaml::from_str(&outreach).unwrap();
    assert!(data["metrics"][0]["value"].is_null(), "{outreach}");
    assert!(data["metrics"][0].get("previous").is_none(), "{outreach}");
    assert_eq!(data["metrics"][0]["id"].as_str(), Some("volunteers"));
}

#[test]
fn an_existing_year_is_refused_and_nothing_changes() {
    let dir = series();
    let root = dir.path();
    assert_eq!(nianbao(root, &["add-year", "2022"]).status.code(), Some(0));
    let before = snapshot_dir(root);
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("2022 exists already"), "{err}");
    let out = nianbao(root, &["add-year", "2021"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(snapshot_dir(root), before);
}

#[test]
fn a_year_that_is_not_a_year_or_is_before_the_latest_is_a_usage_error() {
    let dir = series();
    let root = dir.path();
    let before = snapshot_dir(root);
    for (arg, says) in [
        ("22", "`22` is not a year"),
        ("next", "`next` is not a year"),
        ("20222", "`20222` is not a year"),
        ("2019", "2019 is before 2021, the latest year"),
    ] {
        let out = nianbao(root, &["add-year", arg]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{arg}: {err}");
        assert!(err.contains(says), "{arg}: {err}");
    }
    assert_eq!(snapshot_dir(root), before);
}

#[test]
fn a_folder_without_a_report_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let out = nianbao(dir.path(), &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no report here"), "{err}");
}

#[test]
fn a_symlink_out_of_the_report_is_not_copied() {
    let dir = series();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("content/2021/assets/secret.txt"),
    )
    .unwrap();
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("outside the report folder"), "{err}");
    assert!(!root.join("content/2022").exists());
}

#[test]
fn a_leftover_of_an_interrupted_add_year_is_removed() {
    let dir = series();
    let root = dir.path();
    let temp = root.join("content/.2022.nianbao-tmp");
    std::fs::create_dir_all(temp.join("01-relief")).unwrap();
    std::fs::write(temp.join("01-relief/half.md"), "half").unwrap();
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("removed the leftover of an interrupted add-year"),
        "{err}"
    );
    assert!(!temp.exists());
    assert!(!root.join("content/2022/01-relief/half.md").exists());
}

#[test]
fn a_single_year_root_without_convert_says_what_would_move_and_changes_nothing() {
    let dir = single_year();
    let root = dir.path();
    let (paths, bytes) = (listing(root), snapshot_dir(root));
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in [
        "content/ holds a single-year report (2021), not a series",
        "  move content/01-relief -> content/2021/01-relief\n",
        "  move content/report.yaml -> content/2021/report.yaml\n",
        "  move content/assets -> content/2021/assets\n",
        "  write content/series.yaml with languages, title, organization, base_url, theme, trends (languages, organization, base_url moved out of report.yaml)\n",
        "  create content/2022/ from content/2021/\n",
        "nothing was changed; run it again with --convert",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert_eq!(listing(root), paths);
    assert_eq!(snapshot_dir(root), bytes);
}

#[test]
fn convert_makes_a_series_and_adds_the_year() {
    let dir = single_year();
    let root = dir.path();
    let out = nianbao(root, &["add-year", "2022", "--convert"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("converted content/ into a series: moved 6 entries into content/2021/, wrote content/series.yaml"),
        "{err}"
    );
    let mut top: Vec<_> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["2021", "2022", "series.yaml"]);
    // Everything but report.yaml moved as it was.
    let moved: Vec<_> = snapshot_dir(&root.join("content/2021"))
        .into_iter()
        .filter(|(p, _)| p != Path::new("report.yaml"))
        .collect();
    let original: Vec<_> = snapshot_dir(&fixture())
        .into_iter()
        .filter(|(p, _)| p != Path::new("report.yaml"))
        .collect();
    assert_eq!(moved, original);
    let series: serde_yaml::Value =
        serde_yaml::from_str(&read(root, "content/series.yaml")).unwrap();
    assert_eq!(series["languages"][0].as_str(), Some("zh"));
    assert_eq!(
        series["title"]["en"].as_str(),
        Some("Oasis Foundation Annual Report")
    );
    assert_eq!(series["organization"]["zh"].as_str(), Some("绿洲基金会"));
    assert_eq!(series["base_url"].as_str(), Some("/"));
    assert_eq!(series["theme"].as_str(), Some("default"));
    assert_eq!(series["trends"][0].as_str(), Some("funds_raised"));
    let year: serde_yaml::Value =
        serde_yaml::from_str(&read(root, "content/2021/report.yaml")).unwrap();
    assert_eq!(year["year"].as_u64(), Some(2021));
    assert!(year.get("languages").is_none(), "the years inherit them");
    assert!(year.get("organization").is_none());
    assert!(year["title"]["zh"].as_str().is_some());
    assert!(
        read(root, "content/2022/report.yaml")
            .lines()
            .any(|l| l == "year: 2022")
    );
    assert!(
        read(root, "content/2022/01-relief/metrics.yaml").contains("value:  # 2021: 253620000")
    );
    // The converted year reads as the report did, now at /2021/.
    std::fs::remove_dir_all(root.join("content/2022")).unwrap();
    let build = nianbao(root, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr_of(&build));
    let single = single_year();
    let built = nianbao(single.path(), &["build"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    for (before, after) in [
        ("relief/index.html", "2021/relief/index.html"),
        ("en/outreach/index.html", "en/2021/outreach/index.html"),
    ] {
        let main = |html: String| {
            text_of(&html[html.find("<main").unwrap()..html.find("</main>").unwrap()])
        };
        let old = main(read(single.path(), &format!("output/{before}")));
        let new = main(read(root, &format!("output/{after}")));
        assert_eq!(old, new, "{after}");
    }
}

#[test]
fn convert_refuses_a_year_that_is_not_plain() {
    let dir = single_year();
    let root = dir.path();
    let report = read(root, "content/report.yaml").replace("year: 2021", "year: \"2020–2021\"");
    std::fs::write(root.join("content/report.yaml"), report).unwrap();
    let before = snapshot_dir(root);
    let out = nianbao(root, &["add-year", "2022", "--convert"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is not a plain year"), "{err}");
    assert_eq!(snapshot_dir(root), before);
}

#[test]
fn an_interrupted_conversion_is_finished_by_the_next_run() {
    let dir = single_year();
    let root = dir.path();
    let content = root.join("content");
    let report_2021 =
        "year: 2021\ntitle: { zh: \"绿洲\", en: \"Oasis\" }\nhighlights: [funds_raised]\n";
    let series_yaml = "languages: [zh, en]\ntitle: { zh: \"绿洲\", en: \"Oasis\" }\nbase_url: \"/\"\ntheme: default\ntrends: [funds_raised]\n";
    let journal = serde_json::json!({
        "year": "2021",
        "moves": ["01-relief", "02-outreach", "_index.en.md", "_index.zh.md", "assets", "report.yaml"],
        "report_yaml": report_2021,
        "series_yaml": series_yaml,
        "rewritten": [],
        "series_keys": ["languages", "title", "base_url", "theme", "trends"],
        "moved_keys": ["languages"],
    });
    std::fs::write(content.join(".nianbao-convert.json"), journal.to_string()).unwrap();
    // Stopped after three of the six moves.
    std::fs::create_dir_all(content.join("2021")).unwrap();
    for name in ["01-relief", "02-outreach", "_index.en.md"] {
        std::fs::rename(content.join(name), content.join("2021").join(name)).unwrap();
    }
    // Without --convert too: the journal says a conversion was asked for.
    let out = nianbao(root, &["add-year", "2022"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("finished an interrupted conversion: moved 3 entries into content/2021/"),
        "{err}"
    );
    assert!(!content.join(".nianbao-convert.json").exists());
    assert_eq!(read(root, "content/series.yaml"), series_yaml);
    assert_eq!(read(root, "content/2021/report.yaml"), report_2021);
    let original: Vec<_> = files_of(&fixture());
    assert_eq!(files_of(&content.join("2021")), original, "nothing lost");
    assert_eq!(files_of(&content.join("2022")), original);
}

#[test]
fn new_series_starts_a_series_with_one_year() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "report", "--series", "--year", "2024"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("a report series"), "{err}");
    let root = dir.path().join("report");
    let series: serde_yaml::Value =
        serde_yaml::from_str(&read(&root, "content/series.yaml")).unwrap();
    assert_eq!(series["languages"][1].as_str(), Some("en"));
    assert_eq!(series["title"]["en"].as_str(), Some("Annual Report"));
    assert_eq!(series["trends"][0].as_str(), Some("funds_raised"));
    let report = read(&root, "content/2024/report.yaml");
    assert!(report.contains("\nyear: 2024\n"), "{report}");
    assert!(!report.contains("\nlanguages:"), "{report}");
    assert!(root.join("content/2024/01-our-year/metrics.yaml").exists());
    assert!(root.join("content/2024/_index.zh.md").exists());
    assert!(!root.join("content/report.yaml").exists());
    assert!(read(&root, "README.md").contains("nianbao add-year 2025"));
    // It builds as it is, warnings and all.
    let check = nianbao(&root, &["check", "--strict"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr_of(&check));
    // The next year follows.
    let out = nianbao(&root, &["add-year", "2025"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let metrics = read(&root, "content/2025/01-our-year/metrics.yaml");
    assert!(
        metrics.contains("    value:  # 2024: 12560000\n"),
        "{metrics}"
    );
    assert!(!metrics.contains("previous:"), "{metrics}");
    // Until its values are filled in, the build lists each, and stops.
    let build = nianbao(&root, &["build"]);
    assert_eq!(build.status.code(), Some(1));
    assert!(stderr_of(&build).contains("has no value yet"));
}

#[test]
fn new_without_series_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "report", "--year", "2024"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let root = dir.path().join("report");
    assert!(root.join("content/report.yaml").exists());
    assert!(!root.join("content/series.yaml").exists());
    assert!(!read(&root, "README.md").contains("series"));
}
