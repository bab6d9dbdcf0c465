//! Renders every page of the report in every language, the charts, the
//! sitemap, robots.txt and 404 page, the logo, and pushes each file into a
//! [`Sink`] as soon as it is finished, so no page is held longer than it
//! takes to write it.
//!
//! By what they render: [`pages`] (one page through its template),
//! [`home`], [`chapter`], [`print`] (the whole report on one page),
//! [`prose`] (Markdown bodies), [`figure`] (chart figures), [`not_found`],
//! [`sitemap`] (sitemap.xml and robots.txt), [`brand`] (the logo and
//! `site.brand`) and [`copies`] (theme assets and files copied from
//! content/).

pub mod brand;
mod chapter;
mod copies;
mod figure;
mod home;
mod not_found;
mod pages;
mod photo;
mod print;
mod prose;
pub mod series;
pub mod sitemap;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::links::WrittenLinks;
use crate::load::discover::Page;
use crate::model::lang::Language;
use crate::model::nav::Layout;
use crate::model::number::Numbers;
use crate::model::report::{Chapter, Report};
use crate::render::OutputFile;
use crate::render::charts::{self, RenderedChart, TableLabels};
use crate::render::markdown::BodyLink;
use crate::render::sink::{MemorySink, Sink};
use crate::render::theme::{I18n, Theme};
use crate::render::view::ChapterLink;

pub use crate::load::discover::PRINT_SLUG;
pub use copies::asset_files;

/// The rendered site held in memory: files to write and files to copy from
/// the content folder (for `check`, `publish` and tests; `build` writes
/// each file as it is rendered instead).
#[derive(Debug, Default)]
pub struct RenderedSite {
    /// Generated files.
    pub files: Vec<OutputFile>,
    /// (source on disk, path below the output folder) to copy as they are.
    pub copies: Vec<(PathBuf, String)>,
}

/// How to render beyond the report and theme.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// The build also writes `<lang>/report.pdf` (`build --pdf`): pages link to it.
    pub pdf: bool,
}

/// What rendering the whole site produced besides the files it put into
/// the sink.
#[derive(Debug, Default)]
pub struct Rendering {
    /// Number of HTML pages (`index.html` files) written.
    pub pages: usize,
    /// (source on disk, path below the output folder) to copy as they are.
    pub copies: Vec<(PathBuf, String)>,
    /// Problems found: template errors, copies that would replace a
    /// generated file. Rendering goes on past them so all are reported.
    pub diags: Diagnostics,
    /// Where the links of each page's Markdown bodies are written, for the
    /// link check to report a broken one there.
    pub written: WrittenLinks,
}

/// A language's whole-report page, the one `build --pdf` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPage {
    /// Language code (`en`).
    pub lang: String,
    /// The page's folder below the output folder (`en/print/`).
    pub path: String,
    /// Where its PDF is written below the output folder (`en/report.pdf`).
    pub pdf: String,
    /// BCP 47 tag of the language (`zh-Hans`), the PDF's `Lang`.
    pub lang_tag: String,
    /// The report's title in that language, the PDF's `Title`.
    pub title: String,
    /// The organisation, the PDF's `Author` ("" when none).
    pub author: String,
    /// The description (or subtitle), the PDF's `Subject` ("" when none).
    pub subject: String,
}

/// Every language's whole-report page.
pub fn print_pages(report: &Report) -> Vec<PrintPage> {
    report
        .languages
        .iter()
        .map(|l| {
            let text = |t: Option<&crate::model::lang::Text>| {
                t.map_or(String::new(), |t| t.get(&l.code).to_string())
            };
            PrintPage {
                lang: l.code.clone(),
                path: report.layout.page(&l.code, Some(PRINT_SLUG)),
                pdf: report.layout.pdf(&l.code),
                lang_tag: l.tag.clone(),
                title: report.title.get(&l.code).to_string(),
                author: text(report.organization.as_ref()),
                subject: text(report.description.as_ref().or(report.subtitle.as_ref())),
            }
        })
        .collect()
}

/// Where a chart's SVG file is written below the output folder:
/// `charts/ID.LANG.svg`, in a series below the year's folder.
pub fn chart_path(layout: &Layout, id: &str, lang: &str) -> String {
    format!("{}charts/{id}.{lang}.svg", layout.files())
}

/// Where a year's metrics file of type `ext` (`csv`, `json`) is written
/// below the output folder: `2020/data/metrics.csv`.
pub fn data_path(layout: &Layout, ext: &str) -> String {
    format!("{}data/metrics.{ext}", layout.files())
}

/// Every chart in every language, by language code and chart id.
pub type Charts = BTreeMap<String, BTreeMap<String, RenderedChart>>;

/// Draws every chart in every language (in parallel).
pub fn render_charts(report: &Report, theme: &Theme) -> Charts {
    let renderer = Renderer::new(report, theme, RenderOptions::default());
    report
        .languages
        .par_iter()
        .map(|lang| (lang.code.clone(), renderer.charts(lang)))
        .collect()
}

/// Renders the whole site with charts drawn beforehand into `sink`. Only
/// an error of the sink itself (a file that could not be written) stops
/// rendering; problems with the report are in the returned diagnostics.
pub fn render(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    options: RenderOptions,
    sink: &dyn Sink,
) -> Result<Rendering, Error> {
    let renderer = Renderer::new(report, theme, options);
    let mut done = Done::default();
    // A year of a series shares these with the other years: the series
    // writes them once.
    let whole_site = report.series.is_none();
    if whole_site {
        for (path, bytes) in copies::asset_files(theme) {
            done.put(sink, path, bytes)?;
        }
    }
    let series_brand = report.series.as_ref().map(|p| &p.series.brand);
    if let Some(logo) = brand::own_logo(&report.brand, series_brand) {
        done.put(sink, brand::logo_path(logo), &logo.bytes)?;
    }
    for (code, rendered) in charts {
        for (id, chart) in rendered {
            let path = chart_path(&report.layout, id, code);
            done.put(sink, path, chart.file.as_bytes())?;
        }
    }
    for emitted in renderer.all_pages(charts, sink)? {
        done.page(emitted);
    }
    if whole_site {
        for file in [renderer.not_found(), renderer.sitemap(), renderer.robots()] {
            done.page(emit(file, sink)?);
        }
    }
    let copies = renderer.copies(&done.written, &mut done.diags);
    done.diags.sort();
    Ok(Rendering {
        pages: done.pages,
        copies,
        diags: done.diags,
        written: renderer.take_written(),
    })
}

/// Renders the whole site into memory.
pub fn render_in_memory(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    options: RenderOptions,
) -> Result<(RenderedSite, Rendering), Error> {
    let sink = MemorySink::new();
    let mut rendering = render(report, theme, charts, options, &sink)?;
    let site = RenderedSite {
        files: sink.into_files(),
        copies: std::mem::take(&mut rendering.copies),
    };
    Ok((site, rendering))
}

/// The pages of one chapter (0-based index) in every language, for a
/// preview that re-renders only what an edit touched.
pub fn render_chapter(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    index: usize,
    sink: &dyn Sink,
) -> Result<Diagnostics, Error> {
    let renderer = Renderer::new(report, theme, RenderOptions::default());
    let mut diags = Diagnostics::new();
    let Some(chapter) = report.chapters.get(index) else {
        return Ok(diags);
    };
    let results: Vec<_> = report
        .languages
        .par_iter()
        .map(|lang| renderer.emit_page(lang, PageKind::Chapter(chapter), charts, sink))
        .collect::<Result<_, Error>>()?;
    for problem in results.into_iter().filter_map(Emitted::problem) {
        diags.push(problem);
    }
    Ok(diags)
}

/// The whole-report page of one language (which holds every chapter), for
/// a preview that renders it only when it is asked for. `None` for a
/// language the report does not have.
pub fn render_print_page(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    lang: &str,
    sink: &dyn Sink,
) -> Option<Result<Option<Diagnostic>, Error>> {
    let renderer = Renderer::new(report, theme, RenderOptions::default());
    let lang = report.languages.iter().find(|l| l.code == lang)?;
    let emitted = renderer.emit_page(lang, PageKind::Print, charts, sink);
    Some(emitted.map(Emitted::problem))
}

/// Which page to render.
#[derive(Clone, Copy)]
enum PageKind<'a> {
    /// The cover.
    Home,
    /// A chapter.
    Chapter(&'a Chapter),
    /// The whole report on one page.
    Print,
}

/// What became of one page: written, or a problem to report instead.
enum Emitted {
    /// Written at this path.
    Written(String),
    /// Not written.
    Problem(Diagnostic),
}

impl Emitted {
    fn problem(self) -> Option<Diagnostic> {
        match self {
            Emitted::Written(_) => None,
            Emitted::Problem(d) => Some(d),
        }
    }
}

/// Tallies what [`render`] wrote.
#[derive(Default)]
struct Done {
    /// Every path written, for the check that no copy replaces one.
    written: Vec<String>,
    pages: usize,
    diags: Diagnostics,
}

impl Done {
    fn put(&mut self, sink: &dyn Sink, path: String, bytes: &[u8]) -> Result<(), Error> {
        sink.put(&path, &[bytes])?;
        self.written.push(path);
        Ok(())
    }

    fn page(&mut self, emitted: Emitted) {
        match emitted {
            Emitted::Written(path) => {
                if path.ends_with("index.html") {
                    self.pages += 1;
                }
                self.written.push(path);
            }
            Emitted::Problem(d) => self.diags.push(d),
        }
    }
}

/// Puts a rendered file into the sink, or passes its problem on.
fn emit(file: Result<Finished, Diagnostic>, sink: &dyn Sink) -> Result<Emitted, Error> {
    match file {
        Ok(file) => file.emit(sink),
        Err(d) => Ok(Emitted::Problem(d)),
    }
}

/// A generated file ready for the sink: its path and its bytes in parts
/// (see [`Sink::put`]).
struct Finished {
    path: String,
    /// The rendered template, with the markers section bodies go in.
    text: String,
    /// Section bodies spliced in where their markers are (whole-report page).
    bodies: Vec<String>,
}

impl Finished {
    fn whole(path: impl Into<String>, text: String) -> Self {
        Self {
            path: path.into(),
            text,
            bodies: Vec::new(),
        }
    }

    /// Puts the file into the sink; its bytes are dropped afterwards.
    fn emit(self, sink: &dyn Sink) -> Result<Emitted, Error> {
        let parts = print::splice(&self.text, &self.bodies);
        sink.put(&self.path, &parts)?;
        Ok(Emitted::Written(self.path))
    }
}

/// Everything rendering needs that is the same for every page.
/// The theme's number conventions of each language with the report's
/// choices for money.
fn report_numbers(report: &Report, theme: &Theme) -> BTreeMap<String, Numbers> {
    theme
        .i18n
        .iter()
        .map(|(lang, i18n)| {
            let money = report.money.get(lang).copied();
            (
                lang.clone(),
                i18n.numbers.for_report(money, report.precision),
            )
        })
        .collect()
}

struct Renderer<'a> {
    report: &'a Report,
    theme: &'a Theme,
    options: RenderOptions,
    /// Theme static file name → fingerprinted path below the output folder.
    assets: BTreeMap<String, String>,
    /// The theme's chart colours, with the brand's accent.
    chart: crate::render::charts::ChartStyle,
    fallback_i18n: I18n,
    /// How each language writes numbers in this report (the theme's words
    /// with the report's `money:` and `precision:`).
    numbers: BTreeMap<String, Numbers>,
    /// Chapter link texts per language, rendered once.
    chapter_texts: BTreeMap<String, Vec<ChapterLink>>,
    /// `chapters` template values by (language, page folder).
    chapter_lists: Mutex<BTreeMap<(String, String), tera::Value>>,
    /// Where the links of the bodies rendered so far are written.
    written: Mutex<WrittenLinks>,
}

impl<'a> Renderer<'a> {
    fn new(report: &'a Report, theme: &'a Theme, options: RenderOptions) -> Self {
        let mut renderer = Self {
            report,
            theme,
            options,
            assets: copies::asset_paths(theme),
            chart: brand::chart_style(&theme.chart, &report.brand),
            fallback_i18n: I18n::default(),
            numbers: report_numbers(report, theme),
            chapter_texts: BTreeMap::new(),
            chapter_lists: Mutex::new(BTreeMap::new()),
            written: Mutex::default(),
        };
        renderer.chapter_texts = report
            .languages
            .iter()
            .map(|lang| {
                let texts = report
                    .chapters
                    .iter()
                    .map(|c| renderer.chapter_texts(lang, c));
                (lang.code.clone(), texts.collect())
            })
            .collect();
        renderer
    }

    /// Notes where the links of a body of `page`, rendered for the page at
    /// `path`, are written. `elsewhere`: the body is not on its own page.
    fn record_links(&self, path: &str, page: &Page, links: Vec<BodyLink>, elsewhere: bool) {
        let written = super::links::written(page, links, elsewhere);
        if written.is_empty() {
            return;
        }
        let mut all = self.written.lock().unwrap_or_else(|p| p.into_inner());
        all.entry(format!("{path}index.html"))
            .or_default()
            .extend(written);
    }

    /// Every link recorded so far, leaving none behind.
    fn take_written(&self) -> WrittenLinks {
        std::mem::take(&mut self.written.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn i18n(&self, lang: &str) -> &I18n {
        self.theme.i18n.get(lang).unwrap_or(&self.fallback_i18n)
    }

    /// How numbers are written in `lang` in this report.
    fn numbers(&self, lang: &str) -> &Numbers {
        self.numbers
            .get(lang)
            .unwrap_or(&self.fallback_i18n.numbers)
    }

    /// A UI string; its key when the theme has none.
    fn t(&self, lang: &str, key: &str) -> String {
        self.i18n(lang)
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    fn table_labels(&self, lang: &str) -> TableLabels {
        TableLabels {
            item: self.t(lang, "table_item"),
            value: self.t(lang, "table_value"),
            exact: self.t(lang, "table_exact"),
            change: self.t(lang, "table_change"),
            previous: self.t(lang, "table_previous"),
        }
    }

    fn charts(&self, lang: &Language) -> BTreeMap<String, RenderedChart> {
        let words = self.numbers(&lang.code);
        let labels = self.table_labels(&lang.code);
        self.report
            .catalog
            .charts
            .par_iter()
            .map(|(id, chart)| {
                // A chart across the years is drawn from the years' data.
                let years = crate::model::series::years_chart(chart, self.report);
                let (chart, catalog) = years
                    .as_ref()
                    .map_or((chart, &self.report.catalog), |(c, cat)| (c, cat));
                let rendered = charts::render(
                    chart,
                    catalog,
                    &lang.code,
                    words,
                    &self.chart,
                    &format!("chart-{id}"),
                    &labels,
                );
                (id.clone(), rendered)
            })
            .collect()
    }

    /// Every page of every language, rendered in parallel and written as
    /// each is finished.
    fn all_pages(&self, charts: &Charts, sink: &dyn Sink) -> Result<Vec<Emitted>, Error> {
        let languages = &self.report.languages;
        let pages: Vec<(&Language, PageKind<'_>)> = languages
            .iter()
            .flat_map(|lang| {
                std::iter::once(PageKind::Home)
                    .chain(self.report.chapters.iter().map(PageKind::Chapter))
                    .map(move |kind| (lang, kind))
            })
            .collect();
        let emit =
            |(lang, kind): &(&Language, PageKind<'_>)| self.emit_page(lang, *kind, charts, sink);
        // A whole-report page holds every section's body until it is
        // written, so they are rendered one after another (half as many at
        // once as there are threads) while the chapter pages keep the other
        // threads busy: on 2 cores, both at once would double the peak
        // memory and gain no time, the total work being the same.
        let at_once = (rayon::current_num_threads() / 2).max(1);
        let printed: Vec<(&Language, PageKind<'_>)> =
            languages.iter().map(|l| (l, PageKind::Print)).collect();
        let (printed, others) = rayon::join(
            || -> Result<Vec<Emitted>, Error> {
                let mut done = Vec::new();
                for chunk in printed.chunks(at_once) {
                    let emitted: Vec<_> = chunk.par_iter().map(emit).collect::<Result<_, _>>()?;
                    done.extend(emitted);
                }
                Ok(done)
            },
            || pages.par_iter().map(emit).collect::<Result<Vec<_>, _>>(),
        );
        let mut all = others?;
        all.extend(printed?);
        Ok(all)
    }

    /// Renders one page and puts it into the sink.
    fn emit_page(
        &self,
        lang: &Language,
        kind: PageKind<'_>,
        charts: &Charts,
        sink: &dyn Sink,
    ) -> Result<Emitted, Error> {
        let empty = BTreeMap::new();
        let charts = charts.get(&lang.code).unwrap_or(&empty);
        emit(self.page(lang, kind, charts), sink)
    }
}
