//! Metrics and charts: typed, validated, linked. Ids are unique across the
//! report, chart references resolve, and a chart combines one unit only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, closest};
use crate::load::discover::MetricsSource;
use crate::load::locate::Positions;
pub use crate::load::yaml::ChangeKind;
use crate::load::yaml::{self, ChartKind, RawChart, RawMetric, RawSeriesItem, RawText};
use crate::model::lang::Text;
use crate::model::number::{
    self, Approx, Decimal, Noun, Numbers, Parts, PluralForms, PluralWords, Quantity, Style,
    UnitWords,
};
use crate::model::photo::{self, Photo, PhotoFiles};

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
    /// Money, by its lower-case ISO 4217 code (`cny`, `usd`).
    Currency(String),
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
    /// Exact value in base units (zero while [`Metric::unfilled`]).
    pub value: Decimal,
    /// True while the value is left empty (a year started by `add-year`):
    /// an error of `build`, a placeholder in the preview.
    pub unfilled: bool,
    /// Unit.
    pub unit: Unit,
    /// 余 / 近.
    pub approx: Option<Approx>,
    /// Change on last year: a ratio, or a difference of ratios when
    /// [`Metric::change_kind`] is points.
    pub change: Option<Decimal>,
    /// Whether `change` is relative or in percentage points.
    pub change_kind: ChangeKind,
    /// Last year's value.
    pub previous: Option<Decimal>,
    /// The year `previous` and `change` compare with, when the series'
    /// data gave them ("2019").
    pub previous_year: Option<String>,
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
            Unit::Currency(code) => UnitWords::Currency(code),
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

    /// The value in `lang`, split for display; a visible placeholder
    /// naming the metric while it has no value.
    pub fn parts(&self, lang: &str, words: &Numbers) -> Parts {
        if self.unfilled {
            return Parts {
                before: String::new(),
                number: format!("[{}?]", self.id),
                after: String::new(),
            };
        }
        number::format_parts(&self.quantity(&self.value, lang), words)
    }

    /// True when the value is written in a compact unit in `lang`
    /// ("253.62 million", "25362万") rather than with every digit.
    pub fn is_compact(&self, lang: &str, words: &Numbers) -> bool {
        number::is_compact(&self.quantity(&self.value, lang), words)
    }

    /// The value in `lang` as one string: "25362万元", "CNY 253.62 million".
    pub fn format(&self, lang: &str, words: &Numbers) -> String {
        self.parts(lang, words).joined()
    }

    /// The number without its unit ("25362万", "253.62 million").
    pub fn format_number(&self, lang: &str, words: &Numbers) -> String {
        if self.unit == Unit::Percent || self.unfilled {
            return self.format(lang, words);
        }
        number::format_number(
            &self.value,
            self.approx,
            self.display.get(lang).copied(),
            words,
        )
    }

    /// The change on last year, unsigned: a percentage ("40.1%") or
    /// percentage points ("2.1 percentage points").
    pub fn format_change(&self, words: &Numbers) -> Option<String> {
        if self.unfilled {
            return Some(format!("[{}?]", self.id));
        }
        self.change.as_ref().map(|c| self.unsigned_change(c, words))
    }

    fn unsigned_change(&self, change: &Decimal, words: &Numbers) -> String {
        match self.change_kind {
            ChangeKind::Relative => number::format_percent(&change.abs(), words),
            ChangeKind::Points => number::format_points(change, words),
        }
    }

    /// The change on last year with its sign: "+40.1%", "−2.1 percentage
    /// points".
    pub fn format_signed_change(&self, words: &Numbers) -> Option<String> {
        let change = self.change.as_ref()?;
        let sign = if change.is_negative() { "−" } else { "+" };
        Some(format!("{sign}{}", self.unsigned_change(change, words)))
    }

    /// Last year's value, formatted like the value.
    pub fn format_previous(&self, lang: &str, words: &Numbers) -> Option<String> {
        let previous = self.previous.as_ref()?;
        let mut q = self.quantity(previous, lang);
        q.approx = None;
        Some(number::format_quantity(&q, words))
    }

    /// The text of a reference to this metric: its value, or what `filter`
    /// shows; `None` when the metric lacks it ([`Metric::filter`] says so).
    pub fn format_with(
        &self,
        filter: Option<Filter>,
        lang: &str,
        words: &Numbers,
    ) -> Option<String> {
        match filter {
            None => Some(self.format(lang, words)),
            Some(Filter::Number) => Some(self.format_number(lang, words)),
            Some(Filter::Change) => self.format_change(words),
            Some(Filter::Previous) => self.format_previous(lang, words),
        }
    }

    /// The filter written as `name` after `|`, when this metric can show
    /// it: `| change` needs `change:`, `| previous` needs `previous:`.
    pub fn filter(&self, name: &str) -> Result<Filter, ReferenceError> {
        let Some(filter) = Filter::parse(name) else {
            let names: Vec<String> = Filter::ALL.iter().map(|f| f.name().to_string()).collect();
            let hint = match closest(name, names.iter()) {
                Some(close) => format!("did you mean `| {close}`?"),
                None => "use `| number`, `| change` or `| previous`, or no filter".to_string(),
            };
            return Err(ReferenceError {
                message: format!("unknown filter `{name}`"),
                hint,
            });
        };
        let present = match filter {
            Filter::Number => true,
            // A value still to fill in has its change still to come.
            Filter::Change => self.change.is_some() || self.unfilled,
            Filter::Previous => self.previous.is_some(),
        };
        if present {
            return Ok(filter);
        }
        let (key, o) = (filter.name(), &self.origin);
        Err(ReferenceError {
            message: format!("metric `{}` has no `{key}` to show", self.id),
            hint: format!(
                "add `{key}:` ({}) to metric `{}` at {}:{}:{}",
                filter.meaning(),
                self.id,
                o.file.display(),
                o.line,
                o.col
            ),
        })
    }

    /// The exact value with every digit, for data tables ("253,620,000 元").
    pub fn format_exact(&self, lang: &str, words: &Numbers) -> String {
        if self.unfilled {
            return self.format(lang, words);
        }
        let mut q = self.quantity(&self.value, lang);
        if self.unit != Unit::Percent {
            q.style = Some(Style::Plain);
        }
        number::format_quantity(&q, words)
    }
}

/// What a `{{ metric:ID | filter }}` reference shows in place of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// `| number`: the number with its approximation word, no unit.
    Number,
    /// `| change`: the change on last year, unsigned ("40.1%").
    Change,
    /// `| previous`: last year's value, with its unit.
    Previous,
}

impl Filter {
    /// Every filter, in the order messages list them.
    pub const ALL: [Self; 3] = [Self::Number, Self::Change, Self::Previous];

    /// The filter as written after `|`; also the metric key it shows.
    pub fn name(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Change => "change",
            Self::Previous => "previous",
        }
    }

    /// The filter written as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What the metric key of the same name holds, for hints.
    fn meaning(self) -> &'static str {
        match self {
            Self::Number => "the value",
            Self::Change => "the change on last year as a ratio, 0.124 for +12.4%",
            Self::Previous => "last year's value, in the same unit",
        }
    }
}

/// Why a metric reference cannot be shown, for a diagnostic where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

static EMPTY_NOUN: Noun = PluralWords::One(String::new());

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
        /// Legend entries: `keys:` as written, else the labels of the first
        /// group's metrics (complete once [`build_catalog`] returns).
        keys: Vec<Text>,
        /// Groups, each with its metrics in key order.
        groups: Vec<Group>,
    },
    /// line: points in order.
    Points(Vec<Point>),
    /// line with `years: ID`: metric ID in every year of the series up to
    /// the report's own (points made when the chart is drawn).
    Years(String),
}

/// A group of a grouped bar chart.
#[derive(Debug, Clone)]
pub struct Group {
    /// Label of the group.
    pub label: Text,
    /// Metric ids, one per legend entry, in legend order.
    pub metrics: Vec<String>,
}

/// A point of a line chart.
#[derive(Debug, Clone)]
pub struct Point {
    /// Label on the x axis (a year), as written.
    pub x: String,
    /// Metric id.
    pub metric: String,
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
                .flat_map(|g| g.metrics.iter().map(String::as_str))
                .collect(),
            ChartData::Points(points) => points.iter().map(|p| p.metric.as_str()).collect(),
            ChartData::Years(id) => vec![id.as_str()],
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
    /// Photos declared in metrics files, by id.
    pub photos: BTreeMap<String, Photo>,
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
    photo_files: &PhotoFiles,
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
        let entry = |origin: &Origin| Entry {
            file: &source.file,
            positions: at,
            line: origin.line,
            languages,
        };
        for raw in &source.raw.metrics {
            let nth = bump(&mut nth_id, &raw.id);
            let origin = origin_of(source, at, &raw.id, nth);
            match metric(raw, &entry(&origin), origin.clone(), diags) {
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
            let chart = chart(raw, &entry(&origin), origin.clone(), diags);
            insert_unique(&mut catalog.charts, chart, |c| &c.origin, "chart", diags);
        }
        for raw in &source.raw.photos {
            let nth = bump(&mut nth_id, &raw.id);
            let origin = origin_of(source, at, &raw.id, nth);
            check_id(&raw.id, "photo", &origin, diags);
            let photo = photo::photo(raw, &entry(&origin), origin.clone(), photo_files, diags);
            insert_unique(&mut catalog.photos, photo, |p| &p.origin, "photo", diags);
        }
    }
    name_legends(&mut catalog);
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
impl Identified for Photo {
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
    entry: &Entry<'_>,
    origin: Origin,
    diags: &mut Diagnostics,
) -> Option<Metric> {
    let ok = check_id(&raw.id, "metric", &origin, diags);
    let (file, at) = (entry.file, |key: &str| entry.at(key));
    let label = entry.text(
        &raw.label,
        "label",
        &format!("label of metric `{}`", raw.id),
        diags,
    );
    let note = raw.note.as_ref().map(|n| {
        let what = format!("note of metric `{}`", raw.id);
        entry.text(n, "note", &what, diags)
    });
    let value = match &raw.value {
        Some(value) => Some(decimal(value, file, at("value"), diags)?),
        None => None,
    };
    let change = raw
        .change
        .as_ref()
        .and_then(|c| decimal(c, file, at("change"), diags));
    let previous = raw
        .previous
        .as_ref()
        .and_then(|p| decimal(p, file, at("previous"), diags));
    let unit = unit(&raw.unit, entry.languages, file, at("unit"), diags)?;
    let change_kind = raw.change_kind.unwrap_or_default();
    if change_kind == ChangeKind::Points && unit != Unit::Percent {
        let msg = format!(
            "`change_kind: points` on metric `{}`, which is not a percentage",
            raw.id
        );
        let hint =
            "percentage points compare two percentages; remove `change_kind` for a relative change";
        diags.push(entry.error("change_kind", msg).with_hint(hint));
    }
    for lang in raw.display.keys().filter(|l| !entry.languages.contains(l)) {
        let msg = format!("`display` names `{lang}`, which is not a language of this report");
        diags.push(entry.error("display", msg));
    }
    ok.then_some(Metric {
        id: raw.id.clone(),
        label,
        unfilled: value.is_none(),
        value: value.unwrap_or_default(),
        unit,
        approx: raw.approx,
        change,
        change_kind,
        previous,
        display: raw.display.clone(),
        note,
        origin,
        previous_year: None,
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

const UNIT_HINT: &str = "use percent, ml, m2, a currency's ISO 4217 code in lower case (cny, usd, eur…), or a noun per language such as { zh: 人, en: people }";

fn unit(
    raw: &serde_yaml::Value,
    languages: &[String],
    file: &Path,
    at: (usize, usize),
    diags: &mut Diagnostics,
) -> Option<Unit> {
    let unit = match raw {
        serde_yaml::Value::String(s) => match s.as_str() {
            "percent" => Ok(Unit::Percent),
            "ml" => Ok(Unit::Ml),
            "m2" => Ok(Unit::M2),
            code if number::is_currency(code) => Ok(Unit::Currency(code.to_string())),
            other => Err(format!("unknown unit `{other}`")),
        },
        serde_yaml::Value::Mapping(map) => nouns(map).map(|nouns| {
            // Every language needs its noun, like any text.
            let words = nouns
                .iter()
                .map(|(k, v)| (k.clone(), v.get(OTHER).to_string()));
            let raw_text = RawText::PerLanguage(words.collect());
            text_of(&raw_text, languages, file, at, "unit", diags);
            Unit::Noun(nouns)
        }),
        _ => Err("a unit must be a name or a map from language to noun".into()),
    };
    unit.map_err(|msg| diags.push(Diagnostic::error(file, at.0, at.1, msg).with_hint(UNIT_HINT)))
        .ok()
}

/// A noun unit: a word per language, or its `{ one, other }` forms.
fn nouns(map: &serde_yaml::Mapping) -> Result<BTreeMap<String, Noun>, String> {
    let mut nouns = BTreeMap::new();
    for (key, value) in map {
        let lang = key.as_str().ok_or("unit keys must be language codes")?;
        let noun = match value {
            serde_yaml::Value::String(word) => PluralWords::One(word.clone()),
            serde_yaml::Value::Mapping(_) => serde_yaml::from_value::<PluralForms>(value.clone())
                .map(PluralWords::Forms)
                .map_err(|e| {
                    format!("unit for `{lang}`: {e}; expected {{ one: …, other: … }} (CLDR plural forms: zero, one, two, few, many, other)")
                })?,
            _ => return Err(format!("unit for `{lang}` must be a word")),
        };
        nouns.insert(lang.to_string(), noun);
    }
    Ok(nouns)
}

const OTHER: icu_plurals::PluralCategory = icu_plurals::PluralCategory::Other;

/// Where one metric or chart entry of a metrics file is read: keys repeat
/// from entry to entry, so each is looked up from the entry's first line.
pub(crate) struct Entry<'a> {
    pub(crate) file: &'a Path,
    positions: &'a Positions<'a>,
    line: usize,
    languages: &'a [String],
}

impl Entry<'_> {
    /// The position of `key` in this entry.
    pub(crate) fn at(&self, key: &str) -> (usize, usize) {
        self.positions.key_from(key, self.line)
    }

    /// The text per language under `key`, checked for every language.
    pub(crate) fn text(
        &self,
        raw: &RawText,
        key: &str,
        what: &str,
        diags: &mut Diagnostics,
    ) -> Text {
        text_of(raw, self.languages, self.file, self.at(key), what, diags)
    }

    /// An error at `key`.
    pub(crate) fn error(&self, key: &str, msg: String) -> Diagnostic {
        let (line, col) = self.at(key);
        Diagnostic::error(self.file, line, col, msg)
    }
}

fn chart(raw: &RawChart, entry: &Entry<'_>, origin: Origin, diags: &mut Diagnostics) -> Chart {
    check_id(&raw.id, "chart", &origin, diags);
    let what = format!("title of chart `{}`", raw.id);
    let title = entry.text(&raw.title, "title", &what, diags);
    let note = raw
        .note
        .as_ref()
        .map(|n| entry.text(n, "note", "chart note", diags));
    check_misplaced_keys(raw, entry, diags);
    let data = match raw.kind {
        ChartKind::Bar | ChartKind::Hbar | ChartKind::Donut => {
            ChartData::Series(series(raw, entry, diags))
        }
        ChartKind::GroupedBar => grouped(raw, entry, diags),
        ChartKind::Line => match &raw.years {
            Some(id) if raw.points.is_empty() => ChartData::Years(id.clone()),
            Some(_) => {
                let msg = "a line chart takes `points:` or `years:`, not both".to_string();
                diags.push(
                    entry
                        .error("years", msg)
                        .with_hint(expected_fields(raw.kind)),
                );
                ChartData::Points(points(raw))
            }
            None => ChartData::Points(points(raw)),
        },
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
    check_has_data(&chart, diags);
    chart
}

/// The data keys a chart type reads; the others belong to other types.
fn data_keys(kind: ChartKind) -> &'static [&'static str] {
    match kind {
        ChartKind::Bar | ChartKind::Hbar | ChartKind::Donut => &["series"],
        ChartKind::GroupedBar => &["keys", "groups"],
        ChartKind::Line => &["points", "years"],
    }
}

/// A data key of another chart type is an error, not silently ignored:
/// the author most likely chose the wrong type.
fn check_misplaced_keys(raw: &RawChart, entry: &Entry<'_>, diags: &mut Diagnostics) {
    let written = [
        ("series", !raw.series.is_empty()),
        ("keys", !raw.keys.is_empty()),
        ("groups", !raw.groups.is_empty()),
        ("points", !raw.points.is_empty()),
        ("years", raw.years.is_some()),
    ];
    let misplaced = written
        .into_iter()
        .filter(|(key, present)| *present && !data_keys(raw.kind).contains(key));
    for (key, _) in misplaced {
        let msg = format!(
            "a {} chart does not take `{key}`",
            chart_type_name(raw.kind)
        );
        diags.push(entry.error(key, msg).with_hint(expected_fields(raw.kind)));
    }
}

/// The metrics of a bar, hbar or donut chart, with their label overrides.
fn series(raw: &RawChart, entry: &Entry<'_>, diags: &mut Diagnostics) -> Vec<ChartItem> {
    let item = |item: &RawSeriesItem, diags: &mut Diagnostics| match item {
        RawSeriesItem::Id(id) => ChartItem {
            metric: id.clone(),
            label: None,
        },
        RawSeriesItem::Labelled { metric, label } => ChartItem {
            metric: metric.clone(),
            label: Some(entry.text(label, "label", "series label", diags)),
        },
    };
    raw.series.iter().map(|i| item(i, diags)).collect()
}

/// The legend and groups of a grouped bar chart; each group has one
/// metric per legend entry. Without `keys:` the legend is left empty here
/// and named after the first group's metrics once every metric is known
/// ([`name_legends`]).
fn grouped(raw: &RawChart, entry: &Entry<'_>, diags: &mut Diagnostics) -> ChartData {
    let keys: Vec<Text> = raw
        .keys
        .iter()
        .map(|k| entry.text(k, "keys", "chart key", diags))
        .collect();
    let groups: Vec<Group> = raw
        .groups
        .iter()
        .map(|g| Group {
            label: entry.text(&g.label, "groups", "group label", diags),
            metrics: g.series.clone(),
        })
        .collect();
    check_group_sizes(&keys, &groups, entry, diags);
    ChartData::Groups { keys, groups }
}

/// Every group has one metric per legend entry: per entry of `keys:`, or
/// without it, as many as the first group (whose labels name the legend).
fn check_group_sizes(keys: &[Text], groups: &[Group], entry: &Entry<'_>, diags: &mut Diagnostics) {
    let expected = if keys.is_empty() {
        groups.first().map_or(0, |g| g.metrics.len())
    } else {
        keys.len()
    };
    let mut at = entry.at("groups");
    for group in groups {
        // Group n's `series:` is the n-th one after `groups:`.
        at = entry.positions.key_from("series", at.0);
        let n = group.metrics.len();
        if n != expected {
            let (msg, hint) = if keys.is_empty() {
                (
                    format!("this group has {n} metric(s) but the first group has {expected}"),
                    "without `keys:`, the legend is the labels of the first group's metrics: list as many metrics in every group, in the same order (or give `keys:`)",
                )
            } else {
                (
                    format!("this group has {n} metric(s) but the chart has {expected} key(s)"),
                    "each group lists one metric per entry of `keys`",
                )
            };
            diags.push(Diagnostic::error(entry.file, at.0, at.1, msg).with_hint(hint));
        }
        at.0 += 1;
    }
}

/// Names the legend of each grouped bar chart written without `keys:`
/// after the labels of its first group's metrics, as an author expects.
/// Runs once every metrics file is read: a chart may use metrics of
/// another file. An unknown metric leaves its entry empty; it is an error
/// of its own.
fn name_legends(catalog: &mut Catalog) {
    let metrics = &catalog.metrics;
    for chart in catalog.charts.values_mut() {
        let ChartData::Groups { keys, groups } = &mut chart.data else {
            continue;
        };
        let Some(first) = groups.first().filter(|_| keys.is_empty()) else {
            continue;
        };
        *keys = first
            .metrics
            .iter()
            .map(|id| metrics.get(id).map(|m| m.label.clone()).unwrap_or_default())
            .collect();
    }
}

/// The points of a line chart; `x` is shown as written (a year).
fn points(raw: &RawChart) -> Vec<Point> {
    raw.points
        .iter()
        .map(|p| Point {
            x: yaml::scalar_text(&p.x).unwrap_or_default(),
            metric: p.metric.clone(),
        })
        .collect()
}

/// A chart needs a value to draw; a line needs two points.
fn check_has_data(chart: &Chart, diags: &mut Diagnostics) {
    let needed = match chart.data {
        ChartData::Points(_) => 2,
        _ => 1,
    };
    if chart.metric_ids().len() < needed {
        let o = &chart.origin;
        let msg = format!("chart `{}` has no data", chart.id);
        diags.push(
            Diagnostic::error(&o.file, o.line, o.col, msg).with_hint(expected_fields(chart.kind)),
        );
    }
}

/// The chart type as written after `type:` (`grouped_bar`), for messages:
/// an author never sees `Debug`'s `GroupedBar`.
pub fn chart_type_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "bar",
        ChartKind::Hbar => "hbar",
        ChartKind::GroupedBar => "grouped_bar",
        ChartKind::Donut => "donut",
        ChartKind::Line => "line",
    }
}

fn expected_fields(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar | ChartKind::Hbar | ChartKind::Donut => {
            "list the metric ids under `series: [id, id]`"
        }
        ChartKind::GroupedBar => {
            "give `groups:`, each a `label` and a `series` of metric ids; the legend is the labels of the first group's metrics, or `keys:` (one label per metric of a group)"
        }
        ChartKind::Line => {
            "give `points:`, each `{ x: \"2019\", metric: id }`, at least two, or `years: id` to draw a metric across the years of a series"
        }
    }
}

/// Checks what a chart refers to, once every metric is known: each metric
/// exists, they share one unit, a donut has no negative slice, and the
/// highlight is one of them.
fn check_chart_links(
    chart: &Chart,
    catalog: &Catalog,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) {
    let error = |id: &str, msg: String| {
        // At the reference inside this chart's entry, not at the metric's definition.
        let (line, col) = positions
            .value_after(id, chart.origin.line)
            .unwrap_or((chart.origin.line, chart.origin.col));
        Diagnostic::error(&chart.origin.file, line, col, msg)
    };
    let metrics = &catalog.metrics;
    let mut known = Vec::new();
    for id in chart.metric_ids() {
        match metrics.get(id) {
            Some(metric) => known.push(metric),
            None if catalog.is_follow_on(id, metrics.keys()) => {}
            None => {
                let msg = format!("chart `{}` refers to unknown metric `{id}`", chart.id);
                let hint = catalog.unknown_hint(id, metrics.keys());
                diags.push(error(id, msg).with_hint(hint));
            }
        }
    }
    if let Some((first, rest)) = known.split_first() {
        for other in rest.iter().filter(|m| m.unit != first.unit) {
            let msg = format!(
                "chart `{}` mixes units: `{}` and `{}` have different units",
                chart.id, first.id, other.id
            );
            let hint = "a chart may only combine metrics with the same unit";
            diags.push(error(&other.id, msg).with_hint(hint));
        }
    }
    if chart.kind == ChartKind::Donut {
        for m in known.iter().filter(|m| m.value.is_negative()) {
            let msg = format!("a donut chart cannot show the negative value of `{}`", m.id);
            diags.push(error(&m.id, msg));
        }
    }
    if let Some(h) = &chart.highlight
        && !chart.metric_ids().contains(&h.as_str())
    {
        let msg = format!("`highlight: {h}` is not one of the chart's metrics");
        diags.push(error(h, msg));
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
        let none = PhotoFiles::default();
        let c = build_catalog(
            &[source],
            &[],
            &none,
            &["zh".into(), "en".into()],
            &mut diags,
        );
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
        assert_eq!(m.format("zh", &number::test_numbers("zh")), "22959人");
        assert_eq!(
            m.format("en", &number::test_numbers("en")),
            "22,959 volunteers"
        );
        assert_eq!(
            m.format_change(&number::test_numbers("en")).as_deref(),
            Some("40.1%")
        );
        assert_eq!(m.format_number("en", &number::test_numbers("en")), "22,959");
    }

    #[test]
    fn chart_type_names_are_the_yaml_spelling() {
        let kinds = [
            ChartKind::Bar,
            ChartKind::Hbar,
            ChartKind::GroupedBar,
            ChartKind::Donut,
            ChartKind::Line,
        ];
        for kind in kinds {
            let name = chart_type_name(kind);
            let read: ChartKind = serde_yaml::from_str(name).unwrap();
            assert_eq!(read, kind, "`type: {name}` reads back as another type");
        }
    }

    #[test]
    fn a_misplaced_key_names_the_chart_type_as_written() {
        let (_, d) = catalog(
            "metrics:\n  - id: a\n    label: A\n    value: 1\n    unit: cny\ncharts:\n  - id: c\n    type: grouped_bar\n    title: C\n    series: [a]\n    keys: [A]\n    groups:\n      - label: G\n        series: [a]\n",
        );
        let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert!(
            msgs.iter().any(|m| m.contains("m.yaml:10:5")
                && m.contains("a grouped_bar chart does not take `series`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_line_chart_does_not_take_keys() {
        let (_, d) = catalog(
            "metrics:\n  - id: a\n    label: A\n    value: 1\n    unit: cny\n  - id: b\n    label: B\n    value: 2\n    unit: cny\ncharts:\n  - id: c\n    type: line\n    title: C\n    keys: [A]\n    points: [{ x: 2019, metric: a }, { x: 2020, metric: b }]\n",
        );
        let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("m.yaml:14:5")
                    && m.contains("a line chart does not take `keys`")),
            "{msgs:?}"
        );
    }

    const TWO_METRICS: &str = "metrics:\n  - id: a\n    label: { zh: 甲, en: Alpha }\n    value: 1\n    unit: cny\n  - id: b\n    label: { zh: 乙, en: Beta }\n    value: 2\n    unit: cny\n";

    #[test]
    fn without_keys_the_legend_is_the_first_groups_metric_labels() {
        let (c, d) = catalog(&format!(
            "{TWO_METRICS}charts:\n  - id: c\n    type: grouped_bar\n    title: C\n    groups:\n      - label: G1\n        series: [b, a]\n      - label: G2\n        series: [a, b]\n"
        ));
        assert!(d.is_empty(), "{d:?}");
        let ChartData::Groups { keys, .. } = &c.charts["c"].data else {
            panic!("not a grouped chart");
        };
        let en: Vec<&str> = keys.iter().map(|k| k.get("en")).collect();
        let zh: Vec<&str> = keys.iter().map(|k| k.get("zh")).collect();
        assert_eq!(en, ["Beta", "Alpha"]);
        assert_eq!(zh, ["乙", "甲"]);
    }

    #[test]
    fn given_keys_are_kept() {
        let (c, d) = catalog(&format!(
            "{TWO_METRICS}charts:\n  - id: c\n    type: grouped_bar\n    title: C\n    keys: [K1, K2]\n    groups:\n      - label: G1\n        series: [a, b]\n"
        ));
        assert!(d.is_empty(), "{d:?}");
        let ChartData::Groups { keys, .. } = &c.charts["c"].data else {
            panic!("not a grouped chart");
        };
        assert_eq!(keys[0].get("en"), "K1");
    }

    #[test]
    fn without_keys_every_group_matches_the_first() {
        let (_, d) = catalog(&format!(
            "{TWO_METRICS}charts:\n  - id: c\n    type: grouped_bar\n    title: C\n    groups:\n      - label: G1\n        series: [a, b]\n      - label: G2\n        series: [a]\n"
        ));
        let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].contains("m.yaml:18:9")
                && msgs[0].contains("this group has 1 metric(s) but the first group has 2"),
            "{msgs:?}"
        );
    }

    #[test]
    fn with_keys_a_short_group_is_pointed_at() {
        let (_, d) = catalog(&format!(
            "{TWO_METRICS}charts:\n  - id: c\n    type: grouped_bar\n    title: C\n    keys: [K1, K2]\n    groups:\n      - label: G1\n        series: [a, b]\n      - label: G2\n        series: [b]\n"
        ));
        let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].contains("m.yaml:19:9")
                && msgs[0].contains("this group has 1 metric(s) but the chart has 2 key(s)"),
            "{msgs:?}"
        );
    }

    #[test]
    fn filters_show_what_the_metric_has() {
        let (c, d) = catalog(
            "metrics:\n  - id: v\n    label: V\n    value: 22959\n    unit: { zh: 人, en: people }\n    approx: over\n    previous: 16384\n  - id: w\n    label: W\n    value: 1\n    unit: cny\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let (v, w) = (&c.metrics["v"], &c.metrics["w"]);
        let zh = number::test_numbers("zh");
        let previous = v.filter("previous").unwrap();
        assert_eq!(previous, Filter::Previous);
        // Last year's value is stated exactly: no 余 / over.
        assert_eq!(
            v.format_with(Some(previous), "zh", &zh).as_deref(),
            Some("16384人")
        );
        assert_eq!(v.format_with(None, "zh", &zh).as_deref(), Some("22959余人"));
        let e = v.filter("change").unwrap_err();
        assert_eq!(e.message, "metric `v` has no `change` to show");
        let e = w.filter("previous").unwrap_err();
        assert_eq!(e.message, "metric `w` has no `previous` to show");
        assert!(
            e.hint.starts_with("add `previous:` (last year's value"),
            "{}",
            e.hint
        );
        assert!(
            e.hint.ends_with("to metric `w` at m.yaml:8:9"),
            "{}",
            e.hint
        );
        assert_eq!(
            v.filter("previus").unwrap_err().hint,
            "did you mean `| previous`?"
        );
        let e = v.filter("percent").unwrap_err();
        assert_eq!(e.message, "unknown filter `percent`");
        assert!(e.hint.contains("`| previous`"), "{}", e.hint);
    }

    #[test]
    fn chart_links_are_checked_at_the_reference() {
        let (_, d) = catalog(
            "metrics:\n  - id: a\n    label: A\n    value: -1\n    unit: cny\n  - id: b\n    label: B\n    value: 2\n    unit: ml\ncharts:\n  - id: c\n    type: donut\n    title: C\n    series: [a, b, zz]\n    highlight: b2\n",
        );
        let mut msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
        msgs.sort();
        let expected = [
            (
                "m.yaml:14:14",
                "a donut chart cannot show the negative value of `a`",
            ),
            (
                "m.yaml:14:17",
                "chart `c` mixes units: `a` and `b` have different units",
            ),
            ("m.yaml:14:20", "chart `c` refers to unknown metric `zz`"),
            (
                "m.yaml:15:16",
                "`highlight: b2` is not one of the chart's metrics",
            ),
        ];
        assert_eq!(msgs.len(), expected.len(), "{msgs:?}");
        for (msg, (at, text)) in msgs.iter().zip(expected) {
            assert!(msg.contains(at) && msg.contains(text), "{msg}");
        }
    }

    #[test]
    fn noun_units_take_a_word_or_its_forms() {
        let unit = |yaml: &str| {
            let (c, d) = catalog(&format!(
                "metrics:\n  - id: a\n    label: A\n    value: 1\n    unit: {yaml}\n"
            ));
            let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
            (c.metrics.get("a").map(|m| m.unit.clone()), msgs.join("\n"))
        };
        let (ok, msgs) = unit("{ zh: 人, en: { one: person, other: people } }");
        assert!(msgs.is_empty(), "{msgs}");
        let Some(Unit::Noun(nouns)) = ok else {
            panic!("not a noun unit");
        };
        use icu_plurals::PluralCategory::{One, Other};
        assert_eq!(
            (nouns["en"].get(One), nouns["zh"].get(Other)),
            ("person", "人")
        );
        let (none, msgs) = unit("{ zh: 人, en: [people] }");
        assert!(
            none.is_none() && msgs.contains("unit for `en` must be a word"),
            "{msgs}"
        );
        let (none, msgs) = unit("{ zh: 人, en: { one: person } }");
        assert!(
            none.is_none() && msgs.contains("expected { one: …, other: … }"),
            "{msgs}"
        );
        let (_, msgs) = unit("{ zh: 人 }");
        assert!(msgs.contains("unit has no text for en"), "{msgs}");
        let (none, msgs) = unit("[cny]");
        assert!(
            none.is_none() && msgs.contains("a unit must be a name or a map"),
            "{msgs}"
        );
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
