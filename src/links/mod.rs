//! LINKS: every internal link of the generated site (`href`, `src`) must
//! lead to one of its files, and every `#fragment` to an element of the
//! target page, when the site is served under its base path. `build`,
//! `check`, `publish` and `serve` all run this one check on the rendered
//! site, so what one accepts the others accept.
//!
//! Each page is scanned for its links and ids ([`crate::html`]) into a small
//! owned summary ([`scan_page`]) as it is written, so the check never
//! needs the whole site in memory ([`check_scanned`]; [`check`] scans a
//! site held in memory the same way), and each link is resolved against
//! the page's URL (`resolve`). A broken
//! link that the renderer recorded as written in a Markdown body
//! ([`Written`]) is reported at that file, line and column; any other (a
//! template's) at the generated page.

mod checker;
mod report;
mod resolve;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Diagnostics;
use crate::model::nav::BaseUrl;

pub use checker::Checker;
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
/// generated page. The site is held in memory; [`check_scanned`] does the
/// same from pages scanned as they were written.
pub fn check<'a>(
    files: impl IntoIterator<Item = SiteFile<'a>>,
    written: &WrittenLinks,
    base: &BaseUrl,
) -> Diagnostics {
    let files: Vec<SiteFile<'a>> = files.into_iter().collect();
    let pages: Vec<ScannedPage> = files
        .par_iter()
        .filter(|(path, _)| is_html(path))
        .filter_map(|(path, bytes)| Some(scan_page(path, &[(*bytes)?])))
        .collect();
    // Pages are targets through their scans; the rest (copies) by path.
    let others = files
        .iter()
        .filter(|(path, bytes)| bytes.is_none() || !is_html(path))
        .map(|(path, _)| *path);
    check_scanned(&pages, others, written, base)
}

/// [`check`] on pages scanned as they were written ([`scan_page`]), so the
/// site never has to be held whole: `other_files` are the site's files
/// that are not scanned pages (charts, assets, copies, the PDFs of
/// `build --pdf`), which links may lead to. ([`Checker`] does it part by
/// part.)
pub fn check_scanned<'a>(
    pages: &'a [ScannedPage],
    other_files: impl IntoIterator<Item = &'a str>,
    written: &WrittenLinks,
    base: &BaseUrl,
) -> Diagnostics {
    let mut checker = Checker::new(base.clone());
    let files = other_files.into_iter().map(str::to_string);
    checker.add(pages.to_vec(), files, written.clone());
    checker.finish()
}

/// True for the files the check scans as pages.
pub fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// A link of a scanned page, owned: the page itself is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedLink {
    /// Attribute name, lowercase (`href`, `src`, `xlink:href`).
    pub attr: &'static str,
    /// Value with character references decoded.
    pub value: String,
    /// 1-based line of the value in the page.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// What the link check needs of one page: its links (but those to its
/// own elements, which it resolves at once) and its anchors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScannedPage {
    /// Path below the site root (`en/relief/index.html`).
    pub path: String,
    /// Links still to resolve against the whole site, in document order.
    pub links: Vec<ScannedLink>,
    /// Every `id` and `<a name>` value.
    pub anchors: Anchors,
}

/// A page's anchors (`id`, `<a name>`), kept as sorted 64-bit hashes: a
/// report of 12,000 sections (or a series of many years) holds every id of
/// every page until the whole site is known, and a hash is a fraction of a
/// string's size. Two ids sharing a hash (about one chance in 10^7 with a
/// million ids) would only let a broken fragment pass, never fail a good one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors(Vec<u64>);

impl Anchors {
    /// The anchors whose ids have the hashes `hashes`.
    fn of_hashes(mut hashes: Vec<u64>) -> Self {
        hashes.sort_unstable();
        hashes.dedup();
        hashes.shrink_to_fit();
        Self(hashes)
    }

    /// True when the page has an element with this id.
    pub fn contains(&self, id: &str) -> bool {
        self.0.binary_search(&hash(id)).is_ok()
    }
}

/// A hash that is the same in every run (std's SipHash with fixed keys).
fn hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Scans the page at `path` whose bytes are `parts` one after another
/// (see `Sink::put` of the renderer): each part on its own, never joined,
/// lines and columns counted on across parts. A tag never straddles two
/// parts: they are split between a template's markup and a body.
pub fn scan_page(path: &str, parts: &[&[u8]]) -> ScannedPage {
    let mut page = ScannedPage {
        path: path.to_string(),
        ..ScannedPage::default()
    };
    let mut at = Position::START;
    let mut ids: Vec<u64> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let scan = crate::html::scan_bytes(part);
        ids.extend(scan.anchors.iter().map(|a| hash(a)));
        let mut cursor = Cursor {
            bytes: part,
            done: 0,
            at,
        };
        for link in scan.links {
            let (line, col) = cursor.advance(link.offset);
            page.links.push(ScannedLink {
                attr: link.attr,
                value: link.value.into_owned(),
                line,
                col,
            });
        }
        // The last part's lines need not be counted to its end.
        if i + 1 < parts.len() {
            cursor.advance(part.len());
        }
        at = cursor.at;
    }
    page.anchors = Anchors::of_hashes(ids);
    // Most links of a report page are to its own headings and notes:
    // resolved here, they are not held until the whole site is known.
    let anchors = &page.anchors;
    page.links
        .retain(|link| !resolve::on_page(&link.value, anchors));
    page
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy)]
struct Position {
    line: usize,
    col: usize,
}

impl Position {
    const START: Position = Position { line: 1, col: 1 };
}

/// Counts lines and columns forward through one part of a page, in one
/// pass however many links it holds (their offsets ascend).
struct Cursor<'a> {
    bytes: &'a [u8],
    /// Bytes counted so far.
    done: usize,
    /// The position after them.
    at: Position,
}

impl Cursor<'_> {
    /// The position of byte `offset`, counting on from the last one.
    fn advance(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.clamp(self.done, self.bytes.len());
        let between = &self.bytes[self.done..offset];
        match between.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.at.line += between.iter().filter(|&&b| b == b'\n').count();
                self.at.col = count_chars(&between[last + 1..]) + 1;
            }
            None => self.at.col += count_chars(between),
        }
        self.done = offset;
        (self.at.line, self.at.col)
    }
}

/// Characters in UTF-8 bytes: every byte that does not continue one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

#[cfg(test)]
mod tests;
