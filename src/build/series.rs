//! The pipeline for a report series: the years go through the stages of a
//! single report one at a time, oldest first, each written into the sink
//! before the next is read, so a build holds one year (and the small
//! metrics of the years before it), never the sum of the years. Each year
//! is compared with the one before from the data; the series home, the
//! 404 page, the sitemap and the series' data file come last, once every
//! year is known.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Diagnostics, Error};
use crate::links::WrittenLinks;
use crate::load::series::RawSeriesSite;
use crate::model::report::Report;
use crate::model::series::{self, SectionTexts, Series, SeriesPlace, YearMetrics};
use crate::render::data;
use crate::render::sink::Sink;
use crate::render::site::series::{SeriesPages, YearSummary};
use crate::render::site::{self as site, RenderOptions};
use crate::render::theme::Theme;
use crate::{load, model};

use super::{
    Kept, Options, Prepared, Run, Scanning, SiteFacts, check_report, pdf_paths, read_theme,
};

/// What the years rendered so far add up to.
#[derive(Default)]
struct Totals {
    pages: usize,
    copies: Vec<(std::path::PathBuf, String)>,
    written: WrittenLinks,
    pdfs: Vec<String>,
    sitemap: Vec<Vec<(String, String)>>,
    print_pages: Vec<site::PrintPage>,
    kept: Vec<Kept>,
    /// Every year's metrics, for the series' CSV.
    rows: Vec<(String, Vec<data::MetricRow>)>,
}

/// [`super::stages`] for a series.
pub(super) fn stages<S: Sink>(
    options: &Options,
    open: impl FnOnce() -> Result<S, Error>,
    lint: bool,
) -> Result<(Option<Run<S>>, Diagnostics), Error> {
    let (raw, mut diags) = load::series::discover_series(&options.root);
    let Some(raw) = raw else {
        return Ok((None, diags));
    };
    let Some(series) = series::build(&raw, options.base_url.as_deref(), &mut diags) else {
        return Ok((None, diags));
    };
    let series = Arc::new(series);
    let codes: Vec<String> = series.languages.iter().map(|l| l.code.clone()).collect();
    let mut themes = Themes::default();
    let mut years = Years::new(series.clone());
    let mut open = Some(open);
    let mut sink: Option<Scanning<S>> = None;
    let mut totals = Totals::default();
    for folder in &raw.years {
        let Some(prepared) = years.prepare(options, &raw, folder, &mut themes, &codes, &mut diags)
        else {
            continue;
        };
        // Rendering once a year has errors would only add follow-on noise.
        if diags.has_errors() {
            continue;
        }
        if sink.is_none()
            && let Some(open) = open.take()
        {
            sink = Some(Scanning::new(open()?));
        }
        let Some(sink) = sink.as_ref() else {
            continue;
        };
        render_year(options, prepared, sink, lint, &mut totals, &mut diags)?;
    }
    series::check_trends(&series, &raw.text, &years.metrics, &mut diags);
    let Some(sink) = sink.filter(|_| !diags.has_errors()) else {
        return Ok((None, diags));
    };
    let theme = themes.get(options, &series.theme, &codes, &mut diags);
    if let Some(theme) = theme.as_ref() {
        let pages = SeriesPages {
            series: &series,
            years: &years.summaries,
            metrics: &years.metrics,
            theme,
            other_themes: themes.others(&series.theme),
            sitemap: &totals.sitemap,
        };
        let rendering = site::series::render(&pages, &sink)?;
        let csv = data::series_csv(&totals.rows, &codes);
        sink.put("data/metrics.csv", &[&csv])?;
        totals.pages += rendering.pages;
        diags.extend(rendering.diags);
    }
    if !diags.has_errors() {
        let base_url = &series.base_url;
        diags.extend(sink.check_links(&totals.copies, &totals.pdfs, &totals.written, base_url));
    }
    let run = Run {
        kept: totals.kept,
        site: SiteFacts {
            base_url: series.base_url.clone(),
            domain: series.domain.clone(),
            print_pages: totals.print_pages,
        },
        pages: totals.pages,
        copies: totals.copies,
        sink: sink.inner,
        warnings: Diagnostics::new(),
    };
    Ok((Some(run), diags))
}

/// Renders one year into the sink and adds what it wrote to `totals`.
fn render_year<S: Sink>(
    options: &Options,
    prepared: Prepared,
    sink: &Scanning<S>,
    lint: bool,
    totals: &mut Totals,
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    let (report, theme) = (&prepared.report, &prepared.theme);
    let charts = site::render_charts(report, theme);
    let render_options = RenderOptions { pdf: options.pdf };
    let rendering = site::render(report, theme, &charts, render_options, sink)?;
    diags.extend(rendering.diags);
    if lint && !diags.has_errors() {
        crate::lint::check(report, diags);
    }
    put_year_data(report, sink, totals)?;
    totals.pages += rendering.pages;
    totals.copies.extend(rendering.copies);
    totals.written.extend(rendering.written);
    totals.pdfs.extend(pdf_paths(report, options.pdf));
    totals.sitemap.extend(site::sitemap::page_paths(report));
    totals.print_pages.extend(site::print_pages(report));
    if options.preview {
        totals.kept.push(Kept { prepared, charts });
    }
    Ok(())
}

/// Writes a year's metrics as CSV and JSON, and keeps its rows for the
/// series' CSV.
fn put_year_data<S: Sink>(
    report: &Report,
    sink: &Scanning<S>,
    totals: &mut Totals,
) -> Result<(), Error> {
    let rows = data::rows(report);
    let codes: Vec<String> = report.languages.iter().map(|l| l.code.clone()).collect();
    let csv = data::year_csv(&rows, &codes);
    let json = data::year_json(&report.year, &rows, &codes);
    sink.put(&site::data_path(&report.layout, "csv"), &[&csv])?;
    sink.put(&site::data_path(&report.layout, "json"), &[&json])?;
    totals.rows.push((report.year.clone(), rows));
    Ok(())
}

/// Each theme the series uses, read and compiled once.
#[derive(Default)]
struct Themes(BTreeMap<String, Option<Arc<Theme>>>);

impl Themes {
    fn get(
        &mut self,
        options: &Options,
        name: &str,
        codes: &[String],
        diags: &mut Diagnostics,
    ) -> Option<Arc<Theme>> {
        self.0
            .entry(name.to_string())
            .or_insert_with(|| read_theme(options, name, codes, diags).map(Arc::new))
            .clone()
    }

    /// Every theme read, but `name`.
    fn others(&self, name: &str) -> Vec<Arc<Theme>> {
        let others = self.0.iter().filter(|(n, _)| n.as_str() != name);
        others.filter_map(|(_, t)| t.clone()).collect()
    }
}

/// The years read so far: what later years and the series home need of
/// them, which is much less than the years themselves.
struct Years {
    series: Arc<Series>,
    /// Every year's metrics, oldest first.
    metrics: Vec<Arc<YearMetrics>>,
    /// Every year's cover, for the series home.
    summaries: Vec<YearSummary>,
    /// The section texts of the year before, to warn about text not yet
    /// rewritten.
    last_texts: Option<(String, SectionTexts)>,
}

impl Years {
    fn new(series: Arc<Series>) -> Self {
        Self {
            series,
            metrics: Vec::new(),
            summaries: Vec::new(),
            last_texts: None,
        }
    }

    /// Reads, validates and compares one year; `None` when its report or
    /// theme is unusable (the diagnostics say why).
    fn prepare(
        &mut self,
        options: &Options,
        raw: &RawSeriesSite,
        folder: &load::series::RawYearFolder,
        themes: &mut Themes,
        codes: &[String],
        diags: &mut Diagnostics,
    ) -> Option<Prepared> {
        let (site, found) = load::discover_in(&options.root, &folder.dir, Some(&raw.raw));
        diags.extend(found);
        let place = SeriesPlace {
            year: folder.year.clone(),
            series: self.series.clone(),
            earlier: self.metrics.clone(),
        };
        let mut report = model::report::build(site, None, Some(place), diags)?;
        series::compare(
            &mut report.catalog,
            self.metrics.last().map(|m| &**m),
            diags,
        );
        check_report(&report, options, diags);
        self.compare_texts(&report, diags);
        self.metrics.push(Arc::new(YearMetrics {
            year: report.year.clone(),
            metrics: report.catalog.metrics.clone(),
        }));
        self.summaries.push(YearSummary::of(&report));
        let theme = themes.get(options, &report.theme, codes, diags)?;
        Some(Prepared { report, theme })
    }

    /// Warns about each section whose text is the same as last year's.
    fn compare_texts(&mut self, report: &Report, diags: &mut Diagnostics) {
        let texts = series::section_texts(report);
        if let Some((year, last)) = &self.last_texts {
            series::check_rewritten(&texts, last, year, diags);
        }
        self.last_texts = Some((report.year.clone(), texts));
    }
}
