//! The pipeline: load → model → render → output, one for every command.
//! [`run`] takes a report through the stages into a [`Sink`]: `build`
//! gives it the staged output folder, so each page is written as soon as it
//! is rendered; `check`, `publish` and `serve` give it memory, because they
//! look at the whole site before anything is written (or serve it from
//! there). So none of them can disagree with `build`.
//!
//! Every run checks the site's links ([`crate::links`]) from the pages as
//! they pass into the sink ([`Scanning`]): the verdict is the same for
//! every command, and `build` never holds the whole site to reach it.
//!
//! A report series ([`series`]) goes through the same stages one year at
//! a time, each year written out before the next is read.

mod photos;
mod series;

pub use photos::{PhotoCount, cache_dir};

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{Diagnostics, Error};
use crate::links::{self, ScannedPage, WrittenLinks};
use crate::model::Report;
use crate::model::nav::BaseUrl;
use crate::output::Stage;
use crate::output::stage::{Contents, SiteFiles};
use crate::render::sink::{MemorySink, Sink};
use crate::render::site::{Charts, PrintPage, RenderOptions, RenderedSite};
use crate::render::theme::Theme;
use crate::{load, model, output, render};

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// Site folder holding `content/` and `themes/`.
    pub root: PathBuf,
    /// Output folder (default `<root>/output`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from report.yaml.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Replace an output folder that nianbao did not create.
    pub force: bool,
    /// Also print each language's whole-report page to `<lang>/report.pdf`
    /// with headless Chromium (`build --pdf`).
    pub pdf: bool,
    /// The paper the PDFs are printed on.
    pub paper: crate::pdf::Paper,
    /// The build is `serve`'s preview: a value left empty shows as a
    /// placeholder (a warning, not an error), and every year of a series
    /// is kept for quick rebuilds.
    pub preview: bool,
}

impl Options {
    /// Options for the site at `root`, everything else default.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            strict: false,
            force: false,
            pdf: false,
            paper: crate::pdf::Paper::default(),
            preview: false,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// A successful render: the site and its warnings.
#[derive(Debug)]
pub struct Rendered {
    /// Files of the site, when rendered in memory ([`render_site`]); empty
    /// after [`build`], which writes each file as it is rendered.
    pub site: RenderedSite,
    /// Warnings (errors make [`render_site`] fail instead).
    pub warnings: Diagnostics,
    /// Number of HTML pages.
    pub pages: usize,
    /// What writing changed in the output folder (empty when only rendered).
    pub changes: output::Changes,
    /// Where the site is published (`--base-url` or report.yaml).
    pub base_url: BaseUrl,
    /// The custom domain from report.yaml, if any.
    pub domain: Option<String>,
    /// Each language's whole-report page (printed by `build --pdf`).
    pub print_pages: Vec<PrintPage>,
    /// Photos published, and how many were encoded (not from the cache).
    pub photos: PhotoCount,
}

/// A loaded and validated report with its theme: what rendering needs.
pub struct Prepared {
    /// The report.
    pub report: Report,
    /// Its theme (shared by the years of a series that use it).
    pub theme: Arc<Theme>,
}

/// Loads and validates the report and reads and compiles its theme.
/// Returns what could be prepared and every problem found on the way.
pub fn prepare(options: &Options) -> (Option<Prepared>, Diagnostics) {
    let (raw, mut diags) = load::discover(&options.root);
    let Some(report) = model::report::build(raw, options.base_url.as_deref(), None, &mut diags)
    else {
        return (None, diags);
    };
    check_report(&report, options, &mut diags);
    let codes: Vec<String> = report.languages.iter().map(|l| l.code.clone()).collect();
    let theme = read_theme(options, &report.theme, &codes, &mut diags);
    let theme = theme.map(Arc::new);
    (theme.map(|theme| Prepared { report, theme }), diags)
}

/// The checks of a validated report that need every metric: references
/// from the text, and values still to fill in.
fn check_report(report: &Report, options: &Options, diags: &mut Diagnostics) {
    for metric in model::series::unfilled(&report.catalog) {
        diags.push(model::series::unfilled_diagnostic(metric, options.preview));
    }
    model::references::check_references(report, diags);
}

/// Reads and compiles the theme `name` for the languages `codes`.
fn read_theme(
    options: &Options,
    name: &str,
    codes: &[String],
    diags: &mut Diagnostics,
) -> Option<Theme> {
    load::theme::read(&options.root, name, diags)
        .and_then(|files| render::theme::compile(files, codes, diags))
}

/// A report with its theme and charts, kept after a run for the
/// preview's quick rebuilds.
pub struct Kept {
    /// The report and theme.
    pub prepared: Prepared,
    /// Every chart, drawn once.
    pub charts: Charts,
}

/// What a run tells about the site as a whole.
#[derive(Debug, Clone, Default)]
pub struct SiteFacts {
    /// Where the site is published (`--base-url`, report.yaml or series.yaml).
    pub base_url: BaseUrl,
    /// The custom domain, if any.
    pub domain: Option<String>,
    /// Every whole-report page (printed by `build --pdf`).
    pub print_pages: Vec<PrintPage>,
}

/// A report (or series) taken through every stage.
pub struct Run<S> {
    /// The reports rendered, for the preview: the report of a single-year
    /// site; every year of a series when [`Options::preview`] is set (else
    /// none: a build holds one year at a time).
    pub kept: Vec<Kept>,
    /// The site as a whole.
    pub site: SiteFacts,
    /// Number of HTML pages put into the sink.
    pub pages: usize,
    /// Photos published, and how many were encoded.
    pub photos: PhotoCount,
    /// (source on disk, path below the output folder) to copy as they are.
    pub copies: Vec<(PathBuf, String)>,
    /// Where the files went.
    pub sink: S,
    /// Warnings, sorted (errors make [`run`] fail instead).
    pub warnings: Diagnostics,
}

/// Takes the report at `options.root` through every stage, rendering into
/// the sink `open` gives. The sink is only opened when the report loaded
/// without errors, so a broken report never touches the output. Fails
/// with every diagnostic when there are errors (warnings too, with
/// `--strict`).
pub fn run<S: Sink + Send>(
    options: &Options,
    open: impl FnOnce() -> Result<S, Error> + Send,
) -> Result<Run<S>, Error> {
    let (run, diags) = stages(options, open, false)?;
    let warnings = settle(diags, options.strict)?;
    // `stages` renders whenever it finds no errors: without a run there are some.
    let run = run.ok_or_else(|| Error::Content(warnings.clone()))?;
    Ok(Run { warnings, ..run })
}

/// [`run`] before `--strict` and the error count decide: the run, when
/// there was one, and every diagnostic. With `lint`, the checks of
/// [`crate::lint`] too, once the site rendered without errors.
fn stages<S: Sink + Send>(
    options: &Options,
    open: impl FnOnce() -> Result<S, Error> + Send,
    lint: bool,
) -> Result<(Option<Run<S>>, Diagnostics), Error> {
    // On a thread of the pool that renders, not the caller's: with the
    // system allocator every thread that allocates keeps an arena of its
    // own, and the caller's would hold a third copy of a year's peak
    // (a series' peak grew with every year; bench/RESULTS.md).
    rayon::scope(|_| stages_here(options, open, lint))
}

/// [`stages`], on the current thread.
fn stages_here<S: Sink>(
    options: &Options,
    open: impl FnOnce() -> Result<S, Error>,
    lint: bool,
) -> Result<(Option<Run<S>>, Diagnostics), Error> {
    if load::series::is_series(&options.root) {
        return series::stages(options, open, lint);
    }
    let (prepared, mut diags) = prepare(options);
    // Rendering a report with errors would only add follow-on noise.
    let Some(prepared) = prepared.filter(|_| !diags.has_errors()) else {
        return Ok((None, diags));
    };
    let sink = Scanning::new(open()?, prepared.report.base_url.clone());
    let (report, theme) = (&prepared.report, &prepared.theme);
    sink.search_for(report, lint);
    // `check` looks at photos' headers only: encoding is the build's work.
    let photos = photos::put_photos(report, &options.root, &sink, !lint)?;
    let charts = render::site::render_charts(report, theme);
    let render_options = RenderOptions { pdf: options.pdf };
    let rendering = render::site::render(report, theme, &charts, render_options, &sink)?;
    diags.extend(rendering.diags);
    let pdfs = pdf_paths(report, options.pdf);
    sink.put_search()?;
    sink.add_part(&rendering.copies, &pdfs, rendering.written);
    let (sink, broken) = sink.check_links();
    // Links are followed only on a site that rendered without errors.
    if !diags.has_errors() {
        diags.extend(broken);
        // After the links, whatever they found: `check` reports everything at once.
        if lint {
            crate::lint::check(report, &mut diags);
        }
    }
    let site = SiteFacts {
        base_url: report.base_url.clone(),
        domain: report.domain.clone(),
        print_pages: render::site::print_pages(report),
    };
    let run = Run {
        kept: vec![Kept { prepared, charts }],
        site,
        pages: rendering.pages,
        photos,
        copies: rendering.copies,
        sink,
        warnings: Diagnostics::new(),
    };
    Ok((Some(run), diags))
}

/// The PDFs `build --pdf` prints after rendering, which pages link to.
fn pdf_paths(report: &Report, pdf: bool) -> Vec<String> {
    let langs = report.languages.iter().filter(|_| pdf);
    langs.map(|l| report.layout.pdf(&l.code)).collect()
}

/// A sink that scans each page put into it for the link check and notes
/// every other path, then passes the file on to the sink it wraps. Only
/// the small per-page summaries are kept, never the pages, and only until
/// the part of the site they belong to is complete ([`Scanning::add_part`]).
struct Scanning<S> {
    inner: S,
    /// The pages put since the last part.
    pages: Mutex<Vec<ScannedPage>>,
    /// Every other file put since the last part (charts, assets, sitemap.xml).
    others: Mutex<Vec<String>>,
    /// The link check of the parts complete so far.
    links: Mutex<links::Checker>,
    /// The pages for reader search, when the site has it (`search:`).
    search: Mutex<Option<crate::search::Collector>>,
}

impl<S> Scanning<S> {
    fn new(inner: S, base_url: BaseUrl) -> Self {
        Self {
            inner,
            pages: Mutex::default(),
            others: Mutex::default(),
            links: Mutex::new(links::Checker::new(base_url)),
            search: Mutex::default(),
        }
    }

    /// The pages put from now on belong to `report`: indexed for reader
    /// search unless it has `search: false` or this is `check` (`lint`),
    /// which writes nothing.
    fn search_for(&self, report: &Report, lint: bool) {
        let mut search = lock(&self.search);
        if report.search && !lint {
            search
                .get_or_insert_with(Default::default)
                .set_report(report);
        } else {
            *search = None;
        }
    }

    /// Completes a part of the site (a report, or a year of a series): its
    /// pages and files put so far, `copies` (copied from content/ after
    /// rendering) and `pdfs`, with `written`, where its bodies' links are
    /// written. Its links are checked as far as the site put so far allows.
    fn add_part(&self, copies: &[(PathBuf, String)], pdfs: &[String], written: WrittenLinks) {
        let pages = std::mem::take(&mut *lock(&self.pages));
        let others = std::mem::take(&mut *lock(&self.others));
        let copied = copies.iter().map(|(_, dest)| dest.clone());
        let files = others.into_iter().chain(copied).chain(pdfs.iter().cloned());
        lock(&self.links).add(pages, files, written);
    }

    /// Puts the reader-search index of every page indexed so far.
    fn put_search(&self) -> Result<(), Error>
    where
        S: Sink,
    {
        use rayon::prelude::*;
        let files = lock(&self.search).take().map(|c| c.files());
        files
            .unwrap_or_default()
            .par_iter()
            .try_for_each(|(path, json)| self.put(path, &[json.as_bytes()]))
    }

    /// An error for every link that leads nowhere in the whole site, once
    /// every part is added.
    fn check_links(self) -> (S, Diagnostics) {
        let checker = self.links.into_inner().unwrap_or_else(|p| p.into_inner());
        (self.inner, checker.finish())
    }
}

/// A lock that a panicking thread left poisoned is still usable: the
/// lists are only ever pushed to.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl<S: Sink> Sink for Scanning<S> {
    fn put(&self, path: &str, parts: &[&[u8]]) -> Result<(), Error> {
        if links::is_html(path) {
            let place = lock(&self.search)
                .as_ref()
                .map(crate::search::Collector::place);
            // A page is most often one part: read in place, not copied.
            // (Checked with SIMD first: much faster than the lossy
            // reading, which only the odd invalid page needs.)
            let html = || match parts {
                [one] => simdutf8::basic::from_utf8(one)
                    .map_or_else(|_| String::from_utf8_lossy(one), Cow::Borrowed),
                _ => Cow::Owned(
                    String::from_utf8(parts.concat())
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                ),
            };
            if let Some(doc) = place.and_then(|p| p.doc(path, html)) {
                let counted = doc.counted();
                if let Some(search) = lock(&self.search).as_mut() {
                    search.add(counted);
                }
            }
            let page = links::scan_page(path, parts);
            lock(&self.pages).push(page);
        } else {
            lock(&self.others).push(path.to_string());
        }
        self.inner.put(path, parts)
    }
}

/// A sink that keeps nothing: `check` needs only the diagnostics, and the
/// link check its scans.
struct Nowhere;

impl Sink for Nowhere {
    fn put(&self, _path: &str, _parts: &[&[u8]]) -> Result<(), Error> {
        Ok(())
    }
}

/// Applies `--strict` and sorts; errors become `Err`.
pub fn settle(mut diags: Diagnostics, strict: bool) -> Result<Diagnostics, Error> {
    if strict {
        diags.make_strict();
    }
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    Ok(diags)
}

/// Loads, validates and renders the report at `options.root`, in memory.
pub fn render_site(options: &Options) -> Result<Rendered, Error> {
    let run = run(options, || Ok(MemorySink::new()))?;
    let site = RenderedSite {
        files: run.sink.into_files(),
        copies: run.copies,
    };
    Ok(Rendered {
        site,
        warnings: run.warnings,
        pages: run.pages,
        print_pages: run.site.print_pages,
        base_url: run.site.base_url,
        domain: run.site.domain,
        changes: output::Changes::default(),
        photos: run.photos,
    })
}

/// Renders and writes the site, each file as soon as it is rendered, into
/// a staged folder that replaces the output at the end (with
/// `options.pdf`, after printing the PDFs from it). On any error the
/// previous output is left exactly as it was.
pub fn build(options: &Options) -> Result<Rendered, Error> {
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir, options.force)?;
    // A missing browser is known before anything is rendered.
    let chromium = options.pdf.then(crate::pdf::find_chromium).transpose()?;
    let run = run(options, || Stage::open(&output_dir))?;
    run.sink.put_files(&copies(&run.copies))?;
    let print_pages = run.site.print_pages;
    let photos = run.photos;
    let changes = match &chromium {
        None => run.sink.commit(&|_| Ok(Vec::new()))?,
        Some(chromium) => run.sink.commit(&|staged| {
            crate::pdf::print_all(chromium, staged, &print_pages, options.paper)
        })?,
    };
    Ok(Rendered {
        site: RenderedSite::default(),
        warnings: run.warnings,
        pages: run.pages,
        changes,
        base_url: run.site.base_url,
        domain: run.site.domain,
        print_pages,
        photos,
    })
}

/// The files to copy from content/, by output path.
fn copies(copies: &[(PathBuf, String)]) -> SiteFiles<'_> {
    copies
        .iter()
        .map(|(source, dest)| (dest.clone(), Contents::Copy(source)))
        .collect()
}

/// Runs every validation of `build`, and the checks of [`crate::lint`],
/// and writes nothing.
pub fn check(options: &Options) -> Result<Diagnostics, Error> {
    let (run, diags) = stages(options, || Ok(Nowhere), true)?;
    if run.is_none() {
        return Err(Error::Content(settle(diags, options.strict)?));
    }
    settle(diags, options.strict)
}

/// True when `path` looks like a report folder (a single report or a series).
pub fn is_site_root(path: &Path) -> bool {
    let content = path.join("content");
    content.join("report.yaml").is_file() || content.join(load::series::SERIES_FILE).is_file()
}
