//! The default content, the Chongqing Red Cross 2020 work overview: it
//! builds without a single warning, every chapter exists in every language
//! with its charts, and every figure of the source reaches the site.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{Site, text_of};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn built() -> Site {
    let site = Site::copy_of(repo());
    let mut options = site.options();
    options.strict = true; // unused metrics or charts, missing translations: all fail
    if let Err(nianbao::Error::Content(d)) = nianbao::build(&options) {
        panic!(
            "{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    site
}

fn site_text(site: &Site, lang_prefix: &str) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(site.output().join(lang_prefix)).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(site.output())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let other_language = lang_prefix.is_empty() && rel.starts_with("en/");
        if entry.file_name() == "index.html" && !other_language {
            text.push_str(&text_of(&std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    text.replace("&amp;", "&")
}

#[test]
fn report_builds_strictly_with_six_chapters_in_both_languages() {
    let site = built();
    let slugs = [
        "epidemic-poverty",
        "rescue-donation",
        "reform",
        "communication",
        "exchange",
        "party-building",
    ];
    for slug in slugs {
        assert!(
            site.output().join(slug).join("index.html").is_file(),
            "zh {slug}"
        );
        assert!(
            site.output()
                .join("en")
                .join(slug)
                .join("index.html")
                .is_file(),
            "en {slug}"
        );
    }
    for dir in std::fs::read_dir(repo().join("content")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() || dir.ends_with("assets") {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".zh.md") {
                assert!(
                    dir.join(format!("{stem}.en.md")).is_file(),
                    "{} lacks English",
                    dir.join(&name).display()
                );
            }
        }
    }
}

#[test]
fn every_chapter_shows_its_charts_in_both_languages() {
    let site = built();
    let mut charts = 0;
    for chapter in std::fs::read_dir(repo().join("content")).unwrap() {
        let dir = chapter.unwrap().path();
        let Ok(metrics) = std::fs::read_to_string(dir.join("metrics.yaml")) else {
            continue;
        };
        let slug =
            nianbao::load::discover::strip_order(&dir.file_name().unwrap().to_string_lossy())
                .to_string();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&metrics).unwrap();
        for chart in yaml["charts"].as_sequence().into_iter().flatten() {
            let id = chart["id"].as_str().unwrap();
            charts += 1;
            for page in [
                format!("{slug}/index.html"),
                format!("en/{slug}/index.html"),
            ] {
                assert!(
                    site.read(&page)
                        .contains(&format!("id=\"chart-{id}-title\"")),
                    "{page} lacks chart {id}"
                );
            }
        }
    }
    assert!(
        charts >= 8,
        "the report needs at least eight charts, has {charts}"
    );
}

/// Digit runs ("25362", "7941.29") of the source text, with the doubled
/// photo captions (an extraction artefact) left out.
fn source_figures() -> BTreeSet<String> {
    let seed =
        std::fs::read_to_string(repo().join("tests/fixtures/seed/chongqing-red-cross-2020.txt"))
            .expect("the source text is in tests/fixtures/seed/");
    let mut figures = BTreeSet::new();
    for line in seed.lines() {
        if is_doubled_caption(line) {
            continue;
        }
        let mut run = String::new();
        for c in line.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() || (c == '.' && !run.is_empty()) {
                run.push(c);
            } else if !run.is_empty() {
                figures.insert(run.trim_end_matches('.').to_string());
                run.clear();
            }
        }
    }
    figures
}

/// Captions arrive with every phrase printed twice ("开展开展", "捐赠…捐赠…").
fn is_doubled_caption(line: &str) -> bool {
    let chars: Vec<char> = line.trim().chars().collect();
    (2..=12).any(|k| {
        chars
            .windows(2 * k)
            .any(|w| w[..k] == w[k..] && w[..k].iter().all(|c| !c.is_ascii_digit()))
    })
}

#[test]
fn every_figure_of_the_source_appears_on_the_chinese_site() {
    let site = built();
    let zh = site_text(&site, "");
    let missing: Vec<String> = source_figures()
        .into_iter()
        .filter(|f| !zh.contains(f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "figures of the source missing from the zh site: {missing:?}"
    );
}

#[test]
fn every_metric_appears_in_both_languages() {
    let site = built();
    let report = nianbao::render_site(&site.options()).unwrap();
    drop(report);
    let (raw, mut diags) = nianbao::load::discover(site.root());
    let model = nianbao::model::report::build(raw, None, None, &mut diags).unwrap();
    let codes = ["zh".to_string(), "en".to_string()];
    let files = nianbao::load::theme::read(site.root(), "default", &mut diags).unwrap();
    let theme = nianbao::render::theme::compile(files, &codes, &mut diags).unwrap();
    for (lang, prefix) in [("zh", ""), ("en", "en")] {
        let words = &theme.i18n[lang].numbers;
        let text = site_text(&site, prefix);
        for metric in model.catalog.metrics.values() {
            let full = metric.format(lang, words);
            let number = metric.format_number(lang, words);
            assert!(
                text.contains(&full) || text.contains(&number),
                "{lang}: metric {} ({full}) not on the site",
                metric.id
            );
        }
    }
}

/// The source's six photo captions stand beside the chapters they
/// illustrate, as captions (no photographs are available), not as a list
/// on the cover; the one quoting a metric shows its value.
#[test]
fn photo_captions_stand_beside_their_chapters() {
    let site = built();
    let page = |path: &str| std::fs::read_to_string(site.output().join(path)).unwrap();
    for (path, caption) in [
        (
            "epidemic-poverty/index.html",
            "向湖北省孝感市捐赠1000余万元防疫物资",
        ),
        (
            "en/epidemic-poverty/index.html",
            "Epidemic prevention supplies worth over CNY 10 million donated to Xiaogan",
        ),
        (
            "rescue-donation/index.html",
            "“红十字送健康”应急救护培训进机关",
        ),
        (
            "en/communication/index.html",
            "The “One-Person Band” online concert",
        ),
        ("exchange/index.html", "首次川渝地区红十字供水救援联合演练"),
        (
            "en/exchange/index.html",
            "Red Cross volunteers supporting community-based joint prevention",
        ),
    ] {
        let html = page(path);
        let figures: Vec<&str> = html
            .split("<figure class=\"photo photo-to-come\">")
            .skip(1)
            .collect();
        assert!(
            figures
                .iter()
                .any(|f| f.split("</figure>").next().unwrap().contains(caption)),
            "{path}: no caption figure with `{caption}`"
        );
    }
    for cover in ["index.html", "en/index.html"] {
        let html = page(cover);
        assert!(
            !html.contains("图片说明") && !html.contains("Moments of the year"),
            "{cover} still lists the captions"
        );
    }
}
