//! A report series: what every year shares (`content/series.yaml`), where
//! each year stands among the others, and the comparison of a year's
//! metrics with the year before: the same metric id in consecutive years
//! is the same measure, so `previous` and `change` come from the data.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::locate::Positions;
use crate::load::series::RawSeriesSite;
use crate::load::yaml::Money;
use crate::model::brand::{self, Brand};
use crate::model::lang::{Language, Text};
use crate::model::metric::{self, Catalog, ChangeKind, Chart, ChartData, Metric, Point, Unit};
use crate::model::nav::BaseUrl;
use crate::model::number::{Approx, Decimal};

const OTHER: icu_plurals::PluralCategory = icu_plurals::PluralCategory::Other;
use crate::model::report::{self, Report};

/// What every year of a series shares, and the list of years.
#[derive(Debug, Clone)]
pub struct Series {
    /// `content/series.yaml`, for messages.
    pub file: PathBuf,
    /// Languages of the series; the first is served at `/`.
    pub languages: Vec<Language>,
    /// The series' headline.
    pub title: Text,
    /// Subtitle of the series home.
    pub subtitle: Option<Text>,
    /// Organisation.
    pub organization: Option<Text>,
    /// Description for link previews.
    pub description: Option<Text>,
    /// Where the series is published.
    pub base_url: BaseUrl,
    /// Custom domain.
    pub domain: Option<String>,
    /// Reader search is built (`search:`, on by default).
    pub search: bool,
    /// Theme of the series home (and of every year that names none).
    pub theme: String,
    /// Metric ids drawn across the years on the series home.
    pub trends: Vec<String>,
    /// How each language writes money on the series' own pages.
    pub money: BTreeMap<String, Money>,
    /// Money rounding in prose on the series' own pages.
    pub precision: Option<u8>,
    /// Accent colour and logo of the series home and of every year that
    /// sets none of its own.
    pub brand: Brand,
    /// Every year, oldest first.
    pub years: Vec<YearEntry>,
}

impl Series {
    /// The default language.
    pub fn default_lang(&self) -> &str {
        self.languages.first().map_or("", |l| l.code.as_str())
    }

    /// The series' languages that a year has, in the series' order.
    pub fn year_languages(&self, year: &str) -> Vec<&Language> {
        let entry = self.years.iter().find(|y| y.year == year);
        self.languages
            .iter()
            .filter(|l| entry.is_some_and(|e| e.languages.contains(&l.code)))
            .collect()
    }
}

/// A year of the series as the others see it: its folder and languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearEntry {
    /// The year, also its folder name and URL segment.
    pub year: String,
    /// Its languages (those of the series when its report.yaml names none).
    pub languages: Vec<String>,
}

/// Where a year's report stands in its series.
#[derive(Debug, Clone)]
pub struct SeriesPlace {
    /// The report's year.
    pub year: String,
    /// The series.
    pub series: Arc<Series>,
    /// The values of every earlier year, oldest first (for line charts
    /// across the years, which never show a later year).
    pub earlier: Vec<Arc<YearMetrics>>,
}

/// The values of one year's metrics, kept while later years are built
/// for line charts across the years: a value, not the whole metric (its
/// unit and words are the later year's, the same measure).
#[derive(Debug, Clone)]
pub struct YearMetrics {
    /// The year.
    pub year: String,
    /// Its filled-in values by metric id.
    pub values: BTreeMap<String, PastValue>,
}

/// A metric's value in an earlier year.
#[derive(Debug, Clone)]
pub struct PastValue {
    /// The value.
    pub value: Decimal,
    /// Its approximation word.
    pub approx: Option<Approx>,
}

impl YearMetrics {
    /// The values of `year`'s `metrics` that have one.
    pub fn of(year: &str, metrics: &BTreeMap<String, Metric>) -> Self {
        let filled = metrics.iter().filter(|(_, m)| !m.unfilled);
        let values = filled.map(|(id, m)| {
            let value = PastValue {
                value: m.value.clone(),
                approx: m.approx,
            };
            (id.clone(), value)
        });
        Self {
            year: year.to_string(),
            values: values.collect(),
        }
    }
}

impl PastValue {
    /// `like` (a later year's metric of the same id) with this value.
    pub fn as_metric(&self, like: &Metric) -> Metric {
        Metric {
            value: self.value.clone(),
            approx: self.approx,
            previous: None,
            change: None,
            previous_year: None,
            unfilled: false,
            ..like.clone()
        }
    }
}

/// The year before, whole: the metrics a year is compared with.
#[derive(Debug, Clone)]
pub struct LastYear {
    /// The year.
    pub year: String,
    /// Its metrics by id.
    pub metrics: BTreeMap<String, Metric>,
}

/// Validates `series.yaml`. `None` when it is unusable; every problem is
/// a diagnostic.
pub fn build(
    raw: &RawSeriesSite,
    base_url_override: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Series> {
    let file = &raw.file;
    let positions = Positions::new(&raw.text);
    let languages = report::languages(Some(&raw.raw.languages), file, &positions, diags)?;
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    let text = |t: &crate::load::yaml::RawText, key: &str, diags: &mut Diagnostics| {
        metric::text_of(
            t,
            &codes,
            file,
            positions.key(key, 0),
            &format!("`{key}`"),
            diags,
        )
    };
    let title = text(&raw.raw.title, "title", diags);
    let optional = |t: &Option<crate::load::yaml::RawText>, key: &str, d: &mut Diagnostics| {
        t.as_ref().map(|t| text(t, key, d))
    };
    let subtitle = optional(&raw.raw.subtitle, "subtitle", diags);
    let organization = optional(&raw.raw.organization, "organization", diags);
    let description = optional(&raw.raw.description, "description", diags);
    let base_url = report::base_url(
        base_url_override.or(raw.raw.base_url.as_deref()),
        file,
        &positions,
        diags,
    );
    let domain = raw
        .raw
        .domain
        .as_deref()
        .and_then(|d| report::domain(d, &base_url, file, &positions, diags));
    let theme = raw.raw.theme.as_deref().map_or_else(
        || "default".to_string(),
        |t| report::theme_name(t, file, &positions, diags),
    );
    let years = years(raw, &codes);
    if years.is_empty() {
        let msg = "this series has no year: add a report folder named by its year";
        let hint = "for example content/2020/report.yaml (`nianbao add-year` starts the next one)";
        diags.push(Diagnostic::error(file, 0, 0, msg).with_hint(hint));
    }
    Some(Series {
        file: file.clone(),
        languages,
        title,
        subtitle,
        organization,
        description,
        base_url,
        domain,
        search: raw.raw.search.unwrap_or(true),
        theme,
        trends: raw.raw.trends.clone(),
        money: report::money(raw.raw.money.as_ref(), &codes, file, &positions, diags),
        precision: raw.raw.precision,
        brand: brand::build(
            raw.raw.brand.as_ref(),
            raw.logo.as_ref(),
            file,
            &positions,
            diags,
        ),
        years,
    })
}

/// The years with their languages: the series' languages the year names
/// (another one is an error of the year's report.yaml, [`report::build`]).
fn years(raw: &RawSeriesSite, codes: &[String]) -> Vec<YearEntry> {
    raw.years
        .iter()
        .map(|y| {
            let own = y.languages.as_deref().unwrap_or(codes);
            YearEntry {
                year: y.year.clone(),
                languages: own.iter().filter(|c| codes.contains(c)).cloned().collect(),
            }
        })
        .collect()
}

/// Checks every trend of `series.yaml` names a metric some year has.
pub fn check_trends(
    series: &Series,
    text: &str,
    seen: &BTreeMap<String, Metric>,
    diags: &mut Diagnostics,
) {
    let positions = Positions::new(text);
    for (nth, id) in series.trends.iter().enumerate() {
        if seen.contains_key(id) {
            continue;
        }
        let (line, col) = positions
            .value(id, 0)
            .unwrap_or_else(|| positions.key("trends", 0));
        let msg = format!("trend {} refers to `{id}`, a metric no year has", nth + 1);
        diags.push(Diagnostic::error(&series.file, line, col, msg));
    }
}

/// Compares a year's metrics with the year before: a metric id both have
/// is the same measure, so its unit must agree, and `previous` and
/// `change` are computed from last year's value. A value the author wrote
/// that disagrees with the data is a warning; the data is shown.
pub fn compare(catalog: &mut Catalog, previous: Option<&LastYear>, diags: &mut Diagnostics) {
    let Some(previous) = previous else {
        return;
    };
    for metric in catalog.metrics.values_mut() {
        let Some(last) = previous.metrics.get(&metric.id) else {
            continue;
        };
        if !same_unit(&metric.unit, &last.unit) {
            diags.push(unit_mismatch(metric, last, &previous.year));
            continue;
        }
        if last.unfilled {
            continue;
        }
        compare_metric(metric, last, &previous.year, diags);
    }
}

/// Two years' units of one metric agree: the same unit, or nouns that
/// are the same in every language both years have (a year may have
/// fewer languages).
fn same_unit(a: &Unit, b: &Unit) -> bool {
    match (a, b) {
        (Unit::Noun(a), Unit::Noun(b)) => a
            .iter()
            .filter_map(|(lang, noun)| Some((noun, b.get(lang)?)))
            .all(|(x, y)| x.get(OTHER) == y.get(OTHER)),
        _ => a == b,
    }
}

fn unit_mismatch(metric: &Metric, last: &Metric, year: &str) -> Diagnostic {
    let (o, l) = (&metric.origin, &last.origin);
    let msg = format!(
        "metric `{}` has another unit than in {year} ({}:{}:{}): the same id in consecutive years is the same measure",
        metric.id,
        l.file.display(),
        l.line,
        l.col
    );
    let hint = "use the same unit as last year, or give this measure a new id";
    Diagnostic::error(&o.file, o.line, o.col, msg).with_hint(hint)
}

/// Sets `previous` and `change` of `metric` from last year's `last`.
fn compare_metric(metric: &mut Metric, last: &Metric, year: &str, diags: &mut Diagnostics) {
    let o = metric.origin.clone();
    if let Some(written) = &metric.previous
        && written != &last.value
    {
        let msg = format!(
            "`previous: {written}` of metric `{}` differs from its {year} value {} ({}:{}); the {year} value is shown",
            metric.id,
            last.value,
            last.origin.file.display(),
            last.origin.line
        );
        let hint = "remove `previous:`: in a series it is taken from last year's report";
        diags.push(Diagnostic::warning(&o.file, o.line, o.col, msg).with_hint(hint));
    }
    metric.previous = Some(last.value.clone());
    metric.previous_year = Some(year.to_string());
    if metric.unfilled {
        return;
    }
    // A change of a percentage is in percentage points: 40% after 38% is
    // +2 points, not +5.3%.
    let computed = if metric.unit == Unit::Percent {
        metric.change_kind = ChangeKind::Points;
        Some(metric.value.to_f64() - last.value.to_f64())
    } else {
        change_ratio(&metric.value, &last.value)
    };
    match (&metric.change, computed) {
        (Some(written), Some(ratio)) if agrees(written, ratio) => {}
        (Some(written), computed) => {
            let data = computed.map_or("none (last year's value is 0)".to_string(), |r| {
                rounded_change(r).to_string()
            });
            let msg = format!(
                "`change: {written}` of metric `{}` disagrees with the data: {} on {year}'s {} is {data}",
                metric.id, metric.value, last.value
            );
            let hint = "remove `change:`: in a series it is computed from last year's value";
            diags.push(Diagnostic::warning(&o.file, o.line, o.col, msg).with_hint(hint));
            metric.change = computed.map(rounded_change);
        }
        (None, computed) => metric.change = computed.map(rounded_change),
    }
}

/// The relative change from `last` to `value` as a ratio, `None` when
/// last year's value is zero.
fn change_ratio(value: &Decimal, last: &Decimal) -> Option<f64> {
    let last = last.to_f64();
    (last != 0.0).then(|| (value.to_f64() - last) / last.abs())
}

/// A computed change to a tenth of a percent (0.401 for +40.1%), as an
/// author would write it.
fn rounded_change(ratio: f64) -> Decimal {
    let text = format!("{ratio:.3}");
    let zero = text
        .trim_start_matches('-')
        .trim_start_matches(['0', '.'])
        .is_empty();
    let text = if zero { "0" } else { text.as_str() };
    Decimal::parse(text).unwrap_or_default()
}

/// A written change agrees with the data when it is the data rounded to
/// the digits the author gave.
fn agrees(written: &Decimal, ratio: f64) -> bool {
    let half_step = 0.5 * 10f64.powi(-(written.decimals() as i32));
    (written.to_f64() - ratio).abs() <= half_step + 1e-12
}

/// Every metric left without a value (a year started by `add-year`), by
/// file: the author fills them all in, so all are listed, once each.
pub fn unfilled(catalog: &Catalog) -> Vec<&Metric> {
    let mut unfilled: Vec<&Metric> = catalog.metrics.values().filter(|m| m.unfilled).collect();
    unfilled.sort_by(|a, b| (&a.origin.file, a.origin.line).cmp(&(&b.origin.file, b.origin.line)));
    unfilled
}

/// The diagnostic for a metric without a value: an error, or a warning
/// when the preview shows a placeholder in its place.
pub fn unfilled_diagnostic(metric: &Metric, placeholder: bool) -> Diagnostic {
    let o = &metric.origin;
    let msg = format!("metric `{}` has no value yet", metric.id);
    let hint = "fill in `value:` (nianbao add-year left it empty for this year's figure)";
    let diagnostic = if placeholder {
        Diagnostic::warning(&o.file, o.line, o.col, msg)
    } else {
        Diagnostic::error(&o.file, o.line, o.col, msg)
    };
    diagnostic.with_hint(hint)
}

/// A `years: ID` line chart made drawable: its points are metric ID in
/// every year of the series up to the report's own (never a later one),
/// or in a single report last year's `previous` and this year's value.
/// `None` for any other chart, which is drawn as it is.
pub fn years_chart(chart: &Chart, report: &Report) -> Option<(Chart, Catalog)> {
    let ChartData::Years(id) = &chart.data else {
        return None;
    };
    let current = report.catalog.metrics.get(id)?;
    let mut points: Vec<(String, Metric)> = Vec::new();
    match &report.series {
        Some(place) => {
            let earlier = place.earlier.iter().filter(|y| y.year != report.year);
            for year in earlier {
                if let Some(past) = year.values.get(id) {
                    points.push((year.year.clone(), past.as_metric(current)));
                }
            }
        }
        None => {
            let last_year = report.year.parse::<i64>().ok().map(|y| (y - 1).to_string());
            if let (Some(previous), Some(last_year)) = (&current.previous, last_year) {
                let mut last = current.clone();
                last.value = previous.clone();
                (last.previous, last.change, last.approx) = (None, None, None);
                points.push((last_year, last));
            }
        }
    }
    points.push((report.year.clone(), current.clone()));
    Some(line_over_years(chart, points))
}

/// A line chart like `template` (title, note, highlight) over `points`,
/// one per year, with the catalog it draws from.
pub fn line_over_years(template: &Chart, points: Vec<(String, Metric)>) -> (Chart, Catalog) {
    let mut catalog = Catalog::default();
    let mut drawn = Vec::new();
    for (year, mut metric) in points {
        let id = format!("{}@{year}", metric.id);
        metric.id.clone_from(&id);
        catalog.metrics.insert(id.clone(), metric);
        drawn.push(Point {
            x: year,
            metric: id,
        });
    }
    let chart = Chart {
        data: ChartData::Points(drawn),
        ..template.clone()
    };
    (chart, catalog)
}

/// The text of every section page of a year, by a hash of (chapter slug,
/// section slug, language): a hash of its body, and its file.
pub type SectionTexts = HashMap<u64, (u64, PathBuf)>;

/// Every section page's text of `report`, hashed.
pub fn section_texts(report: &Report) -> SectionTexts {
    // Hashing every text is a pass over the year's prose: in parallel.
    report
        .chapters
        .par_iter()
        .flat_map_iter(|chapter| {
            chapter.sections.iter().flat_map(move |section| {
                section.pages.0.iter().map(move |(lang, page)| {
                    let key = hash_of((&chapter.slug, &section.slug, lang));
                    let text = hash_of(page.body().trim());
                    (key, (text, page.file.clone()))
                })
            })
        })
        .collect()
}

/// A hash that is the same in every run (std's SipHash with fixed keys).
fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A warning for each section whose text is still the one of `year` (a
/// year started by `add-year` keeps last year's text as a draft).
pub fn check_rewritten(
    texts: &SectionTexts,
    last: &SectionTexts,
    year: &str,
    diags: &mut Diagnostics,
) {
    let mut same: Vec<(&PathBuf, &PathBuf)> = texts
        .iter()
        .filter_map(|(key, (hash, file))| {
            let (last_hash, last_file) = last.get(key)?;
            (hash == last_hash).then_some((file, last_file))
        })
        .collect();
    same.sort();
    for (file, last_file) in same {
        let msg = format!(
            "this text is still the same as {year}'s ({})",
            last_file.display()
        );
        let hint = "rewrite it for this year's report";
        diags.push(Diagnostic::warning(file, 0, 0, msg).with_hint(hint));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_changes_round_like_an_author() {
        let d = |s: &str| Decimal::parse(s).unwrap_or_default();
        let r = change_ratio(&d("253620000"), &d("181000000")).unwrap_or(0.0);
        assert_eq!(rounded_change(r).to_string(), "0.401");
        assert!(agrees(&d("0.4"), r));
        assert!(agrees(&d("0.401"), r));
        assert!(!agrees(&d("0.41"), r));
        assert_eq!(change_ratio(&d("5"), &d("0")), None);
        assert_eq!(rounded_change(-0.0001).to_string(), "0");
        assert_eq!(rounded_change(-0.25).to_string(), "-0.25");
    }
}
