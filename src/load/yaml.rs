//! Every serde_yaml call of nianbao, and the raw (unvalidated) shapes of
//! `report.yaml`, `metrics.yaml` and front matter. Unknown keys are errors.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::Diagnostic;
use crate::model::number::{Approx, Style};

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
    /// Language codes; the first is the default.
    pub languages: Vec<String>,
    /// The report's year.
    pub year: RawYear,
    /// Headline.
    pub title: RawText,
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
}

/// One metric as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// `[a-z0-9_]+`, unique in the report.
    pub id: String,
    /// What the number counts.
    pub label: RawText,
    /// The value in base units.
    pub value: serde_yaml::Number,
    /// `cny`, `percent`, `ml`, `m2` or a noun map.
    pub unit: serde_yaml::Value,
    /// over / nearly.
    #[serde(default)]
    pub approx: Option<Approx>,
    /// Change on last year as a ratio.
    #[serde(default)]
    pub change: Option<serde_yaml::Number>,
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
    /// In a translation: the source's stamp when it was translated
    /// (`nianbao check` flags the translation once the source changes).
    #[serde(default)]
    pub translated_from: Option<String>,
}

/// Parses YAML text into `T`, turning a failure into a diagnostic at the
/// right line and column. `line_offset` is added to the line (front matter
/// starts below the opening `---`).
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    // An empty document is `null`; give each type the chance to be empty.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|err| {
        let (line, col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
        Diagnostic::error(file, line + line_offset, col, describe(&err))
    })
}

/// serde_yaml's message without its trailing "at line L column C", which
/// nianbao shows in its own format.
fn describe(err: &serde_yaml::Error) -> String {
    let message = err.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    if message.contains("data did not match any variant") {
        return format!(
            "{message}: expected a metric id or {{ metric: ID, label: ... }}, or text (or a map from language code to text)"
        );
    }
    message
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
    }

    #[test]
    fn type_error_in_nested_value_points_inside() {
        let text = "metrics:\n  - id: a\n    label: A\n    value: lots\n    unit: cny\n";
        let err = parse::<RawMetricsFile>(text, Path::new("m.yaml"), 0).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("metrics[0].value"), "{}", err.message);
    }

    #[test]
    fn empty_front_matter_is_empty() {
        let fm = parse::<RawFrontMatter>("", Path::new("a.md"), 1).unwrap();
        assert!(fm.title.is_none());
    }
}
