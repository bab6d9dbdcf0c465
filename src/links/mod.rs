//! LINKS: every internal link of the generated site (`href`, `src`) must
//! lead to one of its files, and every `#fragment` to an element of the
//! target page, when the site is served under its base path. `build`,
//! `check`, `publish` and `serve` all run this one check on the rendered
//! site, so what one accepts the others accept.
//!
//! Pages are scanned for their links and ids ([`html`]) in parallel, and
//! each link is resolved against the page's URL (`resolve`). A broken
//! link that the renderer recorded as written in a Markdown body
//! ([`Written`]) is reported at that file, line and column; any other (a
//! template's) at the generated page.

pub mod html;
mod report;
mod resolve;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Diagnostics;
use crate::load::locate::LineIndex;
use crate::model::nav::BaseUrl;
use html::Scan;
use resolve::SiteIndex;

pub use report::BrokenLink;

/// Where a link of a generated page is written: a link, image or raw-HTML
/// `href`/`src` of a Markdown body, recorded while the body was rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The URL as the page holds it, character references decoded: what
    /// the check reads in the page.
    pub href: String,
    /// The URL as the author wrote it, when the page holds another form
    /// (rebased for the whole-report page, or percent-encoded).
    pub source: Option<String>,
    /// The Markdown file, relative to the site root.
    pub file: Arc<Path>,
    /// 1-based line of the URL in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The text is shown on a page that is not its own (the whole-report
    /// page): its own page, if it has the link broken too, is named instead.
    pub elsewhere: bool,
    /// Written in raw HTML, which is copied into every page as it is.
    pub raw_html: bool,
}

impl Written {
    /// The URL as the author wrote it.
    pub fn as_written(&self) -> &str {
        self.source.as_deref().unwrap_or(&self.href)
    }
}

/// The written links of each generated page, by the page's path below the
/// site root (`en/relief/index.html`), in the order the page holds them.
pub type WrittenLinks = std::collections::HashMap<String, Vec<Written>>;

/// A file of the site: its path below the site root and, for a generated
/// file, its bytes. Pages (`.html`) are scanned for links; every file is a
/// possible target.
pub type SiteFile<'a> = (&'a str, Option<&'a [u8]>);

/// An error for every internal link of the site that leads nowhere when
/// the site is served under `base`: at the Markdown where it is written
/// when `written` knows it (once, however many pages show it), else at the
/// generated page.
pub fn check<'a>(
    files: impl IntoIterator<Item = SiteFile<'a>>,
    written: &WrittenLinks,
    base: &BaseUrl,
) -> Diagnostics {
    report::diagnostics(broken(files, base), written)
}

/// Every link of the site that does not resolve under `base`, page by
/// page in path order.
pub fn broken<'a>(
    files: impl IntoIterator<Item = SiteFile<'a>>,
    base: &BaseUrl,
) -> Vec<BrokenLink> {
    let files: Vec<SiteFile<'a>> = files.into_iter().collect();
    let mut pages: Vec<Page<'a>> = files
        .par_iter()
        .filter(|(path, _)| is_html(path))
        .filter_map(|(path, bytes)| Some(Page::scan(path, (*bytes)?)))
        .collect();
    pages.sort_unstable_by_key(|p| p.path);
    let index = SiteIndex {
        base,
        files: files.iter().map(|(path, _)| *path).collect(),
        anchors: pages.iter().map(|p| (p.path, &p.scan.anchors)).collect(),
    };
    pages
        .par_iter()
        .flat_map_iter(|page| page.broken(&index))
        .collect()
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// A scanned page.
struct Page<'a> {
    path: &'a str,
    bytes: &'a [u8],
    scan: Scan<'a>,
}

impl<'a> Page<'a> {
    fn scan(path: &'a str, bytes: &'a [u8]) -> Self {
        Page {
            path,
            bytes,
            scan: html::scan_bytes(bytes),
        }
    }

    /// The page's links that do not resolve, in document order.
    fn broken(&self, index: &SiteIndex<'_>) -> Vec<BrokenLink> {
        let failed: Vec<_> = self
            .scan
            .links
            .iter()
            .filter_map(|link| Some((link, index.check(self.path, &link.value).err()?)))
            .collect();
        if failed.is_empty() {
            return Vec::new();
        }
        // Only a page with a broken link is read as text, for its lines.
        let text = String::from_utf8_lossy(self.bytes);
        let lines = LineIndex::new(&text);
        failed
            .into_iter()
            .map(|(link, reason)| {
                let (line, col) = lines.line_col(link.offset);
                BrokenLink {
                    page: self.path.to_string(),
                    line,
                    col,
                    attr: link.attr.to_string(),
                    href: link.value.to_string(),
                    reason,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
