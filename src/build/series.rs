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
use crate::model::metric::Metric;
use crate::model::report::Report;
use crate::model::series::{self, LastYear, SectionTexts, Series, SeriesPlace, YearMetrics};
use crate::render::data;
use crate::render::sink::Sink;
use crate::render::site::series::{SeriesPages, YearSummary};
use crate::render::site::{self as site, Charts, RenderOptions};
use crate::render::theme::Theme;
use crate::{load, model};

use super::photos::PhotoCount;
use super::{
    Kept, Options, Prepared, Run, Scanning, SiteFacts, check_report, pdf_paths, read_theme,
};

/// What the years rendered so far add up to.
#[derive(Default)]
struct Totals {
    pages: usize,
    copies: Vec<(std::path::PathBuf, String)>,
    sitemap: Vec<Vec<(String, String)>>,
    print_pages: Vec<site::PrintPage>,
    kept: Vec<Kept>,
    /// The series' CSV so far, a year at a time.
    csv: Option<data::SeriesCsv>,
    photos: PhotoCount,
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
        if !diags.has_errors() {
            if sink.is_none()
                && let Some(open) = open.take()
            {
                let opened = Scanning::new(open()?, series.base_url.clone());
                // The series' logo, before the years whose pages show it.
                if let Some(logo) = &series.brand.logo {
                    opened.put(&site::brand::logo_path(logo), &[&logo.bytes])?;
                }
                sink = Some(opened);
            }
            if let Some(sink) = sink.as_ref() {
                themes.put_new_files(sink)?;
                let charts = render_year(options, &prepared, sink, lint, &mut totals, &mut diags)?;
                if options.preview {
                    let metrics = prepared.report.catalog.metrics.clone();
                    years.keep(&prepared.report.year, metrics);
                    totals.kept.push(Kept { prepared, charts });
                    continue;
                }
            }
        }
        let Prepared { mut report, .. } = prepared;
        years.keep(&report.year, std::mem::take(&mut report.catalog.metrics));
    }
    series::check_trends(&series, &raw.text, &years.trends, &mut diags);
    let Some(sink) = sink.filter(|_| !diags.has_errors()) else {
        return Ok((None, diags));
    };
    let theme = themes.get(options, &series.theme, &codes, &mut diags);
    themes.put_new_files(&sink)?;
    if let Some(theme) = theme.as_ref() {
        let pages = SeriesPages {
            series: &series,
            years: &years.summaries,
            metrics: &years.metrics,
            trends: &years.trends,
            theme,
            sitemap: &totals.sitemap,
        };
        let rendering = site::series::render(&pages, &sink)?;
        let csv = totals
            .csv
            .take()
            .unwrap_or_else(|| data::SeriesCsv::new(&codes));
        sink.put("data/metrics.csv", &[&csv.finish()])?;
        totals.pages += rendering.pages;
        diags.extend(rendering.diags);
    }
    sink.put_search()?;
    sink.add_part(&[], &[], WrittenLinks::new());
    let (sink, broken) = sink.check_links();
    if !diags.has_errors() {
        diags.extend(broken);
    }
    let run = Run {
        kept: totals.kept,
        site: SiteFacts {
            base_url: series.base_url.clone(),
            domain: series.domain.clone(),
            print_pages: totals.print_pages,
        },
        pages: totals.pages,
        photos: totals.photos,
        copies: totals.copies,
        sink,
        warnings: Diagnostics::new(),
    };
    Ok((Some(run), diags))
}

/// Renders one year into the sink and adds what it wrote to `totals`;
/// returns its charts.
fn render_year<S: Sink>(
    options: &Options,
    prepared: &Prepared,
    sink: &Scanning<S>,
    lint: bool,
    totals: &mut Totals,
    diags: &mut Diagnostics,
) -> Result<Charts, Error> {
    let (report, theme) = (&prepared.report, &prepared.theme);
    sink.search_for(report, lint);
    let photos = super::photos::put_photos(report, &options.root, sink, !lint)?;
    totals.photos += photos;
    let charts = site::render_charts(report, theme);
    let render_options = RenderOptions { pdf: options.pdf };
    let rendering = site::render(report, theme, &charts, render_options, sink)?;
    diags.extend(rendering.diags);
    if lint && !diags.has_errors() {
        crate::lint::check(report, diags);
    }
    put_year_data(report, sink, totals)?;
    // The year's own links are checked now; only those to later years wait.
    sink.add_part(
        &rendering.copies,
        &pdf_paths(report, options.pdf),
        rendering.written,
    );
    totals.pages += rendering.pages;
    totals.copies.extend(rendering.copies);
    totals.sitemap.extend(site::sitemap::page_paths(report));
    totals.print_pages.extend(site::print_pages(report));
    Ok(charts)
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
    let series_codes = report.series.as_ref().map_or(codes.clone(), |p| {
        p.series.languages.iter().map(|l| l.code.clone()).collect()
    });
    let csv = totals
        .csv
        .get_or_insert_with(|| data::SeriesCsv::new(&series_codes));
    csv.add_year(&report.year, &rows);
    Ok(())
}

/// Each theme the series uses, read and compiled once.
#[derive(Default)]
struct Themes {
    read: BTreeMap<String, Option<Arc<Theme>>>,
    /// The themes whose files are in the sink, by name.
    written: std::collections::BTreeSet<String>,
}

impl Themes {
    fn get(
        &mut self,
        options: &Options,
        name: &str,
        codes: &[String],
        diags: &mut Diagnostics,
    ) -> Option<Arc<Theme>> {
        self.read
            .entry(name.to_string())
            .or_insert_with(|| read_theme(options, name, codes, diags).map(Arc::new))
            .clone()
    }

    /// Puts the files of every theme read since the last call, before the
    /// pages that use them, so their links resolve as the pages are added.
    fn put_new_files<S: Sink>(&mut self, sink: &Scanning<S>) -> Result<(), Error> {
        for (name, theme) in &self.read {
            let Some(theme) = theme else { continue };
            if self.written.insert(name.clone()) {
                for (path, bytes) in site::asset_files(theme) {
                    sink.put(&path, &[bytes])?;
                }
            }
        }
        Ok(())
    }
}

/// The years read so far: what later years and the series home need of
/// them, which is much less than the years themselves.
struct Years {
    series: Arc<Series>,
    /// Every year's values, oldest first.
    metrics: Vec<Arc<YearMetrics>>,
    /// The year before the next, whole, to compare it with.
    last: Option<LastYear>,
    /// The newest metric of each id in `trends:` (its label and unit draw it).
    trends: BTreeMap<String, Metric>,
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
            last: None,
            trends: BTreeMap::new(),
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
        series::compare(&mut report.catalog, self.last.as_ref(), diags);
        check_report(&report, options, diags);
        self.compare_texts(&report, diags);
        self.summaries.push(YearSummary::of(&report));
        let theme = themes.get(options, &report.theme, codes, diags)?;
        Some(Prepared { report, theme })
    }

    /// Keeps what later years and the series home need of `year`'s
    /// metrics, once the year is written.
    fn keep(&mut self, year: &str, metrics: BTreeMap<String, Metric>) {
        self.metrics.push(Arc::new(YearMetrics::of(year, &metrics)));
        for id in &self.series.trends {
            if let Some(m) = metrics.get(id) {
                self.trends.insert(id.clone(), m.clone());
            }
        }
        self.last = Some(LastYear {
            year: year.to_string(),
            metrics,
        });
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
