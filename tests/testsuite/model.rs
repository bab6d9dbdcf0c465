//! Metrics and charts as an author writes them, end to end: a grouped bar
//! chart without `keys:`, and last year's value (`previous:`) in prose and
//! in data tables.

use crate::common::{Site, text_of};

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

/// Relief cash gets last year's value; the floods section quotes it.
fn bilingual_with_previous() -> Site {
    let site = bilingual_with(|yaml| {
        yaml.replace(
            "    change: 0.401\n",
            "    change: 0.401\n    previous: 6395000\n",
        )
    });
    for (lang, sentence) in [
        ("zh", "上年为{{ metric:relief_cash | previous }}。"),
        (
            "en",
            "The year before it was {{ metric:relief_cash | previous }}.",
        ),
    ] {
        let path = format!("content/01-relief/01-floods.{lang}.md");
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        site.write(&path, &format!("{text}\n{sentence}\n"));
    }
    site
}

#[test]
fn the_previous_filter_shows_last_years_value_in_each_language() {
    let site = bilingual_with_previous();
    let rendered = site.build();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let zh = text_of(&site.read("relief/index.html"));
    assert!(zh.contains("上年为639.5万元。"), "{zh}");
    let en = text_of(&site.read("en/relief/index.html"));
    assert!(
        en.contains("The year before it was CNY 6.395 million."),
        "{en}"
    );
}

#[test]
fn data_tables_show_last_years_value_beside_this_years() {
    let site = bilingual_with_previous();
    site.build();
    let en = site.read("en/relief/index.html");
    let head = "<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Value</th><th scope=\"col\">Exact figure</th><th scope=\"col\">Last year</th><th scope=\"col\">Change on last year</th></tr></thead>";
    assert!(en.contains(head), "{en}");
    let with = "<tr><th scope=\"row\">Relief cash</th><td>CNY 8.959 million</td><td>CNY 8,959,000</td><td>CNY 6.395 million</td><td>+40.1%</td></tr>";
    let without = "<tr><th scope=\"row\">Hospitals</th><td>CNY 126 million</td><td>CNY 126,000,000</td><td></td><td></td></tr>";
    assert!(en.contains(with) && en.contains(without), "{en}");
    let zh = site.read("relief/index.html");
    assert!(zh.contains("<th scope=\"col\">上年数值</th>"), "{zh}");
    assert!(zh.contains("<td>639.5万元</td>"), "{zh}");
    // A chart none of whose metrics has a previous value has no such column.
    assert_eq!(
        en.matches("Last year</th>").count(),
        1,
        "only the fund_use table"
    );
}

#[test]
fn every_ui_language_of_the_default_theme_has_every_string() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let keys = |name: &str| -> std::collections::BTreeSet<String> {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let map: serde_yaml::Mapping = serde_yaml::from_str(&text).unwrap();
        map.keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    let english = keys("en.yaml");
    assert!(english.contains("table_previous"));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let own = keys(&name);
        let missing: Vec<_> = english.difference(&own).collect();
        assert!(missing.is_empty(), "{name} lacks {missing:?}");
    }
}
