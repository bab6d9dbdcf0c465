//! Markdown bodies and front-matter text of one page, with metric values
//! in its language and chart figures.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::load::discover::Page;
use crate::model::lang::Language;
use crate::model::number::Numbers;
use crate::model::report::Report;
use crate::model::scan::{self, RefKind};
use crate::render::charts::RenderedChart;
use crate::render::markdown::{self, Context, FigureRequest, Ids};

use super::Renderer;
use super::pages::Scope;

/// Renders Markdown bodies for one page: metric values in its language and
/// chart figures linking to the downloadable SVGs.
pub(super) struct PageMarkdown<'a> {
    pub(super) renderer: &'a Renderer<'a>,
    pub(super) lang: &'a Language,
    pub(super) path: &'a str,
    pub(super) charts: &'a BTreeMap<String, RenderedChart>,
    /// Chart element ids used on the page.
    pub(super) figures: RefCell<Ids>,
    /// The first figure whose template failed: the page fails with it.
    pub(super) failed: RefCell<Option<Diagnostic>>,
}

impl<'a> PageMarkdown<'a> {
    /// Renders bodies for the page at `path` in `lang`.
    pub(super) fn new(
        renderer: &'a Renderer<'a>,
        lang: &'a Language,
        path: &'a str,
        charts: &'a BTreeMap<String, RenderedChart>,
    ) -> Self {
        Self {
            renderer,
            lang,
            path,
            charts,
            figures: RefCell::new(Ids::default()),
            failed: RefCell::new(None),
        }
    }

    /// The page's first figure problem, if any.
    pub(super) fn finish(self) -> Result<(), Diagnostic> {
        self.failed.into_inner().map_or(Ok(()), Err)
    }

    /// Renders one Markdown body: ids get `id_prefix`, headings start at
    /// `min_heading` (deeper in the whole-report view).
    pub(super) fn render(
        &self,
        page: &Page,
        id_prefix: &str,
        min_heading: u8,
        scope: &mut Scope<'_>,
    ) -> markdown::Html {
        let report = self.renderer.report;
        let code = self.lang.code.as_str();
        let words = self.renderer.numbers(code);
        let metric = |id: &str, filter: Option<&str>| metric_text(report, id, filter, code, words);
        // A body shown on another page is on the whole-report page, printed.
        let print = !scope.link_base.is_empty();
        let figure = |req: &FigureRequest<'_>| self.figure(req, page, print);
        let image = |url: &str| self.renderer.published_image(&page.file, url, self.path);
        let mut ctx = Context {
            metric: &metric,
            figure: &figure,
            image: &image,
            id_prefix,
            ids: scope.ids,
            min_heading: min_heading + scope.depth,
            anchors: &mut scope.anchors,
            link_base: &scope.link_base,
            table_label: &self.renderer.t(code, "table"),
        };
        let mut html = markdown::render(page.body(), &mut ctx);
        // The page's bytes go to the sink; only where its links are written is kept.
        let links = std::mem::take(&mut html.links);
        let elsewhere = !scope.link_base.is_empty();
        self.renderer
            .record_links(self.path, page, links, elsewhere);
        html
    }
}

fn metric_text(
    report: &Report,
    id: &str,
    filter: Option<&str>,
    lang: &str,
    words: &Numbers,
) -> Option<String> {
    let m = report.catalog.metrics.get(id)?;
    let filter = filter.map(|name| m.filter(name)).transpose().ok()?;
    m.format_with(filter, lang, words)
}

/// Replaces metric references in plain front-matter text.
pub(super) fn replace_metrics(text: &str, report: &Report, lang: &str, words: &Numbers) -> String {
    let mut out = text.to_string();
    for r in scan::scan_references(text)
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

pub(super) fn inline_markdown(text: &str, report: &Report, lang: &str, words: &Numbers) -> String {
    let mut ids = Ids::default();
    let metric = |id: &str, filter: Option<&str>| metric_text(report, id, filter, lang, words);
    let figure = |_: &FigureRequest<'_>| None;
    let image = |_: &str| None;
    let mut ctx = Context {
        metric: &metric,
        figure: &figure,
        image: &image,
        id_prefix: "summary",
        ids: &mut ids,
        min_heading: 2,
        anchors: &mut BTreeMap::new(),
        link_base: "",
        table_label: "",
    };
    markdown::render_inline(text, &mut ctx)
}
