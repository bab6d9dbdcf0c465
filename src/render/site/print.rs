//! The whole report on one page (`print/`, `en/print/`): cover, contents
//! and every chapter. It is the biggest page by far, so its section bodies
//! are kept out of the template context and spliced into the written file
//! part by part, never joined into one string.

use crate::model::lang::Language;
use crate::model::nav;
use crate::render::markdown::{Ids, unique_id};
use crate::render::view::PageType;
use crate::render::view::{PageView, PrintChapter, PrintView};

use super::Renderer;
use super::pages::Scope;
use super::prose::PageMarkdown;

impl Renderer<'_> {
    /// The whole report on one page: cover, highlights, foreword, a table
    /// of contents and every chapter. Ids are unique on the page; each
    /// chapter's in-page links point at its own headings, and relative
    /// links and images point where they do on the chapter's own page.
    pub(super) fn print_view(
        &self,
        lang: &Language,
        path: &str,
        md: &PageMarkdown<'_>,
        ids: &mut Ids,
    ) -> PageView {
        let layout = &self.report.layout;
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
            scope.link_base = nav::link(path, &layout.page(&lang.code, None));
            self.home_view(lang, path, md, &mut scope)
        };
        let chapters = self
            .report
            .chapters
            .iter()
            .zip(anchors)
            .map(|(chapter, (anchor, title_id))| {
                let mut scope = Scope::page(ids);
                let chapter_path = layout.page(&lang.code, Some(&chapter.slug));
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
        page.kind = PageType::Print;
        page.title = self.t(&lang.code, "whole_report");
        page.print = Some(PrintView { chapters });
        page
    }
}

/// Marks where section `n`'s body goes in a rendered page.
fn body_marker(n: usize) -> String {
    format!("<!--nianbao-section-body-{n}-->")
}

/// Moves the section bodies of a whole-report page out of its view,
/// leaving markers; [`splice_section_bodies`] puts them back.
pub(super) fn take_section_bodies(page: &mut PageView) -> Vec<String> {
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

/// The parts of the page to write: `text` with each marker replaced by its
/// section's body. A marker the template did not output leaves its body out.
pub(super) fn splice<'a>(text: &'a str, bodies: &'a [String]) -> Vec<&'a [u8]> {
    let mut parts = Vec::with_capacity(2 * bodies.len() + 1);
    let mut rest = text;
    for (n, body) in bodies.iter().enumerate() {
        let marker = body_marker(n);
        if let Some(at) = rest.find(&marker) {
            parts.push(&rest.as_bytes()[..at]);
            parts.push(body.as_bytes());
            rest = &rest[at + marker.len()..];
        }
    }
    parts.push(rest.as_bytes());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_go_where_their_markers_are_and_only_there() {
        let text = format!("<a>{}</a><b>{}</b>", body_marker(0), body_marker(2));
        let bodies = ["zero".to_string(), "one".to_string(), "two".to_string()];
        let joined = splice(&text, &bodies).concat();
        assert_eq!(String::from_utf8(joined).unwrap(), "<a>zero</a><b>two</b>");
        let plain = splice("<p>page</p>", &[]);
        assert_eq!(plain, [b"<p>page</p>".as_slice()]);
    }
}
