//! Building fixture sites end to end.

use crate::common::{Site, snapshot_dir, text_of};

#[test]
fn zh_default_bilingual_site_has_every_page_in_both_languages() {
    let site = Site::fixture("bilingual");
    let rendered = site.build();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    for path in [
        "index.html",
        "relief/index.html",
        "outreach/index.html",
        "en/index.html",
        "en/relief/index.html",
        "en/outreach/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "assets/logo.txt",
        "charts/fund_use.zh.svg",
        "charts/fund_use.en.svg",
        ".nianbao-output",
    ] {
        assert!(site.output().join(path).is_file(), "missing {path}");
    }
    let zh = site.read("relief/index.html");
    assert!(zh.contains("<html lang=\"zh-Hans\">"));
    assert!(zh.contains("hreflang=\"en\" href=\"/en/relief/\""));
    let en = site.read("en/relief/index.html");
    assert!(en.contains("<html lang=\"en\">"));
}

#[test]
fn metrics_are_formatted_per_language() {
    let site = Site::fixture("bilingual");
    site.build();
    let zh = text_of(&site.read("relief/index.html"));
    for expected in ["3000余顶（包）", "2528户", "895.9万元", "40.1%", "4152人"] {
        assert!(zh.contains(expected), "zh page lacks {expected}");
    }
    let en = text_of(&site.read("en/relief/index.html"));
    for expected in [
        "over 3,000 tents and kits",
        "2,528 households",
        "CNY 8.959 million",
        "up 40.1%",
        "4,152 people",
    ] {
        assert!(en.contains(expected), "en page lacks {expected}");
    }
    let home_zh = text_of(&site.read("index.html"));
    assert!(home_zh.contains("25362万元"), "cover card / foreword");
    assert!(home_zh.contains("近1万人次"));
    let home_en = text_of(&site.read("en/index.html"));
    assert!(home_en.contains("CNY 253.62 million"));
    assert!(home_en.contains("nearly 10,000 volunteers"));
}

#[test]
fn cjk_line_breaks_do_not_become_spaces() {
    let site = Site::fixture("bilingual");
    site.build();
    let zh = site.read("relief/index.html");
    assert!(
        zh.contains("3000余顶（包），惠及2528户"),
        "soft break between CJK must vanish"
    );
    let en = site.read("en/relief/index.html");
    assert!(
        en.contains("families,\nreaching"),
        "soft break between Latin words stays"
    );
}

#[test]
fn charts_are_figures_with_accessible_svg_and_data_table() {
    let site = Site::fixture("bilingual");
    site.build();
    let page = site.read("en/relief/index.html");
    let figure = page
        .split("<figure class=\"chart-figure\"")
        .nth(1)
        .expect("a figure");
    assert!(figure.contains("role=\"img\""));
    assert!(figure.contains("<title id=\"chart-fund_use-title\">Where relief funds went</title>"));
    assert!(figure.contains("<desc id=\"chart-fund_use-desc\">"));
    assert!(figure.contains("viewBox=\"0 0 400 "));
    let svg_tag = figure
        .split("<svg")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        !svg_tag.contains(" width=") && !svg_tag.contains(" height="),
        "inline SVG has no fixed size"
    );
    assert!(figure.contains("<figcaption>Where relief funds went</figcaption>"));
    assert!(figure.contains("<details class=\"chart-data\">"));
    assert!(
        figure.contains("CNY 8,959,000"),
        "data table shows the exact figure"
    );
    let file = site.read("charts/fund_use.zh.svg");
    assert!(file.starts_with("<?xml"));
    assert!(file.contains("width=\"400\""));
    assert!(file.contains("895.9万元"));
    assert!(!file.contains("<image"), "no embedded images or fonts");
}

#[test]
fn footnote_and_heading_ids_are_unique_on_a_page() {
    let site = Site::fixture("bilingual");
    site.build();
    let page = site.read("relief/index.html");
    let mut ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "duplicate ids: {ids:?}");
    assert!(page.contains("id=\"fn-floods-audit\""));
    assert!(page.contains("id=\"fn-training-audit\""));
    assert!(page.contains("id=\"spending\""));
}

#[test]
fn builds_are_byte_identical() {
    let site = Site::fixture("bilingual");
    site.build();
    let first = snapshot_dir(&site.output());
    site.build();
    assert_eq!(first, snapshot_dir(&site.output()));
}

#[test]
fn english_default_serves_english_at_root_and_uses_base_url() {
    let site = Site::fixture("english-default");
    site.build();
    let home = site.read("index.html");
    assert!(home.contains("<html lang=\"en\">"));
    assert!(
        home.contains("href=\"https://example.org/reports/2021/zh/\""),
        "hreflang uses the absolute base URL"
    );
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/reports/2021/\">"));
    assert!(
        site.read("zh/relief/index.html")
            .contains("<html lang=\"zh-Hans\">")
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/reports/2021/sitemap.xml")
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/reports/2021/zh/outreach/</loc>")
    );
    // Links inside pages are relative, so they work under the sub-path.
    let chapter = site.read("zh/relief/index.html");
    assert!(chapter.contains("href=\"../../assets/style."));
    assert!(
        site.read("404.html")
            .contains("href=\"/reports/2021/assets/style."),
        "404 links from the base path"
    );
}

#[test]
fn english_only_report_builds_with_no_language_prefix() {
    let site = Site::fixture("english-only");
    let rendered = site.build();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    assert!(!site.output().join("en").exists());
    let page = text_of(&site.read("programs/index.html"));
    assert!(page.contains("42 projects"));
    assert!(page.contains("1 project abroad"));
    assert!(page.contains("12.5%"));
    let home = text_of(&site.read("index.html"));
    assert!(home.contains("CNY 1,234,567,891"), "no digit lost: {home}");
    assert!(home.contains("over 2.5 million people"));
    assert!(
        !site.read("index.html").contains("language-switcher"),
        "no switcher with one language"
    );
}

#[test]
fn trilingual_report_falls_back_with_a_notice_and_uses_theme_layers() {
    let site = Site::fixture("trilingual");
    let rendered = site.build();
    let warnings: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("01-clinics.fr.md does not exist")),
        "{warnings:?}"
    );
    let fr = site.read("fr/health/index.html");
    assert!(fr.contains("<html lang=\"fr\">"));
    assert!(fr.contains("class=\"fallback-notice\""));
    assert!(
        fr.contains("<div class=\"prose\" lang=\"zh-Hans\">"),
        "fallback text is marked with its language"
    );
    assert!(
        text_of(&site.read("fr/index.html")).contains("1,25 million euros"),
        "fr number words from the theme"
    );
    assert!(text_of(&site.read("en/index.html")).contains("1.25 million euros"));
    assert!(text_of(&site.read("index.html")).contains("125万元"));
    assert!(
        site.read("404.html").contains("custom-404"),
        "custom theme overrides one template"
    );
    assert!(
        site.read("index.html").contains("Français"),
        "other templates fall back to the default theme"
    );
}

#[test]
fn base_url_flag_overrides_report_yaml() {
    let site = Site::fixture("bilingual");
    let mut options = site.options();
    options.base_url = Some("https://example.org/report/2020/".into());
    nianbao::build(&options).unwrap();
    assert!(
        site.read("en/index.html")
            .contains("href=\"https://example.org/report/2020/en/\"")
    );
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = Site::fixture("bilingual");
    site.build();
    let before = snapshot_dir(&site.output());
    site.write(
        "content/01-relief/01-floods.en.md",
        "---\ntitle: x\n---\n{{ metric:nope }}\n",
    );
    let err = nianbao::build(&site.options()).unwrap_err();
    assert!(matches!(err, nianbao::Error::Content(_)));
    assert_eq!(before, snapshot_dir(&site.output()));
}

#[test]
fn page_snapshot() {
    let site = Site::fixture("bilingual");
    site.build();
    insta::assert_snapshot!("bilingual_en_relief", site.read("en/relief/index.html"));
}

#[test]
fn svg_snapshot() {
    let site = Site::fixture("bilingual");
    site.build();
    insta::assert_snapshot!(
        "bilingual_training_zh_svg",
        site.read("charts/training.zh.svg")
    );
}

#[test]
fn rebuilding_keeps_unchanged_files_and_their_timestamps() {
    let site = Site::fixture("bilingual");
    site.build();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in ["index.html", "en/relief/index.html"] {
        let file = std::fs::File::options()
            .write(true)
            .open(site.output().join(path))
            .unwrap();
        file.set_modified(old).unwrap();
    }
    site.write(
        "content/01-relief/01-floods.en.md",
        "---\ntitle: Flood relief\n---\nNew text.\n",
    );
    let rendered = site.build();
    let mtime = |p: &str| {
        std::fs::metadata(site.output().join(p))
            .unwrap()
            .modified()
            .unwrap()
    };
    assert_eq!(
        mtime("index.html"),
        old,
        "unchanged page keeps its timestamp"
    );
    assert_ne!(
        mtime("en/relief/index.html"),
        old,
        "changed page is rewritten"
    );
    assert_eq!(
        rendered.changes.changed,
        [
            "en/print/index.html".to_string(),
            "en/relief/index.html".to_string(),
            "search/en/s0.json".to_string(),
        ],
        "the chapter and the whole-report page hold the section; of the \
         search index, the shard of the new words"
    );
    assert!(rendered.changes.added.is_empty());
}
