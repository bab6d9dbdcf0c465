//! Renders every page of the report in every language, the charts, the
//! sitemap, robots.txt and 404 page.

use std::cell::RefCell;
use std::sync::Mutex;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics};
use crate::links::WrittenLinks;
use crate::load::discover::Page;
use crate::load::locate::LineIndex;
use crate::model::lang::Language;
use crate::model::nav::{self, page_path};
use crate::model::report::{Chapter, Report, Translation};
use crate::render::charts::{self, RenderedChart, TableLabels};
use crate::render::markdown::{self, Context, Ids, RefKind, unique_id};
use crate::render::theme::{I18n, Theme};
use crate::render::view::*;
use crate::render::{OutputFile, fingerprint, html_escape};

/// The rendered site: files to write and files to copy from the content folder.
#[derive(Debug, Default)]
pub struct RenderedSite {
    /// Generated files.
    pub files: Vec<OutputFile>,
    /// (source on disk, path below the output folder) to copy as they are.
    pub copies: Vec<(PathBuf, String)>,
    /// Where the links of each page's Markdown are written.
    pub written: WrittenLinks,
}

/// Renders the whole site. Problems (unknown references, template errors)
/// are returned as diagnostics; rendering goes on so all are reported.
pub fn render(report: &Report, theme: &Theme) -> (RenderedSite, Diagnostics) {
    render_with_charts(report, theme, &render_charts(report, theme))
}

/// How to render beyond the report and theme.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// The build also writes `<lang>/report.pdf` (`build --pdf`): pages link to it.
    pub pdf: bool,
}

/// The path of a language's PDF below the output folder, `en/report.pdf`:
/// for every language, the default one too, so the file's place never
/// depends on which language comes first.
pub fn pdf_path(lang: &str) -> String {
    format!("{lang}/report.pdf")
}

/// The whole-report page of a language: `print/` (default) or `en/print/`.
pub fn print_path(lang: &str, default_lang: &str) -> String {
    page_path(lang, default_lang, Some(PRINT_SLUG))
}

/// The folder name of the whole-report page; no chapter may use it.
pub const PRINT_SLUG: &str = "print";

/// Ids the templates use; Markdown headings that ask for one get a suffix.
const TEMPLATE_IDS: &[&str] = &[
    "main",
    "toc-title",
    "highlights-title",
    "foreword-title",
    "contents-title",
    "print-contents",
];

fn page_ids() -> Ids {
    TEMPLATE_IDS.iter().map(|s| (*s).to_string()).collect()
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

/// The pages of one chapter (0-based index) in every language, for a
/// preview that re-renders only what an edit touched.
pub fn render_chapter(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    index: usize,
) -> (Vec<OutputFile>, Diagnostics) {
    let renderer = Renderer::new(report, theme, RenderOptions::default());
    let mut diags = Diagnostics::new();
    let mut files = Vec::new();
    let empty = BTreeMap::new();
    let Some(chapter) = report.chapters.get(index) else {
        return (files, diags);
    };
    let results: Vec<_> = report
        .languages
        .par_iter()
        .map(|lang| {
            let charts = charts.get(&lang.code).unwrap_or(&empty);
            renderer.page(lang, PageKind::Chapter(chapter), charts)
        })
        .collect();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

/// The whole-report page of one language (which holds every chapter), for
/// a preview that renders it only when it is asked for.
pub fn render_print_page(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    lang: &str,
) -> Option<Result<OutputFile, Diagnostic>> {
    let renderer = Renderer::new(report, theme, RenderOptions::default());
    let lang = report.languages.iter().find(|l| l.code == lang)?;
    let empty = BTreeMap::new();
    let charts = charts.get(&lang.code).unwrap_or(&empty);
    Some(renderer.page(lang, PageKind::Print, charts))
}

/// Renders the whole site with charts drawn beforehand.
pub fn render_with_charts(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
) -> (RenderedSite, Diagnostics) {
    render_with_options(report, theme, charts, RenderOptions::default())
}

/// Renders the whole site with charts drawn beforehand and `options`.
pub fn render_with_options(
    report: &Report,
    theme: &Theme,
    charts: &Charts,
    options: RenderOptions,
) -> (RenderedSite, Diagnostics) {
    let mut diags = Diagnostics::new();
    let renderer = Renderer::new(report, theme, options);
    let mut site = RenderedSite::default();
    site.files.extend(renderer.asset_files());
    for (code, rendered) in charts {
        site.files
            .extend(rendered.iter().map(|(id, chart)| OutputFile {
                path: format!("charts/{id}.{code}.svg"),
                bytes: chart.file.clone().into_bytes(),
            }));
    }
    // Every page of every language, rendered in parallel, written in order.
    let pages: Vec<(&Language, PageKind<'_>)> = report
        .languages
        .iter()
        .flat_map(|lang| {
            std::iter::once(PageKind::Home)
                .chain(report.chapters.iter().map(PageKind::Chapter))
                .chain(std::iter::once(PageKind::Print))
                .map(move |kind| (lang, kind))
        })
        .collect();
    let empty = BTreeMap::new();
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .par_iter()
        .map(|(lang, kind)| {
            let charts = charts.get(&lang.code).unwrap_or(&empty);
            renderer.page(lang, *kind, charts)
        })
        .collect();
    for result in results {
        match result {
            Ok(file) => site.files.push(file),
            Err(d) => diags.push(d),
        }
    }
    match renderer.not_found() {
        Ok(file) => site.files.push(file),
        Err(d) => diags.push(d),
    }
    site.files.push(renderer.sitemap());
    site.files.push(renderer.robots());
    site.copies = renderer.copies(&site.files, &mut diags);
    site.written = renderer.take_written();
    diags.sort();
    (site, diags)
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

/// Where Markdown bodies render: the page's ids, the current chapter's
/// anchors, how deep headings start and where relative links point.
struct Scope<'s> {
    ids: &'s mut Ids,
    anchors: BTreeMap<String, String>,
    link_base: String,
    /// 0 on chapter and home pages; 1 in the whole-report view, where a
    /// chapter's title is an h2.
    depth: u8,
}

impl<'s> Scope<'s> {
    fn page(ids: &'s mut Ids) -> Self {
        Self {
            ids,
            anchors: BTreeMap::new(),
            link_base: String::new(),
            depth: 0,
        }
    }
}

struct Renderer<'a> {
    report: &'a Report,
    theme: &'a Theme,
    options: RenderOptions,
    /// Theme static file name → fingerprinted path below the output folder.
    assets: BTreeMap<String, String>,
    fallback_i18n: I18n,
    /// Chapter link texts per language, rendered once.
    chapter_texts: BTreeMap<String, Vec<ChapterLink>>,
    /// `chapters` template values by (language, page folder).
    chapter_lists: Mutex<BTreeMap<(String, String), tera::Value>>,
    /// Where the links of the pages rendered so far are written.
    written: Mutex<WrittenLinks>,
}

impl<'a> Renderer<'a> {
    fn new(report: &'a Report, theme: &'a Theme, options: RenderOptions) -> Self {
        let assets = theme
            .static_files
            .iter()
            .map(|(name, bytes)| {
                (
                    name.clone(),
                    format!("assets/{}", fingerprinted_name(name, bytes)),
                )
            })
            .collect();
        let mut renderer = Self {
            report,
            theme,
            options,
            assets,
            fallback_i18n: I18n::default(),
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

    /// Notes where the links of a body rendered for the page at `path` are written.
    fn record_links(
        &self,
        path: &str,
        page: &Page,
        links: Vec<markdown::BodyLink>,
        elsewhere: bool,
    ) {
        let written = super::links::written(page, links, elsewhere);
        if written.is_empty() {
            return;
        }
        let mut all = self.written.lock().unwrap_or_else(|p| p.into_inner());
        all.entry(format!("{path}index.html"))
            .or_default()
            .extend(written);
    }

    fn take_written(&self) -> WrittenLinks {
        std::mem::take(&mut self.written.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn i18n(&self, lang: &str) -> &I18n {
        self.theme.i18n.get(lang).unwrap_or(&self.fallback_i18n)
    }

    fn t(&self, lang: &str, key: &str) -> String {
        self.i18n(lang)
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    fn asset_files(&self) -> Vec<OutputFile> {
        self.theme
            .static_files
            .iter()
            .filter_map(|(name, bytes)| {
                Some(OutputFile {
                    path: self.assets.get(name)?.clone(),
                    bytes: bytes.clone(),
                })
            })
            .collect()
    }

    /// Files copied as they are: content/assets/ and each chapter's files
    /// (next to the chapter page in every language). A file that would
    /// replace a generated one is an error naming both, not a silent swap.
    fn copies(&self, generated: &[OutputFile], diags: &mut Diagnostics) -> Vec<(PathBuf, String)> {
        let mut planned: Vec<(&PathBuf, PathBuf, String)> = self
            .report
            .assets
            .iter()
            .map(|(src, rel)| {
                let file = Path::new("content/assets").join(rel);
                (src, file, format!("assets/{}", slash_path(rel)))
            })
            .collect();
        for chapter in &self.report.chapters {
            for lang in &self.report.languages {
                let dir = page_path(&lang.code, self.report.default_lang(), Some(&chapter.slug));
                planned.extend(chapter.files.iter().map(|(src, rel)| {
                    (
                        src,
                        chapter.dir.join(rel),
                        format!("{dir}{}", slash_path(rel)),
                    )
                }));
            }
        }
        let generated: HashSet<&str> = generated.iter().map(|f| f.path.as_str()).collect();
        let mut reported = HashSet::new();
        for (_, file, dest) in &planned {
            if generated.contains(dest.as_str()) && reported.insert(file.clone()) {
                let msg = format!("this file would replace the generated `{dest}`");
                let hint = "rename or remove it; nianbao writes that file itself";
                diags.push(Diagnostic::error(file, 0, 0, msg).with_hint(hint));
            }
        }
        planned
            .into_iter()
            .map(|(src, _, dest)| (src.clone(), dest))
            .collect()
    }

    fn table_labels(&self, lang: &str) -> TableLabels {
        TableLabels {
            item: self.t(lang, "table_item"),
            value: self.t(lang, "table_value"),
            exact: self.t(lang, "table_exact"),
            change: self.t(lang, "table_change"),
        }
    }

    fn charts(&self, lang: &Language) -> BTreeMap<String, RenderedChart> {
        let words = &self.i18n(&lang.code).numbers;
        let labels = self.table_labels(&lang.code);
        self.report
            .catalog
            .charts
            .par_iter()
            .map(|(id, chart)| {
                let rendered = charts::render(
                    chart,
                    &self.report.catalog,
                    &lang.code,
                    words,
                    &self.theme.chart,
                    &format!("chart-{id}"),
                    &labels,
                );
                (id.clone(), rendered)
            })
            .collect()
    }

    fn page(
        &self,
        lang: &Language,
        kind: PageKind<'_>,
        charts: &BTreeMap<String, RenderedChart>,
    ) -> Result<OutputFile, Diagnostic> {
        let default = self.report.default_lang();
        let path = match kind {
            PageKind::Home => page_path(&lang.code, default, None),
            PageKind::Chapter(c) => page_path(&lang.code, default, Some(&c.slug)),
            PageKind::Print => print_path(&lang.code, default),
        };
        let site = self.site_view(lang, &path, kind);
        let chapters = self.chapters_value(lang, &path);
        let mut ids = page_ids();
        let figures = RefCell::new(Ids::default());
        let md = PageMarkdown {
            renderer: self,
            lang,
            path: &path,
            charts,
            figures: &figures,
        };
        let (template, page) = match kind {
            PageKind::Home => (
                "home.html",
                self.home_view(lang, &path, &md, &mut Scope::page(&mut ids)),
            ),
            PageKind::Chapter(chapter) => {
                let mut scope = Scope::page(&mut ids);
                let view = self.chapter_content(lang, &path, chapter, &md, &mut scope);
                let mut page = self.page_view(lang, &path, "chapter", view.title.clone());
                if let Some(summary) = self.chapter_summary(lang, chapter) {
                    page.description = summary;
                }
                page.chapter = Some(view);
                ("chapter.html", page)
            }
            PageKind::Print => ("print.html", self.print_view(lang, &path, &md, &mut ids)),
        };
        // The whole-report page holds every section: their HTML goes into
        // the rendered page once, not through the template context too.
        let mut page = page;
        let bodies = take_section_bodies(&mut page);
        let html = self.render_template(template, &site, &page, chapters, &lang.code)?;
        let mut html = splice_section_bodies(html, bodies);
        // Every page is held until the site is written: drop the slack the
        // template engine's growing buffer left (up to half of it).
        html.shrink_to_fit();
        Ok(OutputFile {
            path: format!("{path}index.html"),
            bytes: html.into_bytes(),
        })
    }

    /// The whole report on one page: cover, highlights, foreword, a table
    /// of contents and every chapter. Ids are unique on the page; each
    /// chapter's in-page links point at its own headings, and relative
    /// links and images point where they do on the chapter's own page.
    fn print_view(
        &self,
        lang: &Language,
        path: &str,
        md: &PageMarkdown<'_>,
        ids: &mut Ids,
    ) -> PageView {
        let default = self.report.default_lang();
        // Chapter anchors first, so they do not depend on the chapters' text.
        let anchors: Vec<(String, String)> = self
            .report
            .chapters
            .iter()
            .map(|c| {
                let anchor = unique_id(&c.slug, ids);
                let title = unique_id(&format!("{}-title", c.slug), ids);
                (anchor, title)
            })
            .collect();
        let mut page = {
            let mut scope = Scope::page(ids);
            scope.link_base = nav::link(path, &page_path(&lang.code, default, None));
            self.home_view(lang, path, md, &mut scope)
        };
        let chapters = self
            .report
            .chapters
            .iter()
            .zip(anchors)
            .map(|(chapter, (anchor, title_id))| {
                let mut scope = Scope::page(ids);
                let chapter_path = page_path(&lang.code, default, Some(&chapter.slug));
                scope.link_base = nav::link(path, &chapter_path);
                scope.depth = 1;
                let mut view = self.chapter_content(lang, path, chapter, md, &mut scope);
                view.prev = None;
                view.next = None;
                PrintChapter {
                    anchor,
                    title_id,
                    chapter: view,
                }
            })
            .collect();
        page.kind = "print".into();
        page.title = self.t(&lang.code, "whole_report");
        page.print = Some(PrintView { chapters });
        page
    }

    fn render_template(
        &self,
        template: &str,
        site: &SiteView,
        page: &PageView,
        chapters: tera::Value,
        lang: &str,
    ) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("page", page);
        ctx.insert_value("chapters", chapters);
        ctx.insert("t", &self.i18n(lang).strings);
        self.theme
            .tera
            .render(template, &ctx)
            .map_err(|e| self.theme.diagnostic(&e))
    }

    fn site_view(&self, lang: &Language, path: &str, kind: PageKind<'_>) -> SiteView {
        let r = self.report;
        let code = lang.code.as_str();
        let optional = |t: &Option<crate::model::lang::Text>| {
            t.as_ref()
                .map_or(String::new(), |t| t.get(code).to_string())
        };
        let root = nav::root_prefix(path);
        let default = r.default_lang();
        let languages = r
            .languages
            .iter()
            .map(|other| {
                let target = match kind {
                    PageKind::Home => page_path(&other.code, default, None),
                    PageKind::Chapter(c) => page_path(&other.code, default, Some(&c.slug)),
                    PageKind::Print => print_path(&other.code, default),
                };
                LanguageLink {
                    code: other.code.clone(),
                    tag: other.tag.clone(),
                    name: self.language_name(&other.code),
                    url: nav::link(path, &target),
                    absolute_url: r.base_url.absolute(&target),
                    current: other.code == lang.code,
                }
            })
            .collect();
        SiteView {
            title: r.title.get(code).to_string(),
            subtitle: optional(&r.subtitle),
            organization: optional(&r.organization),
            description: optional(&r.description),
            year: r.year.clone(),
            lang: lang.code.clone(),
            lang_tag: lang.tag.clone(),
            home_url: nav::link(path, &page_path(code, default, None)),
            print_url: nav::link(path, &print_path(code, default)),
            pdf_url: if self.options.pdf {
                format!("{root}{}", pdf_path(code))
            } else {
                String::new()
            },
            assets: self
                .assets
                .iter()
                .map(|(k, v)| (k.clone(), format!("{root}{v}")))
                .collect(),
            root,
            languages,
            generator: format!("nianbao {}", env!("CARGO_PKG_VERSION")),
        }
    }

    fn language_name(&self, code: &str) -> String {
        self.theme
            .i18n
            .get(code)
            .and_then(|i| i.strings.get("language_name"))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    fn fallback_view(&self, shown: &Translation<'_>) -> Option<FallbackView> {
        let tag = self
            .report
            .languages
            .iter()
            .find(|l| l.code == shown.lang)
            .map_or(shown.lang.to_string(), |l| l.tag.clone());
        shown.fallback.then(|| FallbackView {
            lang: shown.lang.to_string(),
            tag,
            name: self.language_name(shown.lang),
        })
    }

    /// The `chapters` template variable for the page at `path`, built once
    /// per language and folder: every chapter page of a language sits at the
    /// same depth, so they share one list (a big report has thousands of
    /// chapters; a list per page would cost pages × chapters).
    fn chapters_value(&self, lang: &Language, path: &str) -> tera::Value {
        let home = page_path(&lang.code, self.report.default_lang(), None);
        let folder = if path == home {
            home
        } else {
            let parent = path
                .trim_end_matches('/')
                .rsplit_once('/')
                .map_or("", |(p, _)| p);
            if parent.is_empty() {
                "*/".to_string()
            } else {
                format!("{parent}/*/")
            }
        };
        let key = (lang.code.clone(), folder);
        let mut cache = self.chapter_lists.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry(key)
            .or_insert_with_key(|(_, folder)| {
                let links: Vec<ChapterLink> = self
                    .report
                    .chapters
                    .iter()
                    .map(|c| self.chapter_link(lang, folder, c))
                    .collect();
                tera::Value::from_serializable(&links)
            })
            .clone()
    }

    /// The link to `chapter` from the page at `from`. The texts are rendered
    /// once per language (`chapter_texts`); only the URL depends on the page.
    fn chapter_link(&self, lang: &Language, from: &str, chapter: &Chapter) -> ChapterLink {
        let cached = self
            .chapter_texts
            .get(&lang.code)
            .and_then(|links| links.get(chapter.number - 1));
        let mut link = match cached {
            Some(link) => link.clone(),
            None => self.chapter_texts(lang, chapter),
        };
        link.url = nav::link(from, &link.url);
        link
    }

    /// A chapter's link texts in one language; `url` is the chapter's page path.
    fn chapter_texts(&self, lang: &Language, chapter: &Chapter) -> ChapterLink {
        let index = chapter.index.get(&lang.code, &self.report.languages);
        let front = index.as_ref().map(|t| &t.page.front);
        let text = |f: Option<&Option<String>>| f.and_then(|s| s.clone()).unwrap_or_default();
        let words = &self.i18n(&lang.code).numbers;
        let summary = text(front.map(|f| &f.summary));
        let summary_html = if summary.is_empty() {
            String::new()
        } else {
            inline_markdown(&summary, self.report, &lang.code, words)
        };
        ChapterLink {
            number: chapter.number,
            title: text(front.map(|f| &f.title)),
            kicker: replace_metrics(
                &text(front.map(|f| &f.kicker)),
                self.report,
                &lang.code,
                words,
            ),
            summary_html,
            url: page_path(&lang.code, self.report.default_lang(), Some(&chapter.slug)),
        }
    }

    fn page_view(&self, lang: &Language, path: &str, kind: &str, title: String) -> PageView {
        let code = lang.code.as_str();
        let description = self
            .report
            .description
            .as_ref()
            .or(self.report.subtitle.as_ref())
            .map_or(String::new(), |t| t.get(code).to_string());
        PageView {
            kind: kind.to_string(),
            title,
            description,
            canonical_url: self.report.base_url.absolute(path),
            og_locale: lang.tag.replace('-', "_"),
            home: None,
            chapter: None,
            print: None,
        }
    }

    fn home_view(
        &self,
        lang: &Language,
        path: &str,
        md: &PageMarkdown<'_>,
        scope: &mut Scope<'_>,
    ) -> PageView {
        let code = lang.code.as_str();
        let words = &self.i18n(code).numbers;
        let highlights = self
            .report
            .highlights
            .iter()
            .filter_map(|id| self.report.catalog.metrics.get(id))
            .map(|m| {
                let parts = m.parts(code, words);
                CardView {
                    id: m.id.clone(),
                    label: m.label.get(code).to_string(),
                    text: parts.joined(),
                    before: parts.before.trim().to_string(),
                    number: parts.number,
                    after: parts.after.trim().to_string(),
                    change: m
                        .change
                        .as_ref()
                        .map(|c| charts::signed_percent(c, words))
                        .unwrap_or_default(),
                    change_negative: m.change.as_ref().is_some_and(|c| c.is_negative()),
                }
            })
            .collect();
        let foreword = self.report.home.get(code, &self.report.languages);
        let foreword_html = foreword.as_ref().map_or(String::new(), |t| {
            md.render(t.page, "foreword", 2, scope).html
        });
        let title = self.report.title.get(code).to_string();
        let mut page = self.page_view(lang, path, "home", title);
        page.home = Some(HomeView {
            highlights,
            foreword_title: self.t(code, "foreword"),
            foreword_html,
            fallback: foreword.as_ref().and_then(|t| self.fallback_view(t)),
        });
        page
    }

    /// A chapter's summary with metric values, for the page description.
    fn chapter_summary(&self, lang: &Language, chapter: &Chapter) -> Option<String> {
        let code = lang.code.as_str();
        let index = chapter.index.get(code, &self.report.languages)?;
        let summary = index.page.front.summary.as_ref()?;
        Some(replace_metrics(
            summary,
            self.report,
            code,
            &self.i18n(code).numbers,
        ))
    }

    /// A chapter's opener, sections and contents. Section ids are given
    /// before any body is rendered, so a link to a later section works.
    fn chapter_content(
        &self,
        lang: &Language,
        path: &str,
        chapter: &Chapter,
        md: &PageMarkdown<'_>,
        scope: &mut Scope<'_>,
    ) -> ChapterView {
        let code = lang.code.as_str();
        let langs = &self.report.languages;
        let index = chapter.index.get(code, langs);
        let front = index
            .as_ref()
            .map(|t| t.page.front.clone())
            .unwrap_or_default();
        let lead = index
            .as_ref()
            .map(|t| md.render(t.page, "lead", 2, scope))
            .unwrap_or_default();
        let shown: Vec<_> = chapter
            .sections
            .iter()
            .filter_map(|section| {
                let shown = section.pages.get(code, langs)?;
                let id = unique_id(&section.slug, scope.ids);
                scope
                    .anchors
                    .entry(section.slug.clone())
                    .or_insert_with(|| id.clone());
                Some((id, shown))
            })
            .collect();
        let mut toc = Vec::new();
        let level = 3 + scope.depth;
        let mut unresolved = vec![lead.unresolved];
        let mut sections: Vec<SectionView> = shown
            .into_iter()
            .map(|(id, shown)| {
                let rendered = md.render(shown.page, &id, 3, scope);
                unresolved.push(rendered.unresolved);
                let title = shown.page.front.title.clone().unwrap_or_default();
                let children = rendered
                    .headings
                    .into_iter()
                    .filter(|h| h.level == level)
                    .collect();
                toc.push(TocEntry {
                    id: id.clone(),
                    title: title.clone(),
                    children,
                });
                SectionView {
                    id,
                    title,
                    html: rendered.html,
                    fallback: self.fallback_view(&shown),
                }
            })
            .collect();
        // Links to headings further on in the chapter.
        let mut lead_html = lead.html;
        let htmls = std::iter::once(&mut lead_html).chain(sections.iter_mut().map(|s| &mut s.html));
        for (html, unresolved) in htmls.zip(&unresolved) {
            markdown::fix_fragments(html, unresolved, &scope.anchors);
        }
        let link = |n: usize| {
            self.report
                .chapters
                .get(n)
                .map(|c| self.chapter_link(lang, path, c))
        };
        ChapterView {
            number: chapter.number,
            title: front.title.clone().unwrap_or_default(),
            kicker: replace_metrics(
                &front.kicker.clone().unwrap_or_default(),
                self.report,
                code,
                &self.i18n(code).numbers,
            ),
            lead_html,
            title_by_editor: front.title_by_editor,
            fallback: index.as_ref().and_then(|t| self.fallback_view(t)),
            sections,
            toc,
            prev: chapter.number.checked_sub(2).and_then(link),
            next: link(chapter.number),
        }
    }

    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let lang = self
            .report
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| Language::new("en"));
        // The 404 page is served at any depth, so its links start at the base path.
        let mut site = self.site_view(&lang, "", PageKind::Home);
        let base = self.report.base_url.path.clone();
        site.root = base.clone();
        site.home_url = base.clone();
        site.print_url = format!(
            "{base}{}",
            print_path(&lang.code, self.report.default_lang())
        );
        if !site.pdf_url.is_empty() {
            site.pdf_url = format!("{base}{}", pdf_path(&lang.code));
        }
        site.assets = self
            .assets
            .iter()
            .map(|(k, v)| (k.clone(), format!("{base}{v}")))
            .collect();
        for link in &mut site.languages {
            link.url = format!(
                "{base}{}",
                page_path(&link.code, self.report.default_lang(), None)
            );
        }
        let chapters: Vec<ChapterLink> = self
            .report
            .chapters
            .iter()
            .map(|chapter| {
                let mut link = self.chapter_link(&lang, "", chapter);
                link.url = format!("{base}{}", link.url);
                link
            })
            .collect();
        let page = self.page_view(
            &lang,
            "404.html",
            "404",
            self.t(&lang.code, "not_found_title"),
        );
        let chapters = tera::Value::from_serializable(&chapters);
        let html = self.render_template("404.html", &site, &page, chapters, &lang.code)?;
        Ok(OutputFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
        })
    }

    fn page_paths(&self) -> Vec<Vec<(String, String)>> {
        let r = self.report;
        let slugs = std::iter::once(None)
            .chain(r.chapters.iter().map(|c| Some(c.slug.as_str())))
            .chain(std::iter::once(Some(PRINT_SLUG)));
        slugs
            .map(|slug| {
                r.languages
                    .iter()
                    .map(|l| (l.tag.clone(), page_path(&l.code, r.default_lang(), slug)))
                    .collect()
            })
            .collect()
    }

    fn sitemap(&self) -> OutputFile {
        let base = &self.report.base_url;
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for variants in self.page_paths() {
            for (_, path) in &variants {
                xml.push_str(&format!(
                    "  <url>\n    <loc>{}</loc>\n",
                    html_escape(&base.absolute(path))
                ));
                for (tag, alt) in &variants {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        html_escape(tag),
                        html_escape(&base.absolute(alt))
                    ));
                }
                xml.push_str("  </url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: xml.into_bytes(),
        }
    }

    fn robots(&self) -> OutputFile {
        let mut text = String::from("User-agent: *\nAllow: /\n");
        // A sitemap must be named by an absolute URL; without a host, leave it out.
        if !self.report.base_url.origin.is_empty() {
            text.push_str(&format!(
                "Sitemap: {}\n",
                self.report.base_url.absolute("sitemap.xml")
            ));
        }
        OutputFile {
            path: "robots.txt".into(),
            bytes: text.into_bytes(),
        }
    }
}

/// Renders Markdown bodies for one page: metric values in its language and
/// chart figures linking to the downloadable SVGs.
struct PageMarkdown<'a> {
    renderer: &'a Renderer<'a>,
    lang: &'a Language,
    path: &'a str,
    charts: &'a BTreeMap<String, RenderedChart>,
    /// Chart element ids used on the page.
    figures: &'a RefCell<Ids>,
}

impl PageMarkdown<'_> {
    fn render(
        &self,
        page: &Page,
        id_prefix: &str,
        min_heading: u8,
        scope: &mut Scope<'_>,
    ) -> markdown::Html {
        let report = self.renderer.report;
        let code = self.lang.code.as_str();
        let words = &self.renderer.i18n(code).numbers;
        let metric = |id: &str, filter: Option<&str>| metric_text(report, id, filter, code, words);
        let figure = |id: &str, caption: &str| self.figure(id, caption);
        let mut ctx = Context {
            metric: &metric,
            figure: &figure,
            id_prefix,
            ids: scope.ids,
            min_heading: min_heading + scope.depth,
            anchors: &mut scope.anchors,
            link_base: &scope.link_base,
            table_label: &self.renderer.t(code, "table"),
        };
        let mut html = markdown::render(page.body(), &mut ctx);
        let links = std::mem::take(&mut html.links);
        let elsewhere = !scope.link_base.is_empty();
        self.renderer
            .record_links(self.path, page, links, elsewhere);
        html
    }

    fn figure(&self, id: &str, caption: &str) -> Option<String> {
        let chart = self.charts.get(id)?;
        let dom_id = unique_id(&format!("chart-{id}"), &mut self.figures.borrow_mut());
        let svg = chart
            .inline
            .replace(&format!("\"chart-{id}-"), &format!("\"{dom_id}-"))
            .replace(&format!(" chart-{id}-desc\""), &format!(" {dom_id}-desc\""));
        let r = self.renderer;
        let code = &self.lang.code;
        let download = format!("{}charts/{id}.{code}.svg", nav::root_prefix(self.path));
        let note = r
            .report
            .catalog
            .charts
            .get(id)
            .and_then(|c| c.note.as_ref())
            .map_or(String::new(), |n| {
                format!("<p class=\"chart-note\">{}</p>", html_escape(n.get(code)))
            });
        Some(format!(
            "<figure class=\"chart-figure\" id=\"fig-{dom_id}\">\n<figcaption>{caption}</figcaption>\n<div class=\"chart-svg\">{svg}</div>\n{note}<details class=\"chart-data\"><summary>{}</summary>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">{}</div>\n</details>\n<p class=\"chart-download\"><a href=\"{download}\" download>{}</a></p>\n</figure>\n",
            html_escape(&r.t(code, "data_table")),
            html_escape(&r.t(code, "data_table")),
            chart.table,
            html_escape(&r.t(code, "download_svg")),
        ))
    }
}

fn metric_text(
    report: &Report,
    id: &str,
    filter: Option<&str>,
    lang: &str,
    words: &crate::model::number::NumberWords,
) -> Option<String> {
    let m = report.catalog.metrics.get(id)?;
    match filter {
        None => Some(m.format(lang, words)),
        Some("number") => Some(m.format_number(lang, words)),
        Some("change") => m.format_change(words),
        Some(_) => None,
    }
}

/// Replaces metric references in plain front-matter text.
fn replace_metrics(
    text: &str,
    report: &Report,
    lang: &str,
    words: &crate::model::number::NumberWords,
) -> String {
    let mut out = text.to_string();
    for r in markdown::scan_references(text)
        .iter()
        .rev()
        .filter(|r| r.kind == RefKind::Metric)
    {
        let Some(end) = text[r.offset..].find("}}").map(|e| r.offset + e + 2) else {
            continue;
        };
        if let Some(value) = metric_text(report, &r.id, r.filter.as_deref(), lang, words) {
            out.replace_range(r.offset..end, &value);
        }
    }
    out
}

fn inline_markdown(
    text: &str,
    report: &Report,
    lang: &str,
    words: &crate::model::number::NumberWords,
) -> String {
    let mut ids = Ids::default();
    let metric = |id: &str, filter: Option<&str>| metric_text(report, id, filter, lang, words);
    let figure = |_: &str, _: &str| None;
    let mut ctx = Context {
        metric: &metric,
        figure: &figure,
        id_prefix: "summary",
        ids: &mut ids,
        min_heading: 2,
        anchors: &mut BTreeMap::new(),
        link_base: "",
        table_label: "",
    };
    markdown::render_inline(text, &mut ctx)
}

/// Marks where section `n`'s body goes in a rendered page.
fn body_marker(n: usize) -> String {
    format!("<!--nianbao-section-body-{n}-->")
}

/// Moves the section bodies of a whole-report page out of its view,
/// leaving markers; [`splice_section_bodies`] puts them back.
fn take_section_bodies(page: &mut PageView) -> Vec<String> {
    let Some(print) = page.print.as_mut() else {
        return Vec::new();
    };
    let sections = print
        .chapters
        .iter_mut()
        .flat_map(|c| c.chapter.sections.iter_mut());
    sections
        .enumerate()
        .map(|(n, s)| std::mem::replace(&mut s.html, body_marker(n)))
        .collect()
}

/// The rendered page with each marker replaced by its section's body. A
/// marker the template did not output leaves its body out.
fn splice_section_bodies(html: String, bodies: Vec<String>) -> String {
    if bodies.is_empty() {
        return html;
    }
    let size = html.len() + bodies.iter().map(String::len).sum::<usize>();
    let mut out = String::with_capacity(size);
    let mut rest = html.as_str();
    for (n, body) in bodies.iter().enumerate() {
        let marker = body_marker(n);
        if let Some(at) = rest.find(&marker) {
            out.push_str(&rest[..at]);
            out.push_str(body);
            rest = &rest[at + marker.len()..];
        }
    }
    out.push_str(rest);
    out
}

fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let hash = fingerprint(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

fn slash_path(path: &std::path::Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks every metric and chart reference in every Markdown file and in
/// front matter; warns about metrics and charts nothing refers to.
pub fn check_references(report: &Report, diags: &mut Diagnostics) {
    for chapter in report.chapters.iter().filter(|c| c.slug == PRINT_SLUG) {
        let msg = format!(
            "the chapter folder {} would be served at `{PRINT_SLUG}/`, where the whole-report page is",
            chapter.dir.display()
        );
        diags.push(
            Diagnostic::error(&chapter.dir, 0, 0, msg)
                .with_hint("rename the folder (e.g. NN-printing)"),
        );
    }
    let mut used_metrics: BTreeSet<&str> = report.highlights.iter().map(String::as_str).collect();
    let mut used_charts = BTreeSet::new();
    for chart in report.catalog.charts.values() {
        used_metrics.extend(chart.metric_ids());
    }
    for page in all_pages(report) {
        let (metrics, charts) = check_page_references(report, page, diags);
        for id in metrics {
            if let Some((k, _)) = report.catalog.metrics.get_key_value(&id) {
                used_metrics.insert(k.as_str());
            }
        }
        used_charts.extend(charts);
    }
    for m in report
        .catalog
        .metrics
        .values()
        .filter(|m| !used_metrics.contains(m.id.as_str()))
    {
        let msg = format!("metric `{}` is not used in any page or chart", m.id);
        let hint = format!("refer to it with {{{{ metric:{} }}}}, or remove it", m.id);
        diags.push(
            Diagnostic::warning(&m.origin.file, m.origin.line, m.origin.col, msg).with_hint(hint),
        );
    }
    for c in report
        .catalog
        .charts
        .values()
        .filter(|c| !used_charts.contains(&c.id))
    {
        let msg = format!("chart `{}` is not placed on any page", c.id);
        let hint = format!("place it with ![caption](chart:{}) on its own line", c.id);
        diags.push(
            Diagnostic::warning(&c.origin.file, c.origin.line, c.origin.col, msg).with_hint(hint),
        );
    }
}

/// Checks the metric and chart references of one page (body, summary and
/// kicker); returns the metric ids and chart ids it refers to.
pub fn check_page_references(
    report: &Report,
    page: &Page,
    diags: &mut Diagnostics,
) -> (Vec<String>, Vec<String>) {
    let (mut metrics, mut charts) = (Vec::new(), Vec::new());
    let body = markdown::scan_references(page.body())
        .into_iter()
        .map(|r| (page.body_offset, r));
    let front = [&page.front.summary, &page.front.kicker]
        .into_iter()
        .flatten()
        .flat_map(|text| {
            let base = page.text.find(text.as_str()).unwrap_or(0);
            markdown::scan_references(text)
                .into_iter()
                .map(move |r| (base, r))
        });
    // One index per page: a section may hold many thousands of references.
    let lines = LineIndex::new(&page.text);
    for (base, r) in body.chain(front) {
        let (line, col) = lines.line_col(base + r.offset);
        check_reference(report, &r, &page.file, line, col, diags);
        match r.kind {
            RefKind::Metric => metrics.push(r.id),
            RefKind::Chart => charts.push(r.id),
            RefKind::Unknown => {}
        }
    }
    check_page_urls(page, &lines, diags);
    (metrics, charts)
}

/// A summary is not trusted with script: its links may only go to http(s),
/// mailto or relative URLs (others are dropped when rendering). A body is
/// the author's own HTML, but a script URL in it is most likely pasted in
/// by mistake, so it is worth a warning.
fn check_page_urls(page: &Page, lines: &LineIndex<'_>, diags: &mut Diagnostics) {
    if let Some(summary) = &page.front.summary {
        // A quoted summary with escapes is not in the file as written:
        // point at its key then.
        let base = page.text.find(summary.as_str());
        for (offset, url) in markdown::links_where(summary, |u| !markdown::is_safe_url(u)) {
            let (line, col) = match base {
                Some(base) => lines.line_col(base + offset),
                None => crate::load::locate::key(&page.text, "summary", 0),
            };
            let msg = format!("`{url}` is not allowed in a summary; it is shown as plain text");
            let hint = "link to an http(s), mailto or relative URL";
            diags.push(Diagnostic::error(&page.file, line, col, msg).with_hint(hint));
        }
    }
    let body = page.body();
    let lower = body.to_ascii_lowercase();
    // Parsing every body again is not free; most have no such URL at all.
    if !["script:", "data:"].iter().any(|s| lower.contains(s)) {
        return;
    }
    for (offset, url) in markdown::links_where(body, markdown::is_script_url) {
        let (line, col) = lines.line_col(page.body_offset + offset);
        let msg = format!("`{url}` runs script or embeds a document when followed");
        let hint = "link to an http(s), mailto or relative URL";
        diags.push(Diagnostic::warning(&page.file, line, col, msg).with_hint(hint));
    }
}

/// Every page of the report: home, chapter indexes and sections, in
/// every language.
pub fn all_pages(report: &Report) -> Vec<&Page> {
    let mut pages: Vec<&Page> = report.home.0.values().collect();
    for chapter in &report.chapters {
        pages.extend(chapter.index.0.values());
        for section in &chapter.sections {
            pages.extend(section.pages.0.values());
        }
    }
    pages
}

fn check_reference(
    report: &Report,
    r: &markdown::Reference,
    file: &std::path::Path,
    line: usize,
    col: usize,
    diags: &mut Diagnostics,
) {
    let catalog = &report.catalog;
    let error = |msg: String, hint: String| {
        Diagnostic::error(file, line, col, msg)
            .with_hint(hint)
            .with_len(r.len)
    };
    // An id from a metrics file that failed to load would be reported
    // once per use: the file's own error says what to fix first.
    let unknown_is_follow_on = match r.kind {
        RefKind::Chart => catalog.is_follow_on(&r.id, catalog.charts.keys()),
        _ => catalog.is_follow_on(&r.id, catalog.metrics.keys()),
    };
    match r.kind {
        RefKind::Metric => match catalog.metrics.get(&r.id) {
            None if unknown_is_follow_on => {}
            None => diags.push(error(
                format!("unknown metric `{}`", r.id),
                catalog.unknown_hint(&r.id, catalog.metrics.keys()),
            )),
            Some(m) => match r.filter.as_deref() {
                None | Some("number") => {}
                Some("change") if m.change.is_none() => {
                    diags.push(error(
                        format!("metric `{}` has no `change` to show", r.id),
                        "add `change:` to the metric in its metrics.yaml".into(),
                    ));
                }
                Some("change") => {}
                Some(other) => diags.push(error(
                    format!("unknown filter `{other}`"),
                    "use `| number` or `| change`, or no filter".into(),
                )),
            },
        },
        RefKind::Chart if !catalog.charts.contains_key(&r.id) && unknown_is_follow_on => {}
        RefKind::Chart if !catalog.charts.contains_key(&r.id) => {
            diags.push(error(
                format!("unknown chart `{}`", r.id),
                catalog.unknown_hint(&r.id, catalog.charts.keys()),
            ));
        }
        RefKind::Chart if r.inline => {
            let hint = format!(
                "put ![caption](chart:{}) on a line of its own, with blank lines around it",
                r.id
            );
            diags.push(error("a chart must stand on its own line".into(), hint));
        }
        RefKind::Chart => {}
        RefKind::Unknown => {
            let msg = format!(
                "`{{{{ {} }}}}` is not a metric reference and is shown as written",
                r.id
            );
            diags.push(
                Diagnostic::warning(file, line, col, msg)
                    .with_hint("write {{ metric:ID }}".to_string())
                    .with_len(r.len),
            );
        }
    }
}
