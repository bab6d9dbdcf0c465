//! Metrics and charts as an author writes them, end to end: a grouped bar
//! chart without `keys:`, and last year's value (`previous:`) in prose and
//! in data tables.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use common::{Site, text_of};

const RELIEF_METRICS: &str = "content/01-relief/metrics.yaml";

/// The bilingual fixture with its relief metrics file edited by `edit`.
fn bilingual_with(edit: impl Fn(&str) -> String) -> Site {
    let site = Site::fixture("bilingual");
    let yaml = std::fs::read_to_string(site.root().join(RELIEF_METRICS)).unwrap();
    let edited = edit(&yaml);
    assert_ne!(edited, yaml, "the edit changed nothing");
    site.write(RELIEF_METRICS, &edited);
    site
}

const KEYS_LINE: &str =
    "    keys: [{ zh: \"学员\", en: \"Trainees\" }, { zh: \"师资\", en: \"Trainers\" }]\n";

#[test]
fn a_grouped_bar_without_keys_takes_its_legend_from_the_first_groups_metric_labels() {
    // The fixture's keys are the labels of the group's metrics: without
    // them the chart must be drawn the same, byte for byte.
    let with_keys = Site::fixture("bilingual");
    with_keys.build();
    let without_keys = bilingual_with(|yaml| yaml.replace(KEYS_LINE, ""));
    let rendered = without_keys.build();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    for (lang, labels) in [("zh", ["学员", "师资"]), ("en", ["Trainees", "Trainers"])] {
        let svg = without_keys.read(&format!("charts/grouped.{lang}.svg"));
        for label in labels {
            assert!(
                svg.contains(&format!(">\n{label}\n</text>")),
                "{lang} legend lacks {label}:\n{svg}"
            );
        }
        assert_eq!(
            svg,
            with_keys.read(&format!("charts/grouped.{lang}.svg")),
            "{lang}"
        );
    }
    let table = text_of(&without_keys.read("en/relief/index.html"));
    assert!(
        table.contains("2021 · Trainees"),
        "the data table names each bar by its key"
    );
}
