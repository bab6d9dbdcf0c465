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

use crate::build::{Prepared, prepare};
use crate::error::Diagnostics;
use crate::render::OutputFile;
use crate::render::site::{self, Charts};
use crate::serve::ServeEvent;

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
    prepared: Prepared,
    charts: Charts,
    /// Section files by path (relative to the site root): (chapter, section, language).
    sections: HashMap<PathBuf, (usize, usize, String)>,
    /// Whole-report pages (`en/print/index.html`) older than the report,
    /// by language code: rendered again when requested.
    stale_print: HashMap<String, String>,
}

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

/// The result of a rebuild: new files (all or some), or the problems.
enum Update {
    Full(Snapshot, usize),
    Partial(Vec<OutputFile>),
}

impl LiveSite {
    /// A site with nothing built yet.
    pub fn new(options: crate::Options) -> Self {
        let (reload, _) = broadcast::channel(16);
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
        let result = {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            let incremental = cache.as_mut().and_then(|c| self.incremental(c, &changed));
            incremental.unwrap_or_else(|| self.full(&mut cache))
        };
        let elapsed = started.elapsed();
        let (outcome, messages) = self.apply(result);
        // No receivers (no open tab) is not an error.
        let _ = self.reload.send(self.version());
        ServeEvent::Built {
            changed,
            elapsed,
            outcome,
            messages,
        }
    }

    fn full(&self, cache: &mut Option<Cache>) -> (Result<Update, ()>, Diagnostics) {
        *cache = None;
        let (prepared, mut diags) = prepare(&self.options);
        let Some(prepared) = prepared.filter(|_| !diags.has_errors()) else {
            return (Err(()), self.finish(diags));
        };
        let charts = site::render_charts(&prepared.report, &prepared.theme);
        let (rendered, render_diags) =
            site::render_with_charts(&prepared.report, &prepared.theme, &charts);
        diags.extend(render_diags);
        if !diags.has_errors() {
            diags.extend(rendered.check_links(&prepared.report.base_url, &[]));
        }
        let diags = self.finish(diags);
        if diags.has_errors() {
            return (Err(()), diags);
        }
        let pages = rendered
            .files
            .iter()
            .filter(|f| f.path.ends_with("index.html"))
            .count();
        let snapshot = Snapshot {
            files: rendered
                .files
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .collect(),
            copies: rendered
                .copies
                .into_iter()
                .map(|(src, dest)| (dest, src))
                .collect(),
        };
        *cache = Some(Cache {
            sections: section_index(&prepared),
            prepared,
            charts,
            stale_print: HashMap::new(),
        });
        (Ok(Update::Full(snapshot, pages)), diags)
    }

    /// Re-renders only the chapters of edited section files; `None` when the
    /// change needs a full rebuild.
    fn incremental(
        &self,
        cache: &mut Cache,
        changed: &[PathBuf],
    ) -> Option<(Result<Update, ()>, Diagnostics)> {
        if changed.is_empty() {
            return None;
        }
        let mut edits = Vec::new();
        for path in changed {
            let location = cache.sections.get(&normalize(path))?.clone();
            let boundary = crate::load::fsguard::Boundary::new(&self.options.root);
            let (page, parse_diags) =
                crate::load::discover::parse_page(&boundary, &self.options.root.join(path));
            // Front-matter problems and drafts go through the full pipeline.
            let page = page.filter(|p| !p.front.draft && parse_diags.is_empty())?;
            edits.push((location, page));
        }
        let mut diags = Diagnostics::new();
        let mut chapters = BTreeSet::new();
        for ((chapter, section, lang), page) in edits {
            let target = cache
                .prepared
                .report
                .chapters
                .get_mut(chapter)?
                .sections
                .get_mut(section)?;
            target.pages.0.insert(lang, page);
            chapters.insert(chapter);
        }
        let report = &cache.prepared.report;
        for &chapter in &chapters {
            for section in &report.chapters[chapter].sections {
                for page in section.pages.0.values() {
                    site::check_page_references(report, page, &mut diags);
                }
            }
        }
        let mut files = Vec::new();
        if !diags.has_errors() {
            for &chapter in &chapters {
                let (pages, render_diags) =
                    site::render_chapter(report, &cache.prepared.theme, &cache.charts, chapter);
                files.extend(pages);
                diags.extend(render_diags);
            }
        }
        let diags = self.finish(diags);
        let result = if diags.has_errors() {
            Err(())
        } else {
            let report = &cache.prepared.report;
            for lang in &report.languages {
                let path = site::print_path(&lang.code, report.default_lang());
                cache
                    .stale_print
                    .insert(format!("{path}index.html"), lang.code.clone());
            }
            Ok(Update::Partial(files))
        };
        Some((result, diags))
    }

    fn finish(&self, mut diags: Diagnostics) -> Diagnostics {
        if self.options.strict {
            diags.make_strict();
        }
        diags.sort();
        diags
    }

    /// Stores a successful update, or the errors of a failed one.
    fn apply(
        &self,
        (result, diags): (Result<Update, ()>, Diagnostics),
    ) -> (Result<usize, usize>, Vec<String>) {
        let messages: Vec<String> = diags.iter().map(ToString::to_string).collect();
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        state.version += 1;
        match result {
            Ok(Update::Full(snapshot, pages)) => {
                state.site = Arc::new(snapshot);
                state.pages = pages;
                state.errors = None;
            }
            Ok(Update::Partial(files)) => {
                let site = Arc::make_mut(&mut state.site);
                for file in files {
                    site.files.insert(file.path, Arc::new(file.bytes));
                }
                state.errors = None;
            }
            Err(()) => {
                state.errors = Some(messages.clone());
                return (Err(diags.error_count().max(1)), messages);
            }
        }
        (Ok(state.pages), messages)
    }

    /// Renders the file at `path` again if it is a whole-report page that
    /// an incremental rebuild left stale; call before serving `path`.
    pub fn refresh(&self, path: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let Some(cache) = cache.as_mut() else {
            return;
        };
        let Some(lang) = cache.stale_print.remove(path) else {
            return;
        };
        let rendered = site::render_print_page(
            &cache.prepared.report,
            &cache.prepared.theme,
            &cache.charts,
            &lang,
        );
        // A template error would have failed the chapter's own render already.
        if let Some(Ok(file)) = rendered {
            let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
            let site = Arc::make_mut(&mut state.site);
            site.files.insert(file.path, Arc::new(file.bytes));
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

/// Where each section file sits in the report.
fn section_index(prepared: &Prepared) -> HashMap<PathBuf, (usize, usize, String)> {
    let mut index = HashMap::new();
    for (c, chapter) in prepared.report.chapters.iter().enumerate() {
        for (s, section) in chapter.sections.iter().enumerate() {
            for (lang, page) in &section.pages.0 {
                index.insert(normalize(&page.file), (c, s, lang.clone()));
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
