//! Broken links as diagnostics, each at the place its author can fix it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics};
use crate::links::{Written, WrittenLinks};

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page, as a path below the site root (`en/relief/index.html`).
    pub page: String,
    /// 1-based line of the link's value in the page.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// The attribute (`href`, `src`).
    pub attr: String,
    /// The link as the page holds it, character references decoded.
    pub href: String,
    /// Why it does not resolve.
    pub reason: String,
}

impl BrokenLink {
    /// The scanned `link` of `page`, broken for `reason`.
    pub(super) fn of(page: &str, link: super::ScannedLink, reason: String) -> Self {
        Self {
            page: page.to_string(),
            line: link.line,
            col: link.col,
            attr: link.attr.to_string(),
            href: link.value,
            reason,
        }
    }

    /// An error at the link's position in the generated page, for a link
    /// not written in a Markdown body: the page is all there is to point at.
    pub fn diagnostic(&self) -> Diagnostic {
        let msg = format!(
            "broken link {}=\"{}\": {}",
            self.attr, self.href, self.reason
        );
        let hint =
            "correct it where it comes from: a template of the theme, or a summary in front matter";
        Diagnostic::error(PathBuf::from(&self.page), self.line, self.col, msg).with_hint(hint)
    }

    /// An error at the link as written in a Markdown file.
    pub fn diagnostic_at(&self, written: &Written) -> Diagnostic {
        let source = written.as_written();
        let msg = format!("broken link `{source}`: {}", self.reason);
        let hint = if written.raw_html && written.elsewhere {
            format!(
                "raw HTML is copied as it is onto the whole-report page {}, where a relative link starts from another folder: write the link in Markdown (`[text]({source})`, `![alt]({source})`), which is rebased for that page",
                self.page
            )
        } else {
            format!(
                "correct or remove the link (it is on the generated page {})",
                self.page
            )
        };
        Diagnostic::error(written.file.to_path_buf(), written.line, written.col, msg)
            .with_hint(hint)
            .with_len(source.chars().count())
    }
}

/// One diagnostic per broken link: a link written in Markdown once, at the
/// place it is written, however many pages show it (a chapter's text is
/// also on the whole-report page, a section in another language's pages
/// when that language has no translation of it); other links at the page.
pub(super) fn diagnostics(broken: Vec<BrokenLink>, written: &WrittenLinks) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut sources = Sources::new(written);
    let mut at_source: BTreeMap<(Arc<Path>, usize, usize), (&Written, BrokenLink)> =
        BTreeMap::new();
    for link in broken {
        let Some(w) = sources.take(&link) else {
            diags.push(link.diagnostic());
            continue;
        };
        let key = (w.file.clone(), w.line, w.col);
        match at_source.get(&key) {
            // Its own page tells the author more than the whole-report page.
            Some((seen, _)) if !seen.elsewhere || w.elsewhere => {}
            _ => {
                at_source.insert(key, (w, link));
            }
        }
    }
    for (w, link) in at_source.values() {
        diags.push(link.diagnostic_at(w));
    }
    diags
}

/// The written links of each page not yet matched to a link of the page,
/// by the URL the page holds.
struct Sources<'w> {
    written: &'w WrittenLinks,
    unmatched: HashMap<&'w str, HashMap<&'w str, Vec<&'w Written>>>,
}

impl<'w> Sources<'w> {
    fn new(written: &'w WrittenLinks) -> Self {
        Self {
            written,
            unmatched: HashMap::new(),
        }
    }

    /// Where the broken `link` is written: the first written link of its
    /// page with its URL not matched yet. Links come in document order, so
    /// the n-th `#x` of a page is matched to the n-th written `#x`. (A
    /// template link with the same URL on the same page is broken just as
    /// well; it may take the place of the Markdown one, which is then
    /// reported at the page.)
    fn take(&mut self, link: &BrokenLink) -> Option<&'w Written> {
        let (page, written) = self.written.get_key_value(link.page.as_str())?;
        let by_href = self.unmatched.entry(page.as_str()).or_insert_with(|| {
            let mut by_href: HashMap<&str, Vec<&Written>> = HashMap::new();
            // Reversed, so that `pop` takes them in order.
            for w in written.iter().rev() {
                by_href.entry(w.href.as_str()).or_default().push(w);
            }
            by_href
        });
        by_href.get_mut(link.href.as_str())?.pop()
    }
}
