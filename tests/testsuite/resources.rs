//! Reports that are large in one direction run to completion, and right:
//! thousands of metrics in one file, a long section of references, a chart
//! with thousands of series, and YAML aliases that would expand a file far
//! beyond its size. (`bench/resources.py` times the same shapes, larger.)

use std::path::Path;

use crate::common::{Site, stderr_of};

const METRICS: usize = 4000;
const SERIES: usize = 1000;

fn metric_yaml(i: usize) -> String {
    format!(
        "  - id: m{i}\n    label: {{ zh: \"指标{i}\", en: \"Metric {i}\" }}\n    value: {}\n    unit: {{ zh: \"人\", en: \"people\" }}\n",
        1000 + 7 * i
    )
}

/// A report whose one chapter holds `METRICS` metrics, a section that
/// refers to each of them twice, and a bar chart of the first `SERIES`,
/// each series item with its own label. `more_metrics` and `more_charts`
/// are appended to the metrics and charts of the metrics file.
fn big_site(more_metrics: &str, more_charts: &str) -> Site {
    let site = Site::fixture("bilingual");
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    site.write(
        "content/report.yaml",
        "languages: [zh, en]\nyear: 2020\ntitle: { zh: \"大报告\", en: \"Big report\" }\nhighlights: [m0]\n",
    );
    for (lang, title) in [("zh", "前言"), ("en", "Foreword")] {
        site.write(
            &format!("content/_index.{lang}.md"),
            &format!("---\ntitle: {title}\n---\n{title}\n"),
        );
        site.write(
            &format!("content/01-figures/_index.{lang}.md"),
            &format!("---\ntitle: {title}\n---\n{title}\n"),
        );
    }
    let mut yaml = String::from("metrics:\n");
    yaml.extend((0..METRICS).map(metric_yaml));
    yaml.push_str(more_metrics);
    yaml.push_str("charts:\n  - id: big\n    type: bar\n    title: { zh: \"大图\", en: \"Big chart\" }\n    series:\n");
    yaml.extend((0..SERIES).map(|i| {
        format!("      - {{ metric: m{i}, label: {{ zh: \"项{i}\", en: \"Item {i}\" }} }}\n")
    }));
    yaml.push_str(more_charts);
    site.write("content/01-figures/metrics.yaml", &yaml);
    // One paragraph per line, a hundred references each, every metric twice.
    let refs: Vec<String> = (0..2 * METRICS)
        .map(|i| format!("{{{{ metric:m{} }}}}", i % METRICS))
        .collect();
    let body = refs
        .chunks(100)
        .map(|chunk| chunk.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    for (lang, caption) in [("zh", "大图"), ("en", "Big chart")] {
        site.write(
            &format!("content/01-figures/01-numbers.{lang}.md"),
            &format!("---\ntitle: {caption}\n---\n{body}\n\n![{caption}](chart:big)\n"),
        );
    }
    site
}

/// The 1-based line of the first line of `text` that `line` equals.
fn line_of(text: &str, line: &str) -> usize {
    text.lines().position(|l| l == line).unwrap() + 1
}

fn any_output_contains(dir: &Path, needle: &str) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .any(|e| std::fs::read_to_string(e.path()).unwrap().contains(needle))
}

#[test]
fn thousands_of_metrics_references_and_series_check_and_build() {
    let site = big_site("", "");
    let check = site.run(&["check"]);
    let err = stderr_of(&check);
    assert_eq!(check.status.code(), Some(0), "{err}");
    assert!(err.contains("0 errors, 0 warning(s)"), "{err}");
    let build = site.run(&["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr_of(&build));
    let last = 1000 + 7 * (METRICS - 1);
    let last = format!("{},{:03} people", last / 1000, last % 1000);
    assert!(any_output_contains(&site.output(), &last), "{last}");
    assert!(any_output_contains(&site.output(), "Item 999"));
}

#[test]
fn mistakes_at_the_end_of_a_big_file_point_at_their_lines() {
    let again = metric_yaml(3999).replace("id: m3999", "id: m3999 # again");
    let late = "  - id: late\n    type: bar\n    title: Late\n    series: [m1, nowhere]\n";
    let site = big_site(&again, late);
    let yaml =
        std::fs::read_to_string(site.root().join("content/01-figures/metrics.yaml")).unwrap();
    let check = site.run(&["check"]);
    let err = stderr_of(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    let series = line_of(&yaml, "    series: [m1, nowhere]");
    assert!(
        err.contains(&format!("content/01-figures/metrics.yaml:{series}:18")),
        "{err}"
    );
    let (first, second) = (
        line_of(&yaml, "  - id: m3999"),
        line_of(&yaml, "  - id: m3999 # again"),
    );
    assert!(
        err.contains(&format!(
            "duplicate metric id `m3999`: first defined at content/01-figures/metrics.yaml:{first}:9"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("content/01-figures/metrics.yaml:{second}:9")),
        "{err}"
    );
}

#[test]
fn an_alias_bomb_is_refused_at_its_alias_without_expanding_it() {
    let site = Site::fixture("bilingual");
    let aliases = vec!["*s"; 2000].join(", ");
    site.write(
        "content/report.yaml",
        &format!(
            "languages: [zh, en]\nyear: 2021\ntitle: Bomb\ndomain: &s \"{}\"\nhighlights: [{aliases}]\n",
            "x".repeat(2 * 1024 * 1024)
        ),
    );
    // The bomb is 4 MiB copied 2,000 times (bench/resources.py
    // measures it on the release binary); half that is as many gigabytes
    // unbounded. `build` loads the report the same way, and the invalid
    // corpus runs it on smaller bombs.
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("this alias expands the file beyond 16 MiB"),
        "{err}"
    );
    assert!(err.contains("content/report.yaml:5:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
