//! A report series (tests/fixtures/series: 2019 in Chinese only, 2020
//! and 2021 in both languages): URLs per year and language, changes
//! computed from last year's data, line charts across the years that
//! never show a later year, open data, links between years, and a year
//! added later that leaves the earlier years' content as it was.

use std::path::{Path, PathBuf};

use crate::common::{copy_dir, nianbao, stderr_of};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series")
}

/// A copy of the series fixture to change.
fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

/// Builds the site at `root` into `root/output`, asserting success.
fn build(root: &Path) -> PathBuf {
    let out = nianbao(root, &["build"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    root.join("output")
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `<main>` of a page: its content, without the navigation around it.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

#[test]
fn every_year_has_its_pages_in_its_languages_only() {
    let site = copy();
    let out = build(site.path());
    for page in [
        "index.html",
        "en/index.html",
        "2019/index.html",
        "2019/relief/index.html",
        "2019/print/index.html",
        "2020/index.html",
        "en/2020/relief/index.html",
        "2021/outreach/index.html",
        "en/2021/print/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(out.join(page).is_file(), "{page} is missing");
    }
    // 2019 has no English report: no English pages, and the English
    // series home and year switcher say where to read it.
    assert!(!out.join("en/2019").exists());
    let en_home = read(&out, "en/index.html");
    assert!(en_home.contains("Available in"), "{en_home}");
    assert!(en_home.contains(r#"href="../2019/""#), "{en_home}");
    let en_2021 = read(&out, "en/2021/index.html");
    assert!(en_2021.contains(r#"class="year-switcher""#));
    assert!(
        en_2021.contains(r#"href="../../2019/" hreflang="zh-Hans""#),
        "{en_2021}"
    );
    // Each page links to the series home and the same year in the other language.
    assert!(en_2021.contains(r#"href="../""#));
    assert!(en_2021.contains(r#"href="../../2021/""#));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("/en/2021/relief/") && sitemap.contains("/2019/relief/"));
}

#[test]
fn changes_on_last_year_come_from_the_data() {
    let site = copy();
    let out = build(site.path());
    // funds_raised: 120,000,000 in 2019, 181,000,000 in 2020 → +50.8%.
    let cover_2020 = read(&out, "en/2020/index.html");
    assert!(cover_2020.contains("+50.8%"), "{cover_2020}");
    assert!(cover_2020.contains("on 2019"));
    // relief_cash: 6,390,000 in 2020, 8,959,000 in 2021 → 40.2%, in the text.
    let relief_2021 = read(&out, "2021/relief/index.html");
    assert!(relief_2021.contains("40.2%"), "{relief_2021}");
    // The first year has nothing to compare with.
    let cover_2019 = read(&out, "2019/index.html");
    assert!(!cover_2019.contains("card-change"));
}

#[test]
fn a_line_across_the_years_never_shows_a_later_year() {
    let site = copy();
    let out = build(site.path());
    let chart = read(&out, "2021/charts/trend.en.svg");
    for year in ["2019", "2020", "2021"] {
        assert!(
            chart.contains(&format!("{year}: ")),
            "{year} missing: {chart}"
        );
    }
    // The series home draws every year of each trend.
    let trend = read(&out, "charts/funds_raised.zh.svg");
    assert!(
        trend.contains("2019: ") && trend.contains("2021: "),
        "{trend}"
    );
}

#[test]
fn adding_a_year_changes_earlier_years_only_in_navigation() {
    let site = copy();
    let before = build(site.path());
    let pages = [
        "2021/index.html",
        "en/2021/relief/index.html",
        "en/2021/outreach/index.html",
        "2021/print/index.html",
    ];
    let old: Vec<String> = pages.iter().map(|p| read(&before, p)).collect();
    let files = ["2021/charts/trend.zh.svg", "2021/data/metrics.csv"];
    let old_files: Vec<String> = files.iter().map(|p| read(&before, p)).collect();
    // 2022: 2021 with other values and text.
    let content = site.path().join("content");
    copy_dir(&content.join("2021"), &content.join("2022"));
    for file in ["01-relief/metrics.yaml", "02-outreach/metrics.yaml"] {
        let path = content.join("2022").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("value: ", "value: 1")).unwrap();
    }
    let after = build(site.path());
    assert!(after.join("2022/index.html").is_file());
    for (page, old) in pages.iter().zip(&old) {
        let new = read(&after, page);
        assert_eq!(main_of(old), main_of(&new), "{page} changed");
        assert!(
            new.contains(">2022<"),
            "{page}: no 2022 in the year switcher"
        );
    }
    for (file, old) in files.iter().zip(&old_files) {
        assert_eq!(old, &read(&after, file), "{file} changed");
    }
    // The series home now leads with 2022.
    assert!(read(&after, "en/index.html").contains("Latest report · 2022"));
}

#[test]
fn open_data_for_each_year_and_the_series() {
    let site = copy();
    let out = build(site.path());
    let csv = std::fs::read(out.join("2021/data/metrics.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("relief_cash"), "{csv}");
    // previous and change from 2020's data
    assert!(csv.contains("8959000,cny,,,,6390000,0.402"), "{csv}");
    let json = read(&out, "2021/data/metrics.json");
    assert!(json.contains("\"year\": \"2021\""), "{json}");
    let series = read(&out, "data/metrics.csv");
    assert!(series.contains("2019,funds_raised") && series.contains("2021,funds_raised"));
    // Linked from each year's cover.
    assert!(read(&out, "en/2021/index.html").contains("data/metrics.csv"));
}

#[test]
fn a_link_to_a_year_that_does_not_exist_fails_the_build() {
    let site = copy();
    let section = site.path().join("content/2021/01-relief/01-floods.en.md");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        text.replace("../../2020/relief/", "../../2018/relief/"),
    )
    .unwrap();
    let out = nianbao(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("01-floods.en.md"), "{err}");
    assert!(err.contains("2018"), "{err}");
}

#[test]
fn a_unit_that_changes_between_years_names_both_files() {
    let site = copy();
    let metrics = site.path().join("content/2021/01-relief/metrics.yaml");
    let text = std::fs::read_to_string(&metrics).unwrap();
    let changed = text.replacen(
        "value: 253620000\n    unit: cny",
        "value: 253620000\n    unit: percent",
        1,
    );
    assert_ne!(text, changed);
    std::fs::write(&metrics, changed).unwrap();
    let out = nianbao(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("content/2021/01-relief/metrics.yaml"), "{err}");
    assert!(err.contains("content/2020/01-relief/metrics.yaml"), "{err}");
}

#[test]
fn a_written_change_that_disagrees_with_the_data_is_a_warning() {
    let site = copy();
    let metrics = site.path().join("content/2021/01-relief/metrics.yaml");
    let text = std::fs::read_to_string(&metrics).unwrap();
    let changed = text.replacen("value: 8959000\n", "value: 8959000\n    change: 0.9\n", 1);
    std::fs::write(&metrics, changed).unwrap();
    let out = nianbao(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("`change: 0.9` of metric `relief_cash` disagrees with the data"),
        "{err}"
    );
    let strict = nianbao(site.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn the_fixture_passes_check_strict() {
    let out = nianbao(&fixture(), &["check", "--strict"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn a_new_year_lists_every_value_to_fill_in_and_text_to_rewrite() {
    let site = copy();
    let added = nianbao(site.path(), &["add-year", "2022"]);
    assert!(added.status.success(), "{}", stderr_of(&added));
    let out = nianbao(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    for id in ["funds_raised", "kits", "volunteers", "trainers"] {
        let line = format!("metric `{id}` has no value yet");
        assert_eq!(err.matches(&line).count(), 1, "{id}: {err}");
    }
    assert!(
        err.contains("this text is still the same as 2021's"),
        "{err}"
    );
    assert!(!site.path().join("output").exists());
}

#[test]
fn a_year_with_a_year_key_of_another_year_is_an_error() {
    let site = copy();
    let report = site.path().join("content/2020/report.yaml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, format!("year: 2018\n{text}")).unwrap();
    let out = nianbao(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("`year: 2018` differs from the year of its folder (2020)"));
}

/// Appends a percent metric `rate` with `value` to a year's outreach
/// metrics (before its charts).
fn add_rate(root: &Path, year: &str, value: &str) {
    let path = root.join(format!("content/{year}/02-outreach/metrics.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let metric = format!(
        "  - id: rate\n    label: {{ zh: \"覆盖率\", en: \"Coverage\" }}\n    value: {value}\n    unit: percent\n"
    );
    let text = text.replacen("metrics:\n", &format!("metrics:\n{metric}"), 1);
    std::fs::write(&path, text).unwrap();
}

#[test]
fn a_change_of_a_percentage_across_the_years_is_in_points() {
    let site = copy();
    let root = site.path();
    add_rate(root, "2020", "0.38");
    add_rate(root, "2021", "0.401");
    for (lang, line) in [
        ("en", "The coverage rose {{ metric:rate | change }}.\n"),
        ("zh", "覆盖率提高{{ metric:rate | change }}。\n"),
    ] {
        let page = root.join(format!("content/2021/02-outreach/01-volunteers.{lang}.md"));
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, format!("{text}\n{line}")).unwrap();
    }
    let out = build(root);
    // 40.1% after 38%: 2.1 points, not +5.5%.
    let en = read(&out, "en/2021/outreach/index.html");
    assert!(
        en.contains("The coverage rose 2.1 percentage points."),
        "{en}"
    );
    let zh = read(&out, "2021/outreach/index.html");
    assert!(zh.contains("覆盖率提高2.1个百分点。"), "{zh}");
    let json = read(&out, "2021/data/metrics.json");
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rate = data["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "rate")
        .unwrap();
    assert_eq!(rate["change"], serde_json::json!(0.021));
    assert_eq!(rate["change_kind"], "points");
}
