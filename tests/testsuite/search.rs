//! Reader search: the index files a build writes, queried the way the
//! theme's script queries them for whole words (the terms of the query,
//! the shard of each term, the pages that hold them all), so a wrong segmentation, shard or
//! page number shows as a missing or extra result. The script itself runs
//! against built sites in the browser suite (`tests/browser/run.mjs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use nianbao::search::{query_terms, shard};
use serde_json::Value;

use crate::common::{Site, copy_dir, nianbao, stderr_of};

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The strings of a JSON array.
fn strings(array: &Value) -> Vec<&str> {
    let items = array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"));
    items
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| panic!("not a string: {s}")))
        .collect()
}

/// The URLs of the pages of `lang` that hold every term of `query`.
fn search(output: &Path, lang: &str, query: &str) -> BTreeSet<String> {
    let dir = output.join("search").join(lang);
    let index = read_json(&dir.join("index.json"));
    let starts = strings(&index["shards"]);
    let pages = index["pages"].as_array().unwrap();
    let mut hits: Option<BTreeSet<usize>> = None;
    for term in query_terms(query) {
        let postings = read_json(&dir.join(format!("s{}.json", shard(&term, &starts))));
        let holding: BTreeSet<usize> = postings[&term]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|p| usize::try_from(p[0].as_u64().unwrap()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        hits = Some(match hits {
            None => holding,
            Some(h) => h.intersection(&holding).copied().collect(),
        });
    }
    hits.unwrap_or_default()
        .into_iter()
        .map(|i| pages[i][0].as_str().unwrap().to_string())
        .collect()
}

fn urls(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(ToString::to_string).collect()
}

#[test]
fn chinese_and_english_queries_find_the_chapters_that_hold_them() {
    let site = Site::fixture("bilingual");
    site.build();
    let out = site.output();
    // Two characters inside a longer run (受灾家庭), and the words of a
    // heading; a word only the other chapter has.
    assert_eq!(search(&out, "zh", "受灾"), urls(&["relief/"]));
    assert_eq!(search(&out, "zh", "志愿"), urls(&["", "outreach/"]));
    assert_eq!(search(&out, "zh", "资金使用"), urls(&["relief/"]));
    assert_eq!(search(&out, "en", "flood season"), urls(&["en/relief/"]));
    assert_eq!(search(&out, "en", "FLOOD"), urls(&["en/relief/"]));
    // Every term must be held: no page has both.
    assert!(search(&out, "en", "flood volunteering").is_empty());
    assert!(search(&out, "zh", "不存在的词").is_empty());
    // Page texts are what the snippet is cut from: the page's main text.
    let index = read_json(&out.join("search/en/index.json"));
    let pages = index["pages"].as_array().unwrap();
    let relief = pages
        .iter()
        .position(|p| p[0] == "en/relief/")
        .expect("the relief chapter is indexed");
    assert_eq!(pages[relief][3], "2021", "the year of each page");
    // The index holds terms, not copies of the pages' text (the script
    // cuts snippets from the pages themselves).
    assert_eq!(pages[relief].as_array().map(Vec::len), Some(4));
    assert!(std::fs::read_dir(out.join("search/en")).unwrap().all(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(['i', 's'])
    }));
    // The whole-report page repeats every chapter and is not a result.
    assert!(
        pages
            .iter()
            .all(|p| !p[0].as_str().unwrap().contains("print"))
    );
}

#[test]
fn every_page_has_the_search_field_and_its_script() {
    let site = Site::fixture("bilingual");
    site.build();
    for page in [
        "index.html",
        "relief/index.html",
        "en/index.html",
        "en/outreach/index.html",
    ] {
        let html = site.read(page);
        assert!(html.contains(r#"<div class="site-search""#), "{page}");
        assert!(
            html.contains(r#"<script src=""#) && html.contains("assets/search."),
            "{page}"
        );
    }
}

#[test]
fn search_false_writes_no_index_and_no_field() {
    let site = Site::fixture("bilingual");
    let report = std::fs::read_to_string(site.root().join("content/report.yaml")).unwrap();
    site.write("content/report.yaml", &format!("{report}search: false\n"));
    site.build();
    assert!(
        !site.output().join("search").exists(),
        "an index was written"
    );
    for page in [
        "index.html",
        "relief/index.html",
        "en/index.html",
        "print/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("site-search"), "{page} has a search field");
        assert!(!html.contains("assets/search."), "{page} loads the script");
    }
}

#[test]
fn a_wrong_search_value_is_an_error_at_its_place() {
    let site = Site::fixture("bilingual");
    let report = std::fs::read_to_string(site.root().join("content/report.yaml")).unwrap();
    site.write("content/report.yaml", &format!("{report}search: maybe\n"));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("report.yaml:8:"), "{err}");
    assert!(err.contains("search"), "{err}");
}

#[test]
fn markup_in_the_text_cannot_leave_the_index_files() {
    let site = Site::fixture("bilingual");
    site.write(
        "content/01-relief/03-escape.en.md",
        "---\ntitle: \"</script><b>Bold</b>\"\n---\nA `</script><img src=x onerror=alert(1)>` sample.\n",
    );
    site.build();
    for entry in walk(&site.output().join("search")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(!text.contains('<'), "{} holds '<'", entry.display());
        let _: Value = serde_json::from_str(&text).unwrap();
    }
    assert_eq!(
        search(&site.output(), "en", "onerror"),
        urls(&["en/relief/"])
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The series fixture (2019 in Chinese only, 2020 and 2021 in both).
fn series_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series"),
        dir.path(),
    );
    dir
}

#[test]
fn a_series_has_one_index_per_language_over_every_year() {
    let dir = series_site();
    let out = nianbao(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let output = dir.path().join("output");
    let zh = read_json(&output.join("search/zh/index.json"));
    let years = strings(&zh["years"]);
    assert_eq!(years, ["2019", "2020", "2021"]);
    let en = read_json(&output.join("search/en/index.json"));
    assert_eq!(en["years"], serde_json::json!(["2020", "2021"]));
    // A word of every year's relief chapter finds each year's page, and
    // no page of the series itself (home, trends) is a result.
    let found = search(&output, "en", "flood season");
    assert!(found.contains("en/2020/relief/"), "{found:?}");
    assert!(found.contains("en/2021/relief/"), "{found:?}");
    for page in zh["pages"]
        .as_array()
        .unwrap()
        .iter()
        .chain(en["pages"].as_array().unwrap())
    {
        let url = page[0].as_str().unwrap();
        let year = page[3].as_str().unwrap();
        assert!(url.contains(&format!("{year}/")), "{url} is not in {year}");
    }
}

#[test]
fn series_search_false_turns_it_off_for_every_year() {
    let dir = series_site();
    let series = dir.path().join("content/series.yaml");
    let text = std::fs::read_to_string(&series).unwrap();
    std::fs::write(&series, format!("{text}search: false\n")).unwrap();
    let out = nianbao(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let output = dir.path().join("output");
    assert!(!output.join("search").exists());
    let page = std::fs::read_to_string(output.join("en/2021/relief/index.html")).unwrap();
    assert!(!page.contains("site-search"));
}
