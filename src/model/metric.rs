//! Metrics and charts: typed, validated, linked. Ids are unique across the
//! report, chart references resolve, and a chart combines one unit only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, closest};
use crate::load::discover::MetricsSource;
use crate::load::locate::Positions;
use crate::load::yaml::{self, ChartKind, RawChart, RawMetric, RawSeriesItem, RawText};
use crate::model::lang::Text;
use crate::model::number::{
    self, Approx, Decimal, Noun, NumberWords, Parts, Quantity, Style, UnitWords,
};

/// Where an item is defined, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// File relative to the site root.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// A metric's unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Chinese yuan.
    Cny,
    /// A ratio shown as a percentage.
    Percent,
    /// Millilitres.
    Ml,
    /// Square metres.
    M2,
    /// A counted noun per language.
    Noun(BTreeMap<String, Noun>),
}

/// One validated number of the report.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Unique id.
    pub id: String,
    /// What it counts, per language.
    pub label: Text,
    /// Exact value in base units.
    pub value: Decimal,
    /// Unit.
    pub unit: Unit,
    /// 余 / 近.
    pub approx: Option<Approx>,
    /// Change on last year as a ratio.
    pub change: Option<Decimal>,
    /// Last year's value.
    pub previous: Option<Decimal>,
    /// Per-language style overrides.
    pub display: BTreeMap<String, Style>,
    /// Footnote per language.
    pub note: Option<Text>,
    /// Definition site.
    pub origin: Origin,
}

impl Metric {
    fn quantity<'a>(&'a self, value: &'a Decimal, lang: &str) -> Quantity<'a> {
        let unit = match &self.unit {
            Unit::Cny => UnitWords::Cny,
            Unit::Percent => UnitWords::Percent,
            Unit::Ml => UnitWords::Ml,
            Unit::M2 => UnitWords::M2,
            Unit::Noun(nouns) => match nouns.get(lang) {
                Some(noun) => UnitWords::Noun(noun),
                None => UnitWords::Noun(&EMPTY_NOUN),
            },
        };
        Quantity {
            value,
            unit,
            approx: self.approx,
            style: self.display.get(lang).copied(),
        }
    }

    /// The value in `lang`, split for display.
    pub fn parts(&self, lang: &str, words: &NumberWords) -> Parts {
        number::format_parts(&self.quantity(&self.value, lang), words)
    }

    /// The value in `lang` as one string: "25362万元", "CNY 253.62 million".
    pub fn format(&self, lang: &str, words: &NumberWords) -> String {
        self.parts(lang, words).joined()
    }

    /// The number without its unit ("25362万", "253.62 million").
    pub fn format_number(&self, lang: &str, words: &NumberWords) -> String {
        if self.unit == Unit::Percent {
            return self.format(lang, words);
        }
        number::format_number(
            &self.value,
            self.approx,
            self.display.get(lang).copied(),
            words,
        )
    }

    /// The change on last year as an unsigned percentage ("40.1%").
    pub fn format_change(&self, words: &NumberWords) -> Option<String> {
        self.change
            .as_ref()
            .map(|c| number::format_percent(&c.abs(), words))
    }

    /// Last year's value, formatted like the value.
    pub fn format_previous(&self, lang: &str, words: &NumberWords) -> Option<String> {
        let previous = self.previous.as_ref()?;
        let mut q = self.quantity(previous, lang);
        q.approx = None;
        Some(number::format_quantity(&q, words))
    }

    /// The exact value with every digit, for data tables ("253,620,000 元").
    pub fn format_exact(&self, lang: &str, words: &NumberWords) -> String {
        let mut q = self.quantity(&self.value, lang);
        if self.unit != Unit::Percent {
            q.style = Some(Style::Plain);
        }
        number::format_quantity(&q, words)
    }
}

static EMPTY_NOUN: Noun = Noun {
    one: String::new(),
    other: String::new(),
};

/// A metric placed in a chart, with the label the chart uses.
#[derive(Debug, Clone)]
pub struct ChartItem {
    /// Metric id.
    pub metric: String,
    /// Label override for this chart.
    pub label: Option<Text>,
}

/// The data of a chart, by type.
#[derive(Debug, Clone)]
pub enum ChartData {
    /// bar, hbar, donut: one value per item.
    Series(Vec<ChartItem>),
    /// grouped_bar: a legend of keys, and groups with one metric per key.
    Groups {
        /// Legend entries.
        keys: Vec<Text>,
        /// (group label, metric ids in key order).
        groups: Vec<(Text, Vec<String>)>,
    },
    /// line: (x label, metric id).
    Points(Vec<(String, String)>),
}

/// One validated chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique id.
    pub id: String,
    /// Chart type.
    pub kind: ChartKind,
    /// Title per language.
    pub title: Text,
    /// What it shows.
    pub data: ChartData,
    /// The metric in the accent colour.
    pub highlight: Option<String>,
    /// Note under the chart.
    pub note: Option<Text>,
    /// Definition site.
    pub origin: Origin,
}

impl Chart {
    /// Every metric id the chart draws, in drawing order.
    pub fn metric_ids(&self) -> Vec<&str> {
        match &self.data {
            ChartData::Series(items) => items.iter().map(|i| i.metric.as_str()).collect(),
            ChartData::Groups { groups, .. } => groups
                .iter()
                .flat_map(|(_, ids)| ids.iter().map(String::as_str))
                .collect(),
            ChartData::Points(points) => points.iter().map(|(_, id)| id.as_str()).collect(),
        }
    }
}

/// All metrics and charts of a report.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Metrics by id.
    pub metrics: BTreeMap<String, Metric>,
    /// Charts by id.
    pub charts: BTreeMap<String, Chart>,
    /// Metrics files that failed to load (their ids are missing).
    pub broken_files: Vec<PathBuf>,
    /// Ids of metrics that were written but are invalid (already reported).
    pub rejected: BTreeSet<String>,
}

impl Catalog {
    /// True when an unknown `id` is only a consequence of an error already
    /// reported (an invalid metric, or a metrics file that failed to load
    /// and may define it): reporting each use would bury the cause. An id
    /// close to a `known` one is still reported: it is likely a typo.
    pub fn is_follow_on<'a>(&self, id: &str, known: impl Iterator<Item = &'a String>) -> bool {
        self.rejected.contains(id)
            || (!self.broken_files.is_empty() && closest(id, known).is_none())
    }

    /// The hint for an unknown metric or chart id: a close match, and the
    /// files that failed to load, which may be where it is defined.
    pub fn unknown_hint<'a>(&self, id: &str, known: impl Iterator<Item = &'a String>) -> String {
        let mut hint = suggest(id, known);
        if !self.broken_files.is_empty() {
            let files: Vec<String> = self
                .broken_files
                .iter()
                .map(|f| f.display().to_string())
                .collect();
            hint.push_str(&format!(
                " ({} could not be loaded; fix it first, it may define this id)",
                files.join(", ")
            ));
        }
        hint
    }
}

/// Converts text per language, checking every declared language is present
/// and no undeclared one is used. `at` is the position of the key.
pub fn text_of(
    raw: &RawText,
    languages: &[String],
    file: &Path,
    at: (usize, usize),
    what: &str,
    diags: &mut Diagnostics,
) -> Text {
    match raw {
        RawText::Same(s) => Text(languages.iter().map(|l| (l.clone(), s.clone())).collect()),
        RawText::PerLanguage(map) => {
            for key in map.keys().filter(|k| !languages.contains(k)) {
                let msg = format!(
                    "{what} has text for `{key}`, which is not a language of this report ({})",
                    languages.join(", ")
                );
                diags.push(Diagnostic::error(file, at.0, at.1, msg));
            }
            let missing: Vec<&str> = languages
                .iter()
                .filter(|l| !map.contains_key(*l))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                let msg = format!("{what} has no text for {}", missing.join(", "));
                let example: Vec<String> =
                    languages.iter().map(|l| format!("{l}: \"…\"")).collect();
                let hint = format!("give every language: {{ {} }}", example.join(", "));
                diags.push(Diagnostic::error(file, at.0, at.1, msg).with_hint(hint));
            }
            Text(
                map.iter()
                    .filter(|(k, _)| languages.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }
    }
}

/// Validates every metrics file into one catalog.
pub fn build_catalog(
    sources: &[MetricsSource],
    broken: &[PathBuf],
    languages: &[String],
    diags: &mut Diagnostics,
) -> Catalog {
    let mut catalog = Catalog {
        broken_files: broken.to_vec(),
        ..Catalog::default()
    };
    // Each file is indexed once: ids and keys are located in it thousands
    // of times.
    let positions: BTreeMap<&Path, Positions<'_>> = sources
        .iter()
        .map(|s| (s.file.as_path(), Positions::new(&s.text)))
        .collect();
    let no_text = Positions::new("");
    for source in sources {
        let at = positions.get(source.file.as_path()).unwrap_or(&no_text);
        let mut nth_id: BTreeMap<&str, usize> = BTreeMap::new();
        for raw in &source.raw.metrics {
            let nth = bump(&mut nth_id, &raw.id);
            let origin = origin_of(source, at, &raw.id, nth);
            match metric(raw, source, at, origin, languages, diags) {
                Some(metric) => {
                    insert_unique(&mut catalog.metrics, metric, |m| &m.origin, "metric", diags);
                }
                None => {
                    catalog.rejected.insert(raw.id.clone());
                }
            }
        }
        for raw in &source.raw.charts {
            let nth = bump(&mut nth_id, &raw.id);
            let origin = origin_of(source, at, &raw.id, nth);
            let chart = chart(raw, source, at, origin, languages, diags);
            insert_unique(&mut catalog.charts, chart, |c| &c.origin, "chart", diags);
        }
    }
    for chart in catalog.charts.values() {
        let at = positions
            .get(chart.origin.file.as_path())
            .unwrap_or(&no_text);
        check_chart_links(chart, &catalog, at, diags);
    }
    catalog
}

fn bump<'a>(counts: &mut BTreeMap<&'a str, usize>, id: &'a str) -> usize {
    let n = counts.entry(id).or_insert(0);
    *n += 1;
    *n - 1
}

fn origin_of(source: &MetricsSource, positions: &Positions<'_>, id: &str, nth: usize) -> Origin {
    let (line, col) = positions.value(id, nth).unwrap_or((1, 1));
    Origin {
        file: source.file.clone(),
        line,
        col,
    }
}

trait Identified {
    fn id(&self) -> &str;
}
impl Identified for Metric {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Identified for Chart {
    fn id(&self) -> &str {
        &self.id
    }
}

fn insert_unique<T: Identified>(
    map: &mut BTreeMap<String, T>,
    item: T,
    origin: impl Fn(&T) -> &Origin,
    what: &str,
    diags: &mut Diagnostics,
) {
    if let Some(first) = map.get(item.id()) {
        let (o, f) = (origin(&item), origin(first));
        let msg = format!(
            "duplicate {what} id `{}`: first defined at {}:{}:{}",
            item.id(),
            f.file.display(),
            f.line,
            f.col
        );
        diags.push(
            Diagnostic::error(&o.file, o.line, o.col, msg)
                .with_hint("ids must be unique across the whole report"),
        );
        return;
    }
    map.insert(item.id().to_string(), item);
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_id(id: &str, what: &str, origin: &Origin, diags: &mut Diagnostics) -> bool {
    if valid_id(id) {
        return true;
    }
    let msg = format!("{what} id `{id}` must use only a-z, 0-9 and _");
    let suggestion: String = id
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    diags.push(
        Diagnostic::error(&origin.file, origin.line, origin.col, msg)
            .with_hint(format!("for example `{suggestion}`")),
    );
    false
}

fn metric(
    raw: &RawMetric,
    source: &MetricsSource,
    positions: &Positions<'_>,
    origin: Origin,
    languages: &[String],
    diags: &mut Diagnostics,
) -> Option<Metric> {
    let ok = check_id(&raw.id, "metric", &origin, diags);
    let file = &source.file;
    let at = |key: &str| positions.key_from(key, origin.line);
    let label = text_of(
        &raw.label,
        languages,
        file,
        at("label"),
        &format!("label of metric `{}`", raw.id),
        diags,
    );
    let note = raw.note.as_ref().map(|n| {
        text_of(
            n,
            languages,
            file,
            at("note"),
            &format!("note of metric `{}`", raw.id),
            diags,
        )
    });
    let value = decimal(&raw.value, file, at("value"), diags)?;
    let change = raw
        .change
        .as_ref()
        .and_then(|c| decimal(c, file, at("change"), diags));
    let previous = raw
        .previous
        .as_ref()
        .and_then(|p| decimal(p, file, at("previous"), diags));
    let unit = unit(&raw.unit, languages, file, at("unit"), diags)?;
    for lang in raw.display.keys().filter(|l| !languages.contains(l)) {
        let (line, col) = at("display");
        diags.push(Diagnostic::error(
            file,
            line,
            col,
            format!("`display` names `{lang}`, which is not a language of this report"),
        ));
    }
    ok.then_some(Metric {
        id: raw.id.clone(),
        label,
        value,
        unit,
        approx: raw.approx,
        change,
        previous,
        display: raw.display.clone(),
        note,
        origin,
    })
}

fn decimal(
    n: &serde_yaml::Number,
    file: &Path,
    at: (usize, usize),
    diags: &mut Diagnostics,
) -> Option<Decimal> {
    let parsed = Decimal::parse(&n.to_string());
    if parsed.is_none() {
        diags.push(Diagnostic::error(
            file,
            at.0,
            at.1,
            format!("`{n}` is not a finite number"),
        ));
    }
    parsed
}

const UNIT_HINT: &str =
    "use cny, percent, ml, m2, or a noun per language such as { zh: 人, en: people }";

fn unit(
    raw: &serde_yaml::Value,
    languages: &[String],
    file: &Path,
    at: (usize, usize),
    diags: &mut Diagnostics,
) -> Option<Unit> {
    let error = |diags: &mut Diagnostics, msg: String| {
        diags.push(Diagnostic::error(file, at.0, at.1, msg).with_hint(UNIT_HINT));
        None
    };
    match raw {
        serde_yaml::Value::String(s) => match s.as_str() {
            "cny" => Some(Unit::Cny),
            "percent" => Some(Unit::Percent),
            "ml" => Some(Unit::Ml),
            "m2" => Some(Unit::M2),
            other => error(diags, format!("unknown unit `{other}`")),
        },
        serde_yaml::Value::Mapping(map) => {
            let mut nouns = BTreeMap::new();
            for (key, value) in map {
                let Some(lang) = key.as_str() else {
                    return error(diags, "unit keys must be language codes".into());
                };
                let noun = match value {
                    serde_yaml::Value::String(word) => Noun {
                        one: word.clone(),
                        other: word.clone(),
                    },
                    serde_yaml::Value::Mapping(_) => {
                        match serde_yaml::from_value::<NounForms>(value.clone()) {
                            Ok(f) => Noun {
                                one: f.one,
                                other: f.other,
                            },
                            Err(e) => {
                                return error(
                                    diags,
                                    format!(
                                        "unit for `{lang}`: {e}; expected {{ one: …, other: … }}"
                                    ),
                                );
                            }
                        }
                    }
                    _ => return error(diags, format!("unit for `{lang}` must be a word")),
                };
                nouns.insert(lang.to_string(), noun);
            }
            let raw_text = RawText::PerLanguage(
                nouns
                    .iter()
                    .map(|(k, v)| (k.clone(), v.other.clone()))
                    .collect(),
            );
            text_of(&raw_text, languages, file, at, "unit", diags);
            Some(Unit::Noun(nouns))
        }
        _ => error(
            diags,
            "a unit must be a name or a map from language to noun".into(),
        ),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NounForms {
    one: String,
    other: String,
}

fn chart(
    raw: &RawChart,
    source: &MetricsSource,
    positions: &Positions<'_>,
    origin: Origin,
    languages: &[String],
    diags: &mut Diagnostics,
) -> Chart {
    check_id(&raw.id, "chart", &origin, diags);
    let file = &source.file;
    let at = |key: &str| positions.key_from(key, origin.line);
    let what = format!("title of chart `{}`", raw.id);
    let title = text_of(&raw.title, languages, file, at("title"), &what, diags);
    let note = raw
        .note
        .as_ref()
        .map(|n| text_of(n, languages, file, at("note"), "chart note", diags));
    let misplaced = |diags: &mut Diagnostics, key: &str, present: bool| {
        if present {
            let (line, col) = at(key);
            let msg = format!("a {:?} chart does not take `{key}`", raw.kind).to_lowercase();
            diags
                .push(Diagnostic::error(file, line, col, msg).with_hint(expected_fields(raw.kind)));
        }
    };
    let data = match raw.kind {
        ChartKind::Bar | ChartKind::Hbar | ChartKind::Donut => {
            misplaced(diags, "groups", !raw.groups.is_empty());
            misplaced(diags, "keys", !raw.keys.is_empty());
            misplaced(diags, "points", !raw.points.is_empty());
            let items = raw.series.iter().map(|item| match item {
                RawSeriesItem::Id(id) => ChartItem {
                    metric: id.clone(),
                    label: None,
                },
                RawSeriesItem::Labelled { metric, label } => ChartItem {
                    metric: metric.clone(),
                    label: Some(text_of(
                        label,
                        languages,
                        file,
                        at("label"),
                        "series label",
                        diags,
                    )),
                },
            });
            ChartData::Series(items.collect())
        }
        ChartKind::GroupedBar => {
            misplaced(diags, "series", !raw.series.is_empty());
            misplaced(diags, "points", !raw.points.is_empty());
            let keys = raw
                .keys
                .iter()
                .map(|k| text_of(k, languages, file, at("keys"), "chart key", diags))
                .collect::<Vec<_>>();
            let groups = raw
                .groups
                .iter()
                .map(|g| {
                    (
                        text_of(
                            &g.label,
                            languages,
                            file,
                            at("groups"),
                            "group label",
                            diags,
                        ),
                        g.series.clone(),
                    )
                })
                .collect::<Vec<_>>();
            for (_, ids) in &groups {
                if ids.len() != keys.len() {
                    let (line, col) = ids
                        .first()
                        .and_then(|id| positions.value(id, 0))
                        .unwrap_or(at("groups"));
                    let msg = format!(
                        "this group has {} metric(s) but the chart has {} key(s)",
                        ids.len(),
                        keys.len()
                    );
                    diags.push(
                        Diagnostic::error(file, line, col, msg)
                            .with_hint("each group lists one metric per entry of `keys`"),
                    );
                }
            }
            ChartData::Groups { keys, groups }
        }
        ChartKind::Line => {
            misplaced(diags, "series", !raw.series.is_empty());
            misplaced(diags, "groups", !raw.groups.is_empty());
            let points = raw.points.iter().map(|p| {
                (
                    yaml::scalar_text(&p.x).unwrap_or_default(),
                    p.metric.clone(),
                )
            });
            ChartData::Points(points.collect())
        }
    };
    let chart = Chart {
        id: raw.id.clone(),
        kind: raw.kind,
        title,
        data,
        highlight: raw.highlight.clone(),
        note,
        origin,
    };
    let needed = if chart.kind == ChartKind::Line { 2 } else { 1 };
    if chart.metric_ids().len() < needed {
        let msg = format!("chart `{}` has no data", chart.id);
        diags.push(
            Diagnostic::error(file, chart.origin.line, chart.origin.col, msg)
                .with_hint(expected_fields(chart.kind)),
        );
    }
    chart
}

fn expected_fields(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar | ChartKind::Hbar | ChartKind::Donut => {
            "list the metric ids under `series: [id, id]`"
        }
        ChartKind::GroupedBar => {
            "give `keys:` (legend labels) and `groups:` (each a `label` and `series` of one metric per key)"
        }
        ChartKind::Line => "give `points:`, each `{ x: \"2019\", metric: id }`, at least two",
    }
}

fn check_chart_links(
    chart: &Chart,
    catalog: &Catalog,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) {
    let metrics = &catalog.metrics;
    let file = &chart.origin.file;
    let position = |id: &str| {
        // Point at the reference inside this chart's entry, not at the metric's definition.
        positions
            .value_after(id, chart.origin.line)
            .unwrap_or((chart.origin.line, chart.origin.col))
    };
    let mut first: Option<&Metric> = None;
    for id in chart.metric_ids() {
        let Some(metric) = metrics.get(id) else {
            if catalog.is_follow_on(id, metrics.keys()) {
                continue;
            }
            let (line, col) = position(id);
            let msg = format!("chart `{}` refers to unknown metric `{id}`", chart.id);
            diags.push(
                Diagnostic::error(file, line, col, msg)
                    .with_hint(catalog.unknown_hint(id, metrics.keys())),
            );
            continue;
        };
        match first {
            None => first = Some(metric),
            Some(f) if f.unit != metric.unit => {
                let (line, col) = position(id);
                let msg = format!(
                    "chart `{}` mixes units: `{}` and `{id}` have different units",
                    chart.id, f.id
                );
                diags.push(
                    Diagnostic::error(file, line, col, msg)
                        .with_hint("a chart may only combine metrics with the same unit"),
                );
            }
            Some(_) => {}
        }
        if chart.kind == ChartKind::Donut && metric.value.is_negative() {
            let (line, col) = position(id);
            diags.push(Diagnostic::error(
                file,
                line,
                col,
                format!("a donut chart cannot show the negative value of `{id}`"),
            ));
        }
    }
    if let Some(h) = &chart.highlight
        && !chart.metric_ids().contains(&h.as_str())
    {
        let (line, col) = position(h);
        let msg = format!("`highlight: {h}` is not one of the chart's metrics");
        diags.push(Diagnostic::error(file, line, col, msg));
    }
}

/// "did you mean" for an unknown id.
pub fn suggest<'a>(id: &str, known: impl Iterator<Item = &'a String>) -> String {
    match closest(id, known) {
        Some(k) => format!("did you mean `{k}`?"),
        None => "define it in a metrics.yaml, or check the spelling".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(yaml_text: &str) -> (Catalog, Diagnostics) {
        let raw = yaml::parse(yaml_text, Path::new("m.yaml"), 0).unwrap();
        let source = MetricsSource {
            file: "m.yaml".into(),
            text: yaml_text.into(),
            raw,
        };
        let mut diags = Diagnostics::new();
        let c = build_catalog(&[source], &[], &["zh".into(), "en".into()], &mut diags);
        (c, diags)
    }

    #[test]
    fn duplicate_ids_point_at_the_second() {
        let (_, d) = catalog(
            "metrics:\n  - id: a\n    label: A\n    value: 1\n    unit: cny\n  - id: a\n    label: A\n    value: 2\n    unit: cny\n",
        );
        let d: Vec<_> = d.iter().collect();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (6, 9));
        assert!(d[0].message.contains("first defined at m.yaml:2:9"));
    }

    #[test]
    fn missing_language_and_unknown_unit() {
        let (_, d) =
            catalog("metrics:\n  - id: a\n    label: { zh: 甲 }\n    value: 1\n    unit: people\n");
        let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("m.yaml:3:5") && m.contains("no text for en")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("m.yaml:5:5") && m.contains("unknown unit `people`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn formats_through_the_metric() {
        let (c, d) = catalog(
            "metrics:\n  - id: v\n    label: V\n    value: 22959\n    unit: { zh: 人, en: { one: volunteer, other: volunteers } }\n    change: 0.401\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let m = &c.metrics["v"];
        assert_eq!(m.format("zh", &NumberWords::chinese()), "22959人");
        assert_eq!(m.format("en", &NumberWords::western()), "22,959 volunteers");
        assert_eq!(
            m.format_change(&NumberWords::western()).as_deref(),
            Some("40.1%")
        );
        assert_eq!(m.format_number("en", &NumberWords::western()), "22,959");
    }

    #[test]
    fn suggestions() {
        let known = ["donations_raised".to_string(), "trainees".to_string()];
        assert_eq!(
            suggest("donation_raised", known.iter()),
            "did you mean `donations_raised`?"
        );
        assert!(suggest("zzz", known.iter()).starts_with("define"));
    }
}
