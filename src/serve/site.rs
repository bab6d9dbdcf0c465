//! The site as served: the last good build in memory, the errors of the
//! last build when it failed, and what is needed to rebuild only what an
//! edit touched.
//!
//! A full rebuild loads everything; an edit to an existing section file
//! re-reads that file and re-renders only its chapter's pages (in every
//! language), reusing the validated report, the theme and the charts. Any
//! other change (metrics, chapter titles, templates, new or deleted files)
//! rebuilds in full, as Zola does, so the preview can never drift from
//! `build`. The whole-report pages hold every chapter, so after such an
//! edit they are re-rendered when they are next asked for, not on every
//! save.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::build::{self, Kept, Prepared};
use crate::error::{Diagnostic, Diagnostics, Error};
use crate::model::references::check_page_references;
use crate::render::OutputFile;
use crate::render::sink::MemorySink;
use crate::render::site;
use crate::serve::{BuildOutcome, ServeEvent};

/// One build's files, by URL path below the site root.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// Generated files.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Files served from the content folder as they are.
    pub copies: HashMap<String, PathBuf>,
}

/// What the last full build left for the next incremental one.
struct Cache {
    /// The report, or every year of a series, with theme and charts.
    reports: Vec<Kept>,
    /// Section files by path (relative to the site root): where each is.
    sections: HashMap<PathBuf, Place>,
    /// Whole-report pages (`en/print/index.html`) older than their report,
    /// with the report (index in `reports`) and language code: rendered
    /// again when requested.
    stale_print: HashMap<String, (usize, String)>,
}

/// Where a section file sits: (report, chapter, section, language).
type Place = (usize, usize, usize, String);

/// The served state, shared by the server and the watcher.
pub struct LiveSite {
    options: crate::Options,
    state: RwLock<State>,
    cache: Mutex<Option<Cache>>,
    reload: broadcast::Sender<u64>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

#[derive(Default)]
struct State {
    site: Arc<Snapshot>,
    /// Formatted errors of the last build, when it failed.
    errors: Option<Vec<String>>,
    pages: usize,
    version: u64,
}

/// The result of a rebuild, with its diagnostics.
enum Update {
    /// A whole new site with this many pages.
    Full(Snapshot, usize),
    /// New versions of some files of the current site.
    Partial(Vec<OutputFile>),
    /// The build failed; the last good site stays.
    Failed,
}

impl LiveSite {
    /// A site with nothing built yet.
    pub fn new(options: crate::Options) -> Self {
        let (reload, _) = broadcast::channel(16);
        // The preview shows values still to fill in as placeholders.
        let options = crate::Options {
            preview: true,
            ..options
        };
        Self {
            options,
            state: RwLock::new(State::default()),
            cache: Mutex::new(None),
            reload,
            shutdown: tokio::sync::watch::Sender::new(false),
        }
    }

    /// The build options.
    pub fn options(&self) -> &crate::Options {
        &self.options
    }

    /// Rebuilds after `changed` (empty: the first build), keeps the last
    /// good site when the build fails, and tells every open tab to reload.
    pub fn rebuild(&self, changed: Vec<PathBuf>) -> ServeEvent {
        let started = Instant::now();
        let (update, diagnostics) = {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            let incremental = cache.as_mut().and_then(|c| self.incremental(c, &changed));
            incremental.unwrap_or_else(|| self.full(&mut cache))
        };
        let elapsed = started.elapsed();
        let outcome = self.apply(update, &diagnostics);
        // No receivers (no open tab) is not an error.
        let _ = self.reload.send(self.version());
        ServeEvent::Built {
            changed,
            elapsed,
            outcome,
            diagnostics,
        }
    }

    /// The whole pipeline, as `build` runs it, into memory.
    fn full(&self, cache: &mut Option<Cache>) -> (Update, Diagnostics) {
        *cache = None;
        let run = match build::run(&self.options, || Ok(MemorySink::new())) {
            Ok(run) => run,
            Err(err) => return (Update::Failed, self.failure(err)),
        };
        let snapshot = Snapshot {
            files: run
                .sink
                .into_files()
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .collect(),
            copies: run
                .copies
                .into_iter()
                .map(|(src, dest)| (dest, src))
                .collect(),
        };
        *cache = Some(Cache {
            sections: section_index(&run.kept),
            reports: run.kept,
            stale_print: HashMap::new(),
        });
        (Update::Full(snapshot, run.pages), run.warnings)
    }

    /// The diagnostics of a failed build.
    fn failure(&self, err: Error) -> Diagnostics {
        match err {
            Error::Content(diags) => diags,
            // Rendering into memory cannot fail to write; anything else is
            // shown like a problem with the report, at its root.
            other => {
                let mut diags = Diagnostics::new();
                diags.push(Diagnostic::error(
                    &self.options.root,
                    0,
                    0,
                    other.to_string(),
                ));
                diags
            }
        }
    }

    /// Re-renders only the chapters of edited section files; `None` when the
    /// change needs a full rebuild.
    fn incremental(&self, cache: &mut Cache, changed: &[PathBuf]) -> Option<(Update, Diagnostics)> {
        if changed.is_empty() {
            return None;
        }
        let edits = self.edited_pages(cache, changed)?;
        let mut chapters = BTreeSet::new();
        for ((report, chapter, section, lang), page) in edits {
            let target = cache
                .reports
                .get_mut(report)?
                .prepared
                .report
                .chapters
                .get_mut(chapter)?
                .sections
                .get_mut(section)?;
            target.pages.0.insert(lang, page);
            chapters.insert((report, chapter));
        }
        let (files, diags) = match self.render_chapters(cache, &chapters) {
            Ok(rendered) => rendered,
            Err(err) => return Some((Update::Failed, self.failure(err))),
        };
        match build::settle(diags, self.options.strict) {
            Ok(warnings) => {
                for &(report, _) in &chapters {
                    if let Some(kept) = cache.reports.get(report) {
                        cache
                            .stale_print
                            .extend(print_pages(report, &kept.prepared));
                    }
                }
                Some((Update::Partial(files), warnings))
            }
            Err(err) => Some((Update::Failed, self.failure(err))),
        }
    }

    /// The edited section files, parsed again, by where they sit in the
    /// report; `None` when one is not a known section, or its front matter
    /// has problems or makes it a draft (the full pipeline handles those).
    fn edited_pages(&self, cache: &Cache, changed: &[PathBuf]) -> Option<Vec<Edit>> {
        let boundary = crate::load::fsguard::Boundary::new(&self.options.root);
        changed
            .iter()
            .map(|path| {
                let location = cache.sections.get(&normalize(path))?.clone();
                let (page, parse_diags) =
                    crate::load::discover::parse_page(&boundary, &self.options.root.join(path));
                let page = page.filter(|p| !p.front.draft && parse_diags.is_empty())?;
                Some((location, page))
            })
            .collect()
    }

    /// Checks the references of `chapters` and renders their pages.
    fn render_chapters(
        &self,
        cache: &Cache,
        chapters: &BTreeSet<(usize, usize)>,
    ) -> Result<(Vec<OutputFile>, Diagnostics), Error> {
        let mut diags = Diagnostics::new();
        let chapters: Vec<(&Kept, usize)> = chapters
            .iter()
            .filter_map(|&(report, chapter)| Some((cache.reports.get(report)?, chapter)))
            .collect();
        for &(kept, chapter) in &chapters {
            let report = &kept.prepared.report;
            for section in &report.chapters[chapter].sections {
                for page in section.pages.0.values() {
                    check_page_references(report, page, &mut diags);
                }
            }
        }
        let sink = MemorySink::new();
        if !diags.has_errors() {
            for (kept, chapter) in chapters {
                let Kept { prepared, charts } = kept;
                let (report, theme) = (&prepared.report, &prepared.theme);
                diags.extend(site::render_chapter(report, theme, charts, chapter, &sink)?);
            }
        }
        Ok((sink.into_files(), diags))
    }

    /// Stores a successful update, or the errors of a failed one.
    fn apply(&self, update: Update, diags: &Diagnostics) -> BuildOutcome {
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        state.version += 1;
        match update {
            Update::Full(snapshot, pages) => {
                state.site = Arc::new(snapshot);
                state.pages = pages;
            }
            Update::Partial(files) => {
                let site = Arc::make_mut(&mut state.site);
                for file in files {
                    site.files.insert(file.path, Arc::new(file.bytes));
                }
            }
            Update::Failed => {
                state.errors = Some(diags.iter().map(ToString::to_string).collect());
                return BuildOutcome::Failed {
                    errors: diags.error_count().max(1),
                };
            }
        }
        state.errors = None;
        BuildOutcome::Built { pages: state.pages }
    }

    /// Renders the file at `path` again if it is a whole-report page that
    /// an incremental rebuild left stale; call before serving `path`.
    pub fn refresh(&self, path: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let Some(cache) = cache.as_mut() else {
            return;
        };
        let Some((report, lang)) = cache.stale_print.remove(path) else {
            return;
        };
        let Some(Kept { prepared, charts }) = cache.reports.get(report) else {
            return;
        };
        let sink = MemorySink::new();
        let rendered =
            site::render_print_page(&prepared.report, &prepared.theme, charts, &lang, &sink);
        // A template error would have failed the chapter's own render already.
        if let Some(Ok(None)) = rendered {
            let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
            let site = Arc::make_mut(&mut state.site);
            for file in sink.into_files() {
                site.files.insert(file.path, Arc::new(file.bytes));
            }
        }
    }

    /// The current site and the errors to show over it.
    pub fn current(&self) -> (Arc<Snapshot>, Option<Vec<String>>) {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        (state.site.clone(), state.errors.clone())
    }

    /// The number of builds so far (pages carry it, so a tab can tell it is stale).
    pub fn version(&self) -> u64 {
        self.state.read().unwrap_or_else(|p| p.into_inner()).version
    }

    /// Ends every open event stream, so the server can stop while tabs are open.
    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves once [`LiveSite::shut_down`] was called.
    pub fn shutting_down(&self) -> impl std::future::Future<Output = ()> + Send + 'static + use<> {
        let mut rx = self.shutdown.subscribe();
        async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        }
    }

    /// A receiver of reload notifications.
    pub fn subscribe(&self) -> broadcast::Receiver<u64> {
        self.reload.subscribe()
    }
}

/// An edited section file: where it sits and the page read again.
type Edit = (Place, crate::load::discover::Page);

/// Every language's whole-report page file of report number `index`, by
/// path: all stale after an edit.
fn print_pages(index: usize, prepared: &Prepared) -> HashMap<String, (usize, String)> {
    site::print_pages(&prepared.report)
        .into_iter()
        .map(|p| (format!("{}index.html", p.path), (index, p.lang)))
        .collect()
}

/// Where each section file sits among the reports.
fn section_index(reports: &[Kept]) -> HashMap<PathBuf, Place> {
    let mut index = HashMap::new();
    for (r, kept) in reports.iter().enumerate() {
        for (c, chapter) in kept.prepared.report.chapters.iter().enumerate() {
            for (s, section) in chapter.sections.iter().enumerate() {
                for (lang, page) in &section.pages.0 {
                    index.insert(normalize(&page.file), (r, c, s, lang.clone()));
                }
            }
        }
    }
    index
}

/// `./content/a.md` and `content/a.md` are the same file.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}
