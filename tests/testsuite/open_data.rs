//! Open data (`render::data`) from a real report: every metric once, in
//! chapter order, with its exact value.

use std::collections::BTreeMap;

use nianbao::render::data::{self, MetricRow};

use crate::common::Site;

fn report_of(site: &Site) -> nianbao::model::report::Report {
    let (prepared, diags) = nianbao::build::prepare(&site.options());
    assert!(!diags.has_errors(), "{diags:?}");
    prepared.unwrap().report
}

fn codes(report: &nianbao::model::report::Report) -> Vec<String> {
    report.languages.iter().map(|l| l.code.clone()).collect()
}

/// Every metric of tests/fixtures/bilingual, as written in its metrics.yaml files.
const BILINGUAL: &[(&str, &str, &str)] = &[
    ("funds_raised", "relief", "253620000"),
    ("kits", "relief", "3000"),
    ("households", "relief", "2528"),
    ("relief_cash", "relief", "8959000"),
    ("hospital_cash", "relief", "126000000"),
    ("trainees", "relief", "4152"),
    ("trainers", "relief", "182"),
    ("volunteers", "outreach", "10000"),
    ("service_visits", "outreach", "2166000"),
    ("visits_2020", "outreach", "1500000"),
];

#[test]
fn every_metric_appears_once_in_order_with_its_exact_value() {
    let site = Site::fixture("bilingual");
    // A metric outside every chapter comes first.
    site.write(
        "content/metrics.yaml",
        "metrics:\n  - id: budget\n    label: { zh: \"预算，总计\", en: \"Budget, \\\"total\\\"\" }\n    value: 1234567.891\n    unit: cny\n    previous: 1000000\n    change: -0.05\n",
    );
    let report = report_of(&site);
    let rows = data::rows(&report);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.chapter.as_str(), r.value.as_str()))
        .collect();
    let mut want = vec![("budget", "", "1234567.891")];
    want.extend_from_slice(BILINGUAL);
    assert_eq!(got, want);
    assert_eq!(rows.len(), report.catalog.metrics.len());

    let by_id: BTreeMap<&str, &MetricRow> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let budget = by_id["budget"];
    assert_eq!(
        (budget.previous.as_str(), budget.change.as_str()),
        ("1000000", "-0.05")
    );
    let kits = by_id["kits"];
    assert_eq!(
        (kits.unit.as_str(), kits.approx.as_str()),
        ("count", "over")
    );
    assert_eq!(kits.unit_text["zh"], "顶（包）");
    assert_eq!(kits.labels["zh"], "救灾包");
    assert_eq!(by_id["households"].unit_text["en"], "households");
    assert_eq!(by_id["relief_cash"].change, "0.401");
    assert!(by_id["funds_raised"].unit_text.is_empty());

    let langs = codes(&report);
    let csv = data::year_csv(&rows, &langs);
    let text = std::str::from_utf8(csv.strip_prefix(data::BOM).unwrap()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,chapter,label_zh,label_en,value,unit,unit_zh,unit_en,approx,previous,change"
    );
    assert_eq!(
        lines[1],
        "budget,,预算，总计,\"Budget, \"\"total\"\"\",1234567.891,cny,,,,1000000,-0.05"
    );
    assert_eq!(
        lines[3],
        "kits,relief,救灾包,Relief kits,3000,count,顶（包）,tents and kits,over,,"
    );
    // Header, one line per metric, and the empty string after the last CRLF.
    assert_eq!(lines.len(), rows.len() + 2);

    let json: serde_json::Value =
        serde_json::from_slice(&data::year_json(&report.year, &rows, &langs)).unwrap();
    assert_eq!(json["year"], "2021");
    let metrics = json["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), rows.len());
    assert_eq!(metrics[0]["value"], serde_json::json!(1234567.891));
    assert_eq!(metrics[0]["change"], serde_json::json!(-0.05));
    assert_eq!(metrics[1]["value"], serde_json::json!(253620000));
    assert_eq!(metrics[1]["approx"], serde_json::Value::Null);
}

#[test]
fn a_single_language_report_has_one_column_per_language() {
    let site = Site::fixture("english-only");
    let report = report_of(&site);
    let langs = codes(&report);
    assert_eq!(langs, ["en"]);
    let rows = data::rows(&report);
    let one = rows.iter().find(|r| r.id == "one_project").unwrap();
    // The noun in the form the value takes.
    assert_eq!(one.unit_text["en"], "project");
    let growth = rows.iter().find(|r| r.id == "growth").unwrap();
    assert_eq!(
        (growth.unit.as_str(), growth.value.as_str()),
        ("percent", "0.125")
    );
    let csv = data::year_csv(&rows, &langs);
    let text = std::str::from_utf8(csv.strip_prefix(data::BOM).unwrap()).unwrap();
    assert!(
        text.starts_with("id,chapter,label_en,value,unit,unit_en,approx,previous,change\r\n"),
        "{text}"
    );
    for line in text.lines().skip(1) {
        // Nine columns: no field of this fixture holds a comma.
        assert_eq!(line.split(',').count(), 9, "{line}");
    }
    let series = data::series_csv(
        &[("2020".into(), rows.clone()), ("2021".into(), rows.clone())],
        &langs,
    );
    let text = std::str::from_utf8(series.strip_prefix(data::BOM).unwrap()).unwrap();
    assert_eq!(text.lines().count(), 1 + 2 * rows.len());
    assert!(text.starts_with("year,id,chapter,label_en,"));
}
