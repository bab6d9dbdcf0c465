//! Fuzzing with proptest: arbitrary Markdown, front matter and YAML through
//! loading, validation, rendering and the checks of `nianbao check`. The
//! only property is that nothing panics and every failure is a diagnostic
//! with a position inside its file.
//!
//! `cargo test` runs a few hundred cases per target; `tests/fuzz.sh` runs
//! many more (`FUZZ_CASES` per in-memory target, a twentieth of that for
//! the whole pipeline).

use std::collections::BTreeMap;
use std::path::Path;

use nianbao::load::yaml::{self, RawFrontMatter, RawMetricsFile, RawReport};
use nianbao::render::markdown::{self, Context};
use nianbao::{Diagnostics, Options};
use proptest::prelude::*;

/// `default` cases, or `FUZZ_CASES / divisor` when set (the whole-pipeline
/// target writes a site per case, so it runs fewer).
fn cases(default: u32, divisor: u32) -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
        .map_or(default, |n| (n / divisor).max(1));
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that exercise the parts of nianbao's Markdown handling: metric
/// and chart references (good, bad, unclosed), footnotes, tables, heading
/// ids, raw HTML, CJK text and line breaks, typed figures and links.
fn markdown_piece() -> impl Strategy<Value = String> {
    let fragments = prop::sample::select(vec![
        "{{ metric:kits }}",
        "{{ metric:households | change }}",
        "{{ metric:relief_cash | change }}",
        "{{ metric:nope }}",
        "{{ metric: }}",
        "{{ }}",
        "{{",
        "}}",
        "{{ metric:kits | bogus }}",
        "![图](chart:fund_use)",
        "![](chart:training)",
        "![x](chart:missing)",
        "](chart:",
        "[^1]",
        "[^1]: note",
        "[^a]: 注释",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "## 标题 {#dup}",
        "### Heading {#dup}",
        "# H1",
        "<div>raw</div>",
        "<img src=x.png>",
        "`code`",
        "```\ncode\n```",
        "募集25362万元，",
        "增长40.1%。",
        "1,234 people",
        "[link](../nowhere/)",
        "[a](#dup)",
        "![alt](assets/logo.txt)",
        "~~del~~",
        "\n",
        "\n\n",
        "---",
        "> 引用",
        "- item",
        "1. item",
        "红十字",
        "\u{feff}",
        "\r\n",
        "\t",
    ]);
    prop_oneof![
        3 => fragments.prop_map(String::from),
        1 => any::<String>(),
        1 => "[\\PC\\n]{0,20}",
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_piece(), 0..24).prop_map(|parts| parts.join(""))
}

/// YAML-looking text: keys, values, flow and block collections, quotes,
/// indentation and garbage, in any order.
fn yaml_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "languages: [zh, en]\n",
        "languages: [en]\n",
        "languages: zh\n",
        "year: 2021\n",
        "year: [1]\n",
        "title: { zh: \"题\", en: \"T\" }\n",
        "title: T\n",
        "title: { en: [a] }\n",
        "highlights: [kits]\n",
        "metrics:\n",
        "  - id: kits\n",
        "  - id: Bad-Id\n",
        "    label: { zh: 包, en: kits }\n",
        "    value: 3000\n",
        "    value: lots\n",
        "    value: 1e400\n",
        "    value: -0.0000001\n",
        "    unit: cny\n",
        "    unit: { zh: 人, en: { one: person, other: people } }\n",
        "    approx: over\n",
        "    change: 0.4\n",
        "    display: { zh: wan }\n",
        "charts:\n",
        "  - id: c\n",
        "    type: donut\n",
        "    type: line\n",
        "    series: [kits]\n",
        "    points:\n      - { x: 2020, metric: kits }\n",
        "    groups:\n      - label: g\n        series: [kits]\n",
        "    keys: [a]\n",
        "summary: \"",
        "kicker: '",
        "draft: true\n",
        "translated_from: abc\n",
        "&anchor a: *anchor\n",
        "? complex\n",
        "!!binary x\n",
        "- list\n",
        "  ",
        "\t",
        ":",
        "{",
        "[",
        "\n",
    ]);
    prop::collection::vec(
        prop_oneof![4 => pieces.prop_map(String::from), 1 => any::<String>()],
        0..20,
    )
    .prop_map(|parts| parts.join(""))
}

fn render_markdown(body: &str) -> String {
    let metric = |id: &str, _: Option<&str>| (id == "kits").then(|| "3000".to_string());
    let figure = |req: &markdown::FigureRequest<'_>| {
        (req.target == "chart:fund_use").then(|| format!("<figure>{}</figure>", req.inner_html))
    };
    let image = |url: &str| (url == "team.jpg").then(|| "../photos/h-960.jpg".to_string());
    let mut ids = markdown::Ids::default();
    let mut anchors = BTreeMap::new();
    let mut ctx = Context {
        metric: &metric,
        figure: &figure,
        image: &image,
        id_prefix: "s",
        ids: &mut ids,
        min_heading: 3,
        anchors: &mut anchors,
        link_base: "../s/",
        table_label: "Table",
    };
    markdown::render(body, &mut ctx).html
}

/// Every diagnostic points inside its file, or at the file as a whole.
fn assert_positions(diags: &Diagnostics, text: &str) {
    let lines = text.split('\n').count().max(1);
    for d in diags.iter() {
        assert!(d.line <= lines + 1, "line {} of {lines}: {d}", d.line);
    }
}

/// A site in a temporary folder: the bilingual fixture with the generated
/// files laid over it.
fn site_with(files: &[(&str, &str)]) -> crate::common::Site {
    let site = crate::common::Site::fixture("bilingual");
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

proptest! {
    #![proptest_config(cases(512, 1))]

    #[test]
    fn markdown_renders_without_panicking(body in markdown()) {
        let html = render_markdown(&body);
        prop_assert!(html.len() < body.len() * 40 + 1024);
    }

    #[test]
    fn yaml_never_panics_and_errors_have_positions(text in yaml_text()) {
        let file = Path::new("content/report.yaml");
        let mut diags = Diagnostics::new();
        if let Err(d) = yaml::parse::<RawReport>(&text, file, 0) { diags.push(d) }
        if let Err(d) = yaml::parse::<RawMetricsFile>(&text, file, 0) { diags.push(d) }
        if let Err(d) = yaml::parse::<RawFrontMatter>(&text, file, 0) { diags.push(d) }
        assert_positions(&diags, &text);
    }
}

proptest! {
    // The whole pipeline writes a small site per case: fewer cases.
    #![proptest_config(cases(64, 20))]

    #[test]
    fn whole_pipeline_never_panics(
        section in markdown(),
        front in yaml_text(),
        metrics in yaml_text(),
        report in yaml_text(),
        which in 0..4usize,
    ) {
        let page = format!("---\ntitle: T\n{front}\n---\n{section}");
        let mut files = vec![("content/01-relief/01-floods.zh.md", page.as_str())];
        // Also break, one at a time, the YAML files everything else needs.
        match which {
            1 => files.push(("content/01-relief/metrics.yaml", metrics.as_str())),
            2 => files.push(("content/report.yaml", report.as_str())),
            3 => files.push(("content/01-relief/02-training.en.md", section.as_str())),
            _ => {}
        }
        let site = site_with(&files);
        let options = Options::new(site.root());
        let _ = nianbao::check(&options);
        let _ = nianbao::render_site(&options);
    }
}
