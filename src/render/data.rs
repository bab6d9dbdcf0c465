//! Open data: every metric of a report as CSV and JSON, for readers who
//! want the numbers rather than the prose. Each year writes
//! `/<year>/data/metrics.csv` and `/<year>/data/metrics.json`; a series
//! writes `/data/metrics.csv` with one row per year and metric.
//!
//! Values are written exactly as the author gave them (every digit, `.` as
//! the decimal point, no grouping), in base units: yuan, people, ml, m², and
//! a ratio for `percent` (0.401 is 40.1%), as in `metrics.yaml`. CSV is
//! UTF-8 with a byte-order mark, so spreadsheet programs read Chinese labels
//! correctly, and follows RFC 4180 (CRLF line ends, quoted fields).
//!
//! Pure: the functions return bytes; writing them is the output stage's work.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use icu_plurals::PluralCategory;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::model::metric::{ChangeKind, Metric, Unit};
use crate::model::number::{Approx, Decimal};
use crate::model::report::Report;

/// The UTF-8 byte-order mark that starts every CSV file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One metric as a row of the open data files: text only, exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricRow {
    /// Metric id.
    pub id: String,
    /// Slug of the chapter whose `metrics.yaml` defines it; empty for a
    /// metric defined outside every chapter.
    pub chapter: String,
    /// Label per language code.
    pub labels: BTreeMap<String, String>,
    /// The exact value, every digit (`253620000`, `0.401`, `-3.5`).
    pub value: String,
    /// `cny`, `percent`, `ml`, `m2`, or `count` for a counted noun.
    pub unit: String,
    /// For `count`: the noun per language, in the form the value takes
    /// ("人", "people"; "household" for exactly 1). Empty otherwise.
    pub unit_text: BTreeMap<String, String>,
    /// `over`, `nearly`, or empty when the value is stated exactly.
    pub approx: String,
    /// Last year's value, exact; empty when not given.
    pub previous: String,
    /// Change on last year as a ratio as written (`0.401`); empty when not given.
    pub change: String,
    /// True when `change` is a difference of percentages (percentage points).
    pub change_in_points: bool,
}

impl MetricRow {
    /// The row of one metric; `chapter` is the slug of its chapter or "".
    pub fn of(metric: &Metric, chapter: &str) -> Self {
        let (unit, unit_text) = match &metric.unit {
            Unit::Currency(code) => (code.as_str(), BTreeMap::new()),
            Unit::Percent => ("percent", BTreeMap::new()),
            Unit::Ml => ("ml", BTreeMap::new()),
            Unit::M2 => ("m2", BTreeMap::new()),
            Unit::Noun(nouns) => {
                let one = metric.value.is_one();
                let words = nouns
                    .iter()
                    .map(|(lang, noun)| {
                        let form = if one {
                            PluralCategory::One
                        } else {
                            PluralCategory::Other
                        };
                        (lang.clone(), noun.get(form).to_string())
                    })
                    .collect();
                ("count", words)
            }
        };
        let approx = match metric.approx {
            Some(Approx::Over) => "over",
            Some(Approx::Nearly) => "nearly",
            None => "",
        };
        let plain = |d: &Option<Decimal>| d.as_ref().map(Decimal::to_string).unwrap_or_default();
        Self {
            id: metric.id.clone(),
            chapter: chapter.to_string(),
            labels: metric.label.0.clone(),
            // Display writes every digit with `.` and no grouping.
            value: metric.value.to_string(),
            unit: unit.to_string(),
            unit_text,
            approx: approx.to_string(),
            previous: plain(&metric.previous),
            change: plain(&metric.change),
            change_in_points: metric.change_kind == ChangeKind::Points,
        }
    }
}

/// Every metric of the report, one row each: first the metrics defined
/// outside every chapter, then chapter by chapter in chapter order; within
/// a file in the order written (line, then column). Deterministic.
pub fn rows(report: &Report) -> Vec<MetricRow> {
    // A metrics file is at the top of its chapter's folder.
    let chapters: HashMap<&Path, (usize, &str)> = report
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.dir.as_path(), (i + 1, c.slug.as_str())))
        .collect();
    let mut placed: Vec<(usize, &Metric, &str)> = report
        .catalog
        .metrics
        .values()
        .map(|m| {
            let folder = m.origin.file.parent();
            let (position, slug) = folder
                .and_then(|f| chapters.get(f))
                .copied()
                .unwrap_or((0, ""));
            (position, m, slug)
        })
        .collect();
    fn written_at(m: &Metric) -> (&std::path::Path, usize, usize, &str) {
        (&m.origin.file, m.origin.line, m.origin.col, &m.id)
    }
    placed.sort_by(|(a_pos, a, _), (b_pos, b, _)| {
        (a_pos, written_at(a)).cmp(&(b_pos, written_at(b)))
    });
    placed
        .into_iter()
        .map(|(_, m, chapter)| MetricRow::of(m, chapter))
        .collect()
}

/// `/<year>/data/metrics.csv`: a BOM, then the header
/// `id,chapter,label_<lang>…,value,unit,unit_<lang>…,approx,previous,change`
/// (one label and one unit column per language, in `languages` order),
/// then one line per row.
pub fn year_csv(rows: &[MetricRow], languages: &[String]) -> Vec<u8> {
    let mut out = BOM.to_vec();
    record(&mut out, header(languages).iter().map(String::as_str));
    for row in rows {
        record(&mut out, fields(row, languages));
    }
    out
}

/// `/data/metrics.csv` of a series: as [`year_csv`] with a first `year`
/// column, one line per year and metric, years in the order given.
pub fn series_csv(years: &[(String, Vec<MetricRow>)], languages: &[String]) -> Vec<u8> {
    let mut csv = SeriesCsv::new(languages);
    for (year, rows) in years {
        csv.add_year(year, rows);
    }
    csv.finish()
}

/// The series' CSV written a year at a time ([`series_csv`]): a build
/// holds its text, not every year's rows.
#[derive(Debug, Clone)]
pub struct SeriesCsv {
    bytes: Vec<u8>,
    languages: Vec<String>,
}

impl SeriesCsv {
    /// The BOM and the header, with label and unit columns for `languages`.
    pub fn new(languages: &[String]) -> Self {
        let mut bytes = BOM.to_vec();
        let head = header(languages);
        record(
            &mut bytes,
            std::iter::once("year").chain(head.iter().map(String::as_str)),
        );
        Self {
            bytes,
            languages: languages.to_vec(),
        }
    }

    /// Adds a year's rows.
    pub fn add_year(&mut self, year: &str, rows: &[MetricRow]) {
        for row in rows {
            record(
                &mut self.bytes,
                std::iter::once(year).chain(fields(row, &self.languages)),
            );
        }
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

fn header(languages: &[String]) -> Vec<String> {
    let mut head = vec!["id".to_string(), "chapter".to_string()];
    head.extend(languages.iter().map(|l| format!("label_{l}")));
    head.extend(["value", "unit"].map(String::from));
    head.extend(languages.iter().map(|l| format!("unit_{l}")));
    head.extend(["approx", "previous", "change"].map(String::from));
    head
}

fn fields<'a>(row: &'a MetricRow, languages: &'a [String]) -> impl Iterator<Item = &'a str> {
    let per_lang = |map: &'a BTreeMap<String, String>| {
        languages
            .iter()
            .map(move |l| map.get(l).map_or("", String::as_str))
    };
    [row.id.as_str(), row.chapter.as_str()]
        .into_iter()
        .chain(per_lang(&row.labels))
        .chain([row.value.as_str(), row.unit.as_str()])
        .chain(per_lang(&row.unit_text))
        .chain([
            row.approx.as_str(),
            row.previous.as_str(),
            row.change.as_str(),
        ])
}

/// Appends one CSV record with its CRLF. Quoting by RFC 4180 is written
/// here rather than taken from the `csv` crate: nianbao only writes CSV,
/// never reads it, and writing is the one rule below (quote a field holding
/// a comma, quote, CR or LF; double its quotes), not worth a dependency.
/// Fields are not altered otherwise: a label starting with `=` stays as the
/// author wrote it (labels are the author's own text, and a value such as
/// `-3.5` must stay a number).
fn record<'a>(out: &mut Vec<u8>, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push(b'"');
            out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(field.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// `/<year>/data/metrics.json`, pretty-printed:
///
/// ```json
/// { "year": "2020", "languages": ["zh", "en"],
///   "metrics": [ { "id": "kits", "chapter": "relief",
///                  "label": { "zh": "救灾包", "en": "Relief kits" },
///                  "value": 3000, "unit": "count",
///                  "unit_text": { "zh": "顶", "en": "kits" },
///                  "approx": "over", "previous": null, "change": 0.401 } ] }
/// ```
///
/// `label` and `unit_text` list languages in `languages` order (`unit_text`
/// is `{}` except for `count`). Absent `approx`, `previous` and `change`
/// are `null`. A `change` in percentage points (of a percentage, as a
/// difference of ratios: 0.021 for +2.1 points) comes with
/// `"change_kind": "points"`.
///
/// Numbers (`value`, `previous`, `change`) are JSON numbers when a reader
/// parsing them as IEEE doubles (as JavaScript and Python do) gets exactly
/// the digits the author wrote: the number is written, read back and
/// compared, and integers beyond 2^53 are excluded. That holds for every
/// value with at most 15 significant digits, that is every realistic
/// figure of a report. A value that would not survive (`12345678901234567`)
/// is a JSON string of its exact digits instead, so the file never states
/// a number the report does not; the CSV always has every digit.
pub fn year_json(year: &str, rows: &[MetricRow], languages: &[String]) -> Vec<u8> {
    let file = JsonFile {
        year,
        languages,
        metrics: rows
            .iter()
            .map(|row| JsonMetric {
                id: &row.id,
                chapter: &row.chapter,
                label: PerLanguage(languages, &row.labels),
                value: json_number(&row.value),
                unit: &row.unit,
                unit_text: PerLanguage(languages, &row.unit_text),
                approx: (!row.approx.is_empty()).then_some(row.approx.as_str()),
                previous: (!row.previous.is_empty()).then(|| json_number(&row.previous)),
                change: (!row.change.is_empty()).then(|| json_number(&row.change)),
                change_kind: row.change_in_points.then_some("points"),
            })
            .collect(),
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_vec_pretty(&file).unwrap_or_default();
    out.push(b'\n');
    out
}

#[derive(Serialize)]
struct JsonFile<'a> {
    year: &'a str,
    languages: &'a [String],
    metrics: Vec<JsonMetric<'a>>,
}

#[derive(Serialize)]
struct JsonMetric<'a> {
    id: &'a str,
    chapter: &'a str,
    label: PerLanguage<'a>,
    value: serde_json::Value,
    unit: &'a str,
    unit_text: PerLanguage<'a>,
    approx: Option<&'a str>,
    previous: Option<serde_json::Value>,
    change: Option<serde_json::Value>,
    /// `"points"` when `change` is in percentage points; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    change_kind: Option<&'a str>,
}

/// A map of text per language, serialized in the report's language order
/// (a `BTreeMap` would put `en` before `zh`). Languages without text are left out.
struct PerLanguage<'a>(&'a [String], &'a BTreeMap<String, String>);

impl Serialize for PerLanguage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present: Vec<(&String, &String)> = self
            .0
            .iter()
            .filter_map(|l| self.1.get(l).map(|t| (l, t)))
            .collect();
        let mut map = serializer.serialize_map(Some(present.len()))?;
        for (lang, text) in present {
            map.serialize_entry(lang, text)?;
        }
        map.end()
    }
}

/// Largest integer up to which every integer is an IEEE double: 2^53.
const SAFE_INTEGER: u64 = 1 << 53;

/// `exact` as a JSON number when a double reads back exactly those digits,
/// else as a string (see [`year_json`]).
fn json_number(exact: &str) -> serde_json::Value {
    let as_string = || serde_json::Value::String(exact.to_string());
    let (Some(decimal), Ok(float)) = (Decimal::parse(exact), exact.parse::<f64>()) else {
        return as_string();
    };
    if !float.is_finite() {
        return as_string();
    }
    if decimal.decimals() == 0 {
        // Integers are written without ".0", when every neighbour is distinct.
        return match exact.parse::<i64>() {
            Ok(int) if int.unsigned_abs() <= SAFE_INTEGER => serde_json::Value::from(int),
            _ => as_string(),
        };
    }
    let number = serde_json::Value::from(float);
    let written = number.to_string();
    if Decimal::parse(&written).as_ref() == Some(&decimal) {
        number
    } else {
        as_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(codes: &[&str]) -> Vec<String> {
        codes.iter().map(ToString::to_string).collect()
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn row(id: &str, zh: &str, en: &str, value: &str) -> MetricRow {
        MetricRow {
            id: id.into(),
            chapter: "relief".into(),
            labels: map(&[("zh", zh), ("en", en)]),
            value: value.into(),
            unit: "cny".into(),
            unit_text: BTreeMap::new(),
            approx: String::new(),
            previous: String::new(),
            change: String::new(),
            change_in_points: false,
        }
    }

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes.strip_prefix(BOM).expect("no BOM")).unwrap()
    }

    #[test]
    fn csv_starts_with_a_bom_and_a_header_in_language_order() {
        let out = year_csv(&[], &langs(&["zh", "en"]));
        assert!(out.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(
            text(&out),
            "id,chapter,label_zh,label_en,value,unit,unit_zh,unit_en,approx,previous,change\r\n"
        );
        let out = year_csv(&[], &langs(&["en", "fr", "zh"]));
        assert_eq!(
            text(&out),
            "id,chapter,label_en,label_fr,label_zh,value,unit,unit_en,unit_fr,unit_zh,approx,previous,change\r\n"
        );
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks() {
        let rows = [
            row("a", "募集资金，合计", "Funds, total", "253620000"),
            row("b", "“引号”", "The \"kits\"", "-3.5"),
            row("c", "两行\n文字", "two\r\nlines", "0.401"),
        ];
        let out = year_csv(&rows, &langs(&["zh", "en"]));
        let lines: Vec<&str> = text(&out).split_inclusive("\r\n").collect();
        assert_eq!(
            lines[1..],
            [
                // A Chinese comma is not a separator: not quoted.
                "a,relief,募集资金，合计,\"Funds, total\",253620000,cny,,,,,\r\n",
                "b,relief,“引号”,\"The \"\"kits\"\"\",-3.5,cny,,,,,\r\n",
                "c,relief,\"两行\n文字\",\"two\r\n",
                "lines\",0.401,cny,,,,,\r\n",
            ]
        );
    }

    #[test]
    fn a_single_language_report_has_one_label_and_one_unit_column() {
        let mut r = row("v", "", "Volunteers", "22959");
        r.labels = map(&[("en", "Volunteers")]);
        r.unit = "count".into();
        r.unit_text = map(&[("en", "volunteers")]);
        r.approx = "over".into();
        r.previous = "16384".into();
        r.change = "0.401".into();
        let out = year_csv(&[r], &langs(&["en"]));
        assert_eq!(
            text(&out),
            "id,chapter,label_en,value,unit,unit_en,approx,previous,change\r\n\
             v,relief,Volunteers,22959,count,volunteers,over,16384,0.401\r\n"
        );
    }

    #[test]
    fn series_csv_has_a_year_column_and_years_in_order() {
        let years = vec![
            ("2021".to_string(), vec![row("a", "甲", "A", "2")]),
            (
                "2020".to_string(),
                vec![row("a", "甲", "A", "1"), row("b", "乙", "B", "5")],
            ),
        ];
        let out = series_csv(&years, &langs(&["zh", "en"]));
        assert!(out.starts_with(BOM));
        assert_eq!(
            text(&out),
            "year,id,chapter,label_zh,label_en,value,unit,unit_zh,unit_en,approx,previous,change\r\n\
             2021,a,relief,甲,A,2,cny,,,,,\r\n\
             2020,a,relief,甲,A,1,cny,,,,,\r\n\
             2020,b,relief,乙,B,5,cny,,,,,\r\n"
        );
    }

    #[test]
    fn json_lists_languages_in_order_and_nulls_what_is_absent() {
        let mut r = row("kits", "救灾包，\"顶\"", "Relief kits\nnew", "3000");
        r.unit = "count".into();
        r.unit_text = map(&[("zh", "顶"), ("en", "kits")]);
        r.approx = "over".into();
        r.change = "0.401".into();
        let out = year_json("2020", &[r], &langs(&["zh", "en"]));
        let text = std::str::from_utf8(&out).unwrap();
        // Language order, not alphabetical.
        assert!(
            text.find("\"zh\": \"顶\"").unwrap() < text.find("\"en\": \"kits\"").unwrap(),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "year": "2020",
                "languages": ["zh", "en"],
                "metrics": [{
                    "id": "kits",
                    "chapter": "relief",
                    "label": { "zh": "救灾包，\"顶\"", "en": "Relief kits\nnew" },
                    "value": 3000,
                    "unit": "count",
                    "unit_text": { "zh": "顶", "en": "kits" },
                    "approx": "over",
                    "previous": null,
                    "change": 0.401
                }]
            })
        );
        let mut plain = row("a", "甲", "A", "1");
        plain.labels = map(&[("en", "A")]);
        let out = year_json("2020", &[plain], &langs(&["en"]));
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["metrics"][0]["unit_text"], serde_json::json!({}));
        assert_eq!(
            json["metrics"][0]["label"],
            serde_json::json!({ "en": "A" })
        );
    }

    #[test]
    fn json_numbers_keep_every_digit_or_become_strings() {
        let written = |v: &str| json_number(v).to_string();
        assert_eq!(written("253620000"), "253620000");
        assert_eq!(written("-3.5"), "-3.5");
        assert_eq!(written("0.401"), "0.401");
        assert_eq!(written("0"), "0");
        assert_eq!(written("123456789012.345"), "123456789012.345");
        assert_eq!(written("9007199254740992"), "9007199254740992");
        // Beyond 2^53 a double reads back another integer.
        assert_eq!(written("9007199254740993"), "\"9007199254740993\"");
        // 17 significant digits do not survive a double.
        assert_eq!(written("0.12345678901234567"), "\"0.12345678901234567\"");
        assert_eq!(
            written("123456789012345678901234567890"),
            "\"123456789012345678901234567890\""
        );
    }
}
