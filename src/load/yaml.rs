//! Every serde_yaml call of nianbao, and the raw (unvalidated) shapes of
//! `report.yaml`, `metrics.yaml` and front matter. Unknown keys are errors.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

mod expansion;

/// Text in every language: a map from language code to text, or one string
/// used for all languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawText {
    /// The same text in every language.
    Same(String),
    /// One text per language code.
    PerLanguage(BTreeMap<String, String>),
}

/// A year: a number or a text such as "2020–2021".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawYear {
    /// 2020
    Number(i64),
    /// "2020/21"
    Text(String),
}

/// `content/report.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    /// Language codes; the first is the default. Required, except in a
    /// year of a series, which inherits the series' languages.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// The report's year. Required, except in a year of a series, whose
    /// folder names it.
    #[serde(default)]
    pub year: Option<RawYear>,
    /// Headline. Required.
    #[serde(default)]
    pub title: Option<RawText>,
    /// Subtitle under the headline.
    #[serde(default)]
    pub subtitle: Option<RawText>,
    /// Publishing organisation.
    #[serde(default)]
    pub organization: Option<RawText>,
    /// Short description for search engines and link previews.
    #[serde(default)]
    pub description: Option<RawText>,
    /// Where the site will be published ("/" or "https://example.org/report/").
    #[serde(default)]
    pub base_url: Option<String>,
    /// Custom domain of the published site (`report.example.org`), written
    /// to `CNAME` by `publish --git-branch`.
    #[serde(default)]
    pub domain: Option<String>,
    /// Theme folder name under `themes/`.
    #[serde(default)]
    pub theme: Option<String>,
    /// Metric ids shown as cover cards.
    #[serde(default)]
    pub highlights: Vec<String>,
    /// The photo on the cover, also the pages' link-preview image.
    #[serde(default)]
    pub cover_photo: Option<String>,
    /// Photos shown together on the cover.
    #[serde(default)]
    pub gallery: Vec<String>,
    /// How currencies are written: `code`, `symbol` or `name`, for every
    /// language or per language.
    #[serde(default)]
    pub money: Option<RawMoney>,
    /// Decimals of the compact unit money is rounded to in prose.
    #[serde(default)]
    pub precision: Option<u8>,
    /// The organisation's accent colour and logo. A year of a series
    /// without one takes the series' (see `model::brand`).
    #[serde(default)]
    pub brand: Option<RawBrand>,
    /// Reader search (`search: false` turns it off; on by default).
    #[serde(default)]
    pub search: Option<bool>,
}

/// `brand:` as written in report.yaml or series.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBrand {
    /// A CSS hex colour, `#rgb` or `#rrggbb` (quoted: `#` starts a YAML comment).
    #[serde(default)]
    pub accent: Option<String>,
    /// The logo, an SVG or PNG file, relative to the folder of the file
    /// that names it (`content/`).
    #[serde(default)]
    pub logo: Option<String>,
}

impl RawReport {
    /// Takes what the series sets and this year's report.yaml leaves out:
    /// where a year sets a key, the year's value wins.
    pub fn inherit(&mut self, series: &RawSeries) {
        let languages = self
            .languages
            .get_or_insert_with(|| series.languages.clone())
            .clone();
        // A year with fewer languages takes the series' texts in its own.
        let text = |t: &Option<RawText>| t.as_ref().map(|t| t.only(&languages));
        self.organization = self
            .organization
            .take()
            .or_else(|| text(&series.organization));
        self.description = self
            .description
            .take()
            .or_else(|| text(&series.description));
        self.theme = self.theme.take().or_else(|| series.theme.clone());
        self.money = self.money.take().or_else(|| series.money.clone());
        self.precision = self.precision.or(series.precision);
    }
}

impl RawText {
    /// The text in `languages` only.
    fn only(&self, languages: &[String]) -> Self {
        match self {
            Self::Same(s) => Self::Same(s.clone()),
            Self::PerLanguage(map) => Self::PerLanguage(
                map.iter()
                    .filter(|(k, _)| languages.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        }
    }
}

/// `content/series.yaml` as written: what every year of a series shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeries {
    /// Language codes; the first is the default (served at `/`).
    pub languages: Vec<String>,
    /// The series' headline ("Annual reports").
    pub title: RawText,
    /// Subtitle under the headline.
    #[serde(default)]
    pub subtitle: Option<RawText>,
    /// Publishing organisation, inherited by every year.
    #[serde(default)]
    pub organization: Option<RawText>,
    /// Short description for search engines and link previews.
    #[serde(default)]
    pub description: Option<RawText>,
    /// Where the series is published.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Custom domain of the published site.
    #[serde(default)]
    pub domain: Option<String>,
    /// Theme folder name under `themes/`, inherited by every year.
    #[serde(default)]
    pub theme: Option<String>,
    /// Metric ids drawn across the years on the series home.
    #[serde(default)]
    pub trends: Vec<String>,
    /// How currencies are written, inherited by every year.
    #[serde(default)]
    pub money: Option<RawMoney>,
    /// Money rounding in prose, inherited by every year.
    #[serde(default)]
    pub precision: Option<u8>,
    /// Accent colour and logo of the series home, and of every year that
    /// sets none of its own.
    #[serde(default)]
    pub brand: Option<RawBrand>,
    /// Reader search (`search: false` turns it off; on by default).
    #[serde(default)]
    pub search: Option<bool>,
}

/// `money:` as written: one style for every language, or one per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawMoney {
    /// `money: symbol`.
    Same(Money),
    /// `money: { en: symbol, fr: name }`.
    PerLanguage(BTreeMap<String, Money>),
}

/// A `metrics.yaml` file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetricsFile {
    /// Numbers.
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    /// Charts over those numbers.
    #[serde(default)]
    pub charts: Vec<RawChart>,
    /// Photos of the chapter.
    #[serde(default)]
    pub photos: Vec<RawPhoto>,
}

/// One photo as written in a chapter's `metrics.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhoto {
    /// `[a-z0-9_]+`, unique in the report.
    pub id: String,
    /// The file beside the chapter's metrics.yaml; without one the photo
    /// is its caption only (a photo still to come).
    #[serde(default)]
    pub file: Option<String>,
    /// What the photo shows, for readers who cannot see it.
    #[serde(default)]
    pub alt: Option<RawText>,
    /// Caption under the photo.
    #[serde(default)]
    pub caption: Option<RawText>,
    /// Who took it.
    #[serde(default)]
    pub credit: Option<RawText>,
}

/// One metric as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// `[a-z0-9_]+`, unique in the report.
    pub id: String,
    /// What the number counts.
    pub label: RawText,
    /// The value in base units; left empty (`value:`) in a year started by
    /// `add-year` until the author fills it in.
    #[serde(default)]
    pub value: Option<serde_yaml::Number>,
    /// `cny`, `percent`, `ml`, `m2` or a noun map.
    pub unit: serde_yaml::Value,
    /// over / nearly.
    #[serde(default)]
    pub approx: Option<Approx>,
    /// Change on last year as a ratio (a difference of ratios with
    /// `change_kind: points`).
    #[serde(default)]
    pub change: Option<serde_yaml::Number>,
    /// Whether `change` is relative (the default) or in percentage points.
    #[serde(default)]
    pub change_kind: Option<ChangeKind>,
    /// Last year's value.
    #[serde(default)]
    pub previous: Option<serde_yaml::Number>,
    /// Per-language style override.
    #[serde(default)]
    pub display: BTreeMap<String, Style>,
    /// Footnote.
    #[serde(default)]
    pub note: Option<RawText>,
}

/// How large numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// All digits: 22959 / 22,959.
    Plain,
    /// In units of 10⁴: 895.9万.
    Wan,
    /// In units of 10⁸: 1.26亿.
    Yi,
    /// In millions: 8.959 million.
    Million,
    /// In billions.
    Billion,
}

impl<'de> Deserialize<'de> for RawMoney {
    // By hand rather than untagged, so a wrong style is named where it is
    // written ("unknown variant `dollars`, expected one of `code`…").
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Styles;
        impl<'de> serde::de::Visitor<'de> for Styles {
            type Value = RawMoney;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("code, symbol or name, or a map from language to one of them")
            }
            fn visit_str<E: serde::de::Error>(self, style: &str) -> Result<RawMoney, E> {
                use serde::de::IntoDeserializer;
                Money::deserialize(style.into_deserializer()).map(RawMoney::Same)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawMoney, A::Error> {
                let map = serde::de::value::MapAccessDeserializer::new(map);
                BTreeMap::deserialize(map).map(RawMoney::PerLanguage)
            }
        }
        deserializer.deserialize_any(Styles)
    }
}

/// How a currency is written beside its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Money {
    /// The ISO 4217 code: "USD 14.23 million", "14,23 millions USD".
    #[default]
    Code,
    /// The CLDR symbol: "US$14.23 million".
    Symbol,
    /// The CLDR name: "1423万美元", "14.23 million US dollars".
    Name,
}

/// What a metric's `change` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A ratio of last year's value: 0.124 for +12.4%.
    #[default]
    Relative,
    /// A difference of two percentages: 0.021 for +2.1 percentage points.
    Points,
}

/// An approximation the source states: 余/多 or 近.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Approx {
    /// 余, 多: "over".
    Over,
    /// 近: "nearly".
    Nearly,
}

/// Chart types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars.
    Bar,
    /// Horizontal bars.
    Hbar,
    /// Bars in groups, one colour per key.
    GroupedBar,
    /// A ring of shares.
    Donut,
    /// Values over years.
    Line,
}

/// One chart as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChart {
    /// Unique chart id.
    pub id: String,
    /// bar, hbar, grouped_bar, donut, line.
    #[serde(rename = "type")]
    pub kind: ChartKind,
    /// Title (also the SVG's `<title>`).
    pub title: RawText,
    /// Metrics (bar, hbar, donut).
    #[serde(default)]
    pub series: Vec<RawSeriesItem>,
    /// Legend entries of a grouped bar chart.
    #[serde(default)]
    pub keys: Vec<RawText>,
    /// Groups of a grouped bar chart.
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    /// Points of a line chart.
    #[serde(default)]
    pub points: Vec<RawPoint>,
    /// A line chart of this metric id across the years of a series.
    #[serde(default)]
    pub years: Option<String>,
    /// The metric drawn in the accent colour.
    #[serde(default)]
    pub highlight: Option<String>,
    /// A note under the chart (e.g. the source).
    #[serde(default)]
    pub note: Option<RawText>,
}

/// A metric in a chart, with an optional shorter label.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawSeriesItem {
    /// Just the metric id.
    Id(String),
    /// The metric id and a label for this chart.
    Labelled {
        /// Metric id.
        metric: String,
        /// Label in the chart.
        label: RawText,
    },
}

/// A group of a grouped bar chart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// Group label on the axis.
    pub label: RawText,
    /// One metric per key.
    pub series: Vec<String>,
}

/// A point of a line chart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    /// Label on the x axis (a year).
    pub x: serde_yaml::Value,
    /// Metric id.
    pub metric: String,
}

/// Front matter of a Markdown file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    /// Page, chapter or section title (required).
    #[serde(default)]
    pub title: Option<String>,
    /// One-sentence summary (chapter list on the cover).
    #[serde(default)]
    pub summary: Option<String>,
    /// Short line above a chapter title.
    #[serde(default)]
    pub kicker: Option<String>,
    /// Leave the file out of the build.
    #[serde(default)]
    pub draft: bool,
    /// The title was supplied by the editor, not by the source.
    #[serde(default)]
    pub title_by_editor: bool,
    /// The chapter's lead (the text of its `_index`) was written by the
    /// editor, not taken from the source.
    #[serde(default)]
    pub lead_by_editor: bool,
    /// In a translation: the source's stamp when it was translated
    /// (`nianbao check` flags the translation once the source changes).
    #[serde(default)]
    pub translated_from: Option<String>,
}

/// Parses YAML text into `T`, turning a failure into a diagnostic at the
/// right line and column. `line_offset` is added to the line (front matter
/// starts below the opening `---`). A file whose aliases would expand it
/// beyond a bound is refused before anything is built from it.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    expansion::check(text, file, line_offset)?;
    // An empty document is `null`; give each type the chance to be empty.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|err| {
        let (mut line, mut col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
        let (mut message, hint) = describe(&err);
        // serde_yaml places an untagged value's error at the start of the
        // enclosing map, without the key: find the value itself.
        if let Some((key, at)) = untagged_culprit(text, &err.to_string()) {
            (line, col) = at;
            message = match message.split_once(": expected ") {
                Some((path, rest)) => format!("{path}.{key}: expected {rest}"),
                None => format!("{key}: {message}"),
            };
        }
        let diagnostic = Diagnostic::error(file, line + line_offset, col, message);
        match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    })
}

/// serde_yaml's message in an author's words, without its trailing "at
/// line L column C" (nianbao shows positions its own way), and a hint on
/// how to fix the usual causes.
fn describe(err: &serde_yaml::Error) -> (String, Option<String>) {
    let message = plain_words(&without_positions(&err.to_string()));
    let (message, hint) = match untagged_expectation(&message) {
        Some((at, expected)) => (format!("{at}expected {expected}"), None),
        None => {
            let hint = syntax_hint(&message).map(String::from);
            (message, hint)
        }
    };
    let hint = hint.or_else(|| field_hint(&message));
    (message, hint)
}

/// Drops every " at line L column C" from serde_yaml's message.
fn without_positions(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let skip = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(tail.len());
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

/// Names the shapes nianbao expects instead of its internal type names.
fn plain_words(message: &str) -> String {
    [
        (
            "struct RawMetricsFile",
            "a map with `metrics:` and `charts:` lists",
        ),
        (
            "struct RawReport",
            "a map of report settings (languages:, year:, title:, …)",
        ),
        (
            "struct RawFrontMatter",
            "front matter keys (title:, summary:, …)",
        ),
        (
            "struct RawMetric",
            "a metric (id:, label:, value:, unit:, …)",
        ),
        (
            "struct RawChart",
            "a chart (id:, type:, title:, series:, …)",
        ),
        ("struct RawGroup", "a group (label:, series:)"),
        (
            "struct RawBrand",
            "a brand (accent: \"#0b6e4f\", logo: assets/logo.svg)",
        ),
        ("struct RawPoint", "a point ({ x: 2020, metric: ID })"),
        (
            "recursion limit exceeded",
            "lists and maps are nested more than 128 levels deep",
        ),
        (
            "repetition limit exceeded",
            "YAML aliases (*name) are expanded too many times",
        ),
    ]
    .into_iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

/// What a value of an untagged enum may be, in place of serde's "data did
/// not match any variant of untagged enum RawText".
fn untagged_expectation(message: &str) -> Option<(&str, &'static str)> {
    let at = message.find("data did not match any variant of untagged enum ")?;
    let name = message[at..].split_whitespace().nth(9).unwrap_or("");
    let expected = match name.trim_end_matches(':') {
        "RawText" => "text, or a map from language code to text such as { zh: \"…\", en: \"…\" }",
        "RawYear" => "a year such as 2020, or text such as \"2020–2021\"",
        "RawSeriesItem" => "a metric id, or { metric: ID, label: { zh: \"…\", en: \"…\" } }",
        _ => "a different kind of value here",
    };
    Some((&message[..at], expected))
}

/// The key whose value does not fit an untagged enum, and its position:
/// the first such value in document order.
fn untagged_culprit(text: &str, message: &str) -> Option<(String, (usize, usize))> {
    let at = message.find("untagged enum ")?;
    let name = message[at + "untagged enum ".len()..]
        .split(|c: char| !c.is_alphanumeric())
        .next()?;
    let (keys, fits): (&[&str], fn(&serde_yaml::Value) -> bool) = match name {
        "RawText" => (
            &[
                "title",
                "subtitle",
                "organization",
                "description",
                "label",
                "note",
                "keys",
            ],
            |v| serde_yaml::from_value::<RawText>(v.clone()).is_ok(),
        ),
        "RawYear" => (&["year"], |v| {
            serde_yaml::from_value::<RawYear>(v.clone()).is_ok()
        }),
        "RawSeriesItem" => (&["series"], |v| {
            serde_yaml::from_value::<RawSeriesItem>(v.clone()).is_ok()
        }),
        _ => return None,
    };
    let doc: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let key = find_misfit(&doc, keys, fits, &mut seen)?;
    let nth = seen.get(&key).map_or(0, |n| n.saturating_sub(1));
    let position = crate::load::locate::key(text, &key, nth);
    Some((key, position))
}

/// Depth-first, in document order: the first entry under one of `keys`
/// whose value (or, for a list, one of its items) does not `fit`.
/// `seen` counts the entries met per key, to locate the nth in the text.
fn find_misfit(
    value: &serde_yaml::Value,
    keys: &[&str],
    fits: fn(&serde_yaml::Value) -> bool,
    seen: &mut BTreeMap<String, usize>,
) -> Option<String> {
    match value {
        serde_yaml::Value::Mapping(map) => map.iter().find_map(|(k, v)| {
            let key = k.as_str()?;
            if keys.contains(&key) {
                *seen.entry(key.to_string()).or_insert(0) += 1;
                let bad = match v {
                    serde_yaml::Value::Sequence(items) if matches!(key, "keys" | "series") => {
                        !items.iter().all(fits)
                    }
                    _ => !fits(v),
                };
                if bad {
                    return Some(key.to_string());
                }
            }
            find_misfit(v, keys, fits, seen)
        }),
        serde_yaml::Value::Sequence(items) => {
            items.iter().find_map(|v| find_misfit(v, keys, fits, seen))
        }
        _ => None,
    }
}

/// How to fix the YAML syntax errors authors make most.
fn syntax_hint(message: &str) -> Option<&'static str> {
    let hints = [
        (
            "expected ',' or ']'",
            "a list opened with `[` is not closed: add `]` (on this line or the one above), and separate items with commas",
        ),
        (
            "expected ',' or '}'",
            "a map opened with `{` is not closed: add `}` (on this line or the one above), and separate entries with commas",
        ),
        (
            "quoted scalar",
            "a quoted text is never closed: add the closing quote at its end",
        ),
        (
            "mapping values are not allowed",
            "text that contains `: ` must be quoted, for example title: \"Relief: 2020\"; or check the indentation",
        ),
        (
            "cannot start any token",
            "indent with spaces, not tabs; text starting with @, ` or % must be quoted",
        ),
        (
            "did not find expected key",
            "check the indentation: the keys of one item line up under each other",
        ),
        (
            "did not find expected '-' indicator",
            "check the indentation: every item of a list starts with `- ` at the same column",
        ),
        ("expected a string", "write text, quoted if needed: \"…\""),
        (
            "nested more than 128 levels",
            "the files nianbao reads need a few levels at most: write this value with fewer lists and maps inside each other",
        ),
    ];
    hints
        .into_iter()
        .find(|(pattern, _)| message.contains(pattern))
        .map(|(_, hint)| hint)
}

/// A suggestion for a misspelt key or value (`unknown field`, `unknown
/// variant`), or the key to add for a missing one.
fn field_hint(message: &str) -> Option<String> {
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        return Some(format!(
            "add `{field}:` (docs/content-format.md lists every key)"
        ));
    }
    let rest = message
        .split("unknown field `")
        .nth(1)
        .or_else(|| message.split("unknown variant `").nth(1))?;
    let (written, expected) = rest.split_once("`, expected ")?;
    let known: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    match crate::error::closest(written, known.iter()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if known.is_empty() => None,
        None => Some(format!("write one of: {}", known.join(", "))),
    }
}

/// Renders a YAML scalar (a line chart's x label) as text.
pub fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let text = "languages: [en]\nyear: 2020\ntitle: X\ncolour: red\n";
        let err = parse::<RawReport>(text, Path::new("report.yaml"), 0).unwrap_err();
        assert_eq!((err.line, err.col), (4, 1));
        assert!(
            err.message.contains("unknown field `colour`"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("at line"));
        assert_eq!(
            err.hint.as_deref(),
            Some(
                "write one of: languages, year, title, subtitle, organization, description, base_url, domain, theme, highlights, cover_photo, gallery, money, precision, brand, search"
            )
        );
        let err =
            parse::<RawReport>("languages: [en]\nyaer: 2020\n", Path::new("r"), 0).unwrap_err();
        assert_eq!(err.hint.as_deref(), Some("did you mean `year`?"));
    }

    #[test]
    fn type_error_in_nested_value_points_inside() {
        let text = "metrics:\n  - id: a\n    label: A\n    value: lots\n    unit: cny\n";
        let err = parse::<RawMetricsFile>(text, Path::new("m.yaml"), 0).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("metrics[0].value"), "{}", err.message);
    }

    #[test]
    fn syntax_errors_get_a_hint_and_no_internal_names() {
        let err =
            parse::<RawReport>("languages: [zh, en\nyear: 2020\n", Path::new("r"), 0).unwrap_err();
        assert!(!err.message.contains("at line"), "{}", err.message);
        assert!(err.hint.unwrap_or_default().contains("not closed: add `]`"));
        let err = parse::<RawReport>("title: \"open\n", Path::new("r"), 0).unwrap_err();
        assert!(
            err.hint
                .unwrap_or_default()
                .contains("quoted text is never closed")
        );
        let err = parse::<RawMetricsFile>("- a\n- b\n", Path::new("m"), 0).unwrap_err();
        assert!(!err.message.contains("Raw"), "{}", err.message);
        assert!(err.message.contains("`metrics:`"), "{}", err.message);
        let text = "languages: [en]\nyear: 2020\ntitle: { en: [a, b] }\n";
        let err = parse::<RawReport>(text, Path::new("r"), 0).unwrap_err();
        assert!(
            err.message.contains("map from language code to text"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("untagged"), "{}", err.message);
        assert_eq!((err.line, err.col), (3, 1), "{}", err.message);
        assert!(
            err.message.starts_with("title: expected"),
            "{}",
            err.message
        );
        let text = "metrics:\n  - id: a\n    label: A\n    value: 1\n    unit: cny\n  - id: b\n    label: { en: { x: 1 } }\n    value: 1\n    unit: cny\n";
        let err = parse::<RawMetricsFile>(text, Path::new("m"), 0).unwrap_err();
        assert_eq!((err.line, err.col), (7, 5), "{}", err.message);
        assert!(
            err.message.starts_with("metrics[1].label: expected"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_explained() {
        let text = format!(
            "languages: [en]\nyear: 2020\ntitle: {}{}\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        let err = parse::<RawReport>(&text, Path::new("r"), 0).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.contains("nested more than 128 levels"),
            "{}",
            err.message
        );
        assert!(
            err.hint
                .unwrap_or_default()
                .contains("fewer lists and maps")
        );
    }

    #[test]
    fn aliases_that_expand_too_far_are_refused_before_parsing() {
        let text = format!(
            "languages: [en]\nyear: 2020\ntitle: X\ndomain: &s \"{}\"\nhighlights: [{}]\n",
            "x".repeat(1024 * 1024),
            vec!["*s"; 20].join(", ")
        );
        let err = parse::<RawReport>(&text, Path::new("content/report.yaml"), 0).unwrap_err();
        assert_eq!(err.line, 5, "{}", err.message);
        assert!(err.message.contains("beyond 16 MiB"), "{}", err.message);
        // Aliases within bounds still work.
        let text = "languages: &l [en]\nyear: 2020\ntitle: &t X\nsubtitle: *t\n";
        let report = parse::<RawReport>(text, Path::new("r"), 0).unwrap();
        assert_eq!(report.subtitle, Some(RawText::Same("X".into())));
    }

    #[test]
    fn empty_front_matter_is_empty() {
        let fm = parse::<RawFrontMatter>("", Path::new("a.md"), 1).unwrap();
        assert!(fm.title.is_none());
    }
}
