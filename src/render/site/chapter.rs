//! A chapter: its page (opener, lead, sections, contents, pager) and the
//! chapter links every page's navigation lists.

use crate::model::lang::Language;
use crate::model::nav;
use crate::model::report::{Chapter, Translation};
use crate::render::markdown::{self, Html, unique_id};
use crate::render::view::PageType;
use crate::render::view::{ChapterLink, ChapterView, PageView, SectionView, TocEntry};

use super::Renderer;
use super::pages::Scope;
use super::prose::{PageMarkdown, inline_markdown, replace_metrics};
use crate::render::markdown::Ids;

/// A section shown on a chapter page: its element id and the translation shown.
type Shown<'r> = (String, Translation<'r>);

impl Renderer<'_> {
    /// A chapter's own page view.
    pub(super) fn chapter_page(
        &self,
        lang: &Language,
        path: &str,
        chapter: &Chapter,
        md: &PageMarkdown<'_>,
        ids: &mut Ids,
    ) -> PageView {
        let mut scope = Scope::page(ids);
        let view = self.chapter_content(lang, path, chapter, md, &mut scope);
        let mut page = self.page_view(lang, path, PageType::Chapter, view.title.clone());
        if let Some(summary) = self.chapter_summary(lang, chapter) {
            page.description = summary;
        }
        page.chapter = Some(view);
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
            self.numbers(code),
        ))
    }

    /// A chapter's opener, sections and contents. Section ids are given
    /// before any body is rendered, so a link to a later section works.
    pub(super) fn chapter_content(
        &self,
        lang: &Language,
        path: &str,
        chapter: &Chapter,
        md: &PageMarkdown<'_>,
        scope: &mut Scope<'_>,
    ) -> ChapterView {
        let code = lang.code.as_str();
        let index = chapter.index.get(code, &self.report.languages);
        let front = index
            .as_ref()
            .map(|t| t.page.front.clone())
            .unwrap_or_default();
        let lead = index
            .as_ref()
            .map(|t| md.render(t.page, "lead", 2, scope))
            .unwrap_or_default();
        let shown = self.section_ids(chapter, code, scope);
        let (mut sections, toc, mut unresolved) = self.sections(shown, md, scope);
        unresolved.insert(0, lead.unresolved);
        let mut lead_html = lead.html;
        resolve_fragments(&mut lead_html, &mut sections, &unresolved, scope);
        let (prev, next) = self.neighbours(lang, path, chapter);
        ChapterView {
            number: chapter.number,
            title: front.title.clone().unwrap_or_default(),
            kicker: replace_metrics(
                &front.kicker.clone().unwrap_or_default(),
                self.report,
                code,
                self.numbers(code),
            ),
            lead_html,
            title_by_editor: front.title_by_editor,
            lead_by_editor: front.lead_by_editor,
            fallback: index.as_ref().and_then(|t| self.fallback_view(t)),
            sections,
            toc,
            prev,
            next,
        }
    }

    /// The sections shown in language `code`, each with its element id;
    /// a link to `#slug` anywhere in the chapter goes to that id.
    fn section_ids<'c>(
        &'c self,
        chapter: &'c Chapter,
        code: &str,
        scope: &mut Scope<'_>,
    ) -> Vec<Shown<'c>> {
        let langs = &self.report.languages;
        chapter
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
            .collect()
    }

    /// Renders each section: its view, its contents entry (with the
    /// headings one level below it), and the links it could not resolve yet.
    fn sections(
        &self,
        shown: Vec<Shown<'_>>,
        md: &PageMarkdown<'_>,
        scope: &mut Scope<'_>,
    ) -> (Vec<SectionView>, Vec<TocEntry>, Vec<Vec<String>>) {
        let level = 3 + scope.depth;
        let mut toc = Vec::new();
        let mut unresolved = Vec::new();
        let sections = shown
            .into_iter()
            .map(|(id, shown)| {
                let Html {
                    mut html,
                    headings,
                    unresolved: pending,
                    ..
                } = md.render(shown.page, &id, 3, scope);
                // The whole-report page holds every section's body until it
                // is written: without the slack of the growing buffer (up to
                // half of it); shrinking in place costs next to nothing.
                html.shrink_to_fit();
                unresolved.push(pending);
                let title = shown.page.front.title.clone().unwrap_or_default();
                toc.push(TocEntry {
                    id: id.clone(),
                    title: title.clone(),
                    children: headings.into_iter().filter(|h| h.level == level).collect(),
                });
                SectionView {
                    id,
                    title,
                    html,
                    fallback: self.fallback_view(&shown),
                }
            })
            .collect();
        (sections, toc, unresolved)
    }

    /// The previous and next chapters, linked from the page at `path`.
    fn neighbours(
        &self,
        lang: &Language,
        path: &str,
        chapter: &Chapter,
    ) -> (Option<ChapterLink>, Option<ChapterLink>) {
        let link = |n: usize| {
            self.report
                .chapters
                .get(n)
                .map(|c| self.chapter_link(lang, path, c))
        };
        (
            chapter.number.checked_sub(2).and_then(link),
            link(chapter.number),
        )
    }

    /// The `chapters` template variable for the page at `path`, built once
    /// per language and folder: every chapter page of a language sits at the
    /// same depth, so they share one list (a big report has thousands of
    /// chapters; a list per page would cost pages × chapters).
    pub(super) fn chapters_value(&self, lang: &Language, path: &str) -> tera::Value {
        let home = self.report.layout.page(&lang.code, None);
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
    pub(super) fn chapter_link(
        &self,
        lang: &Language,
        from: &str,
        chapter: &Chapter,
    ) -> ChapterLink {
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
    pub(super) fn chapter_texts(&self, lang: &Language, chapter: &Chapter) -> ChapterLink {
        let index = chapter.index.get(&lang.code, &self.report.languages);
        let front = index.as_ref().map(|t| &t.page.front);
        let text = |f: Option<&Option<String>>| f.and_then(|s| s.clone()).unwrap_or_default();
        let words = self.numbers(&lang.code);
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
            url: self.report.layout.page(&lang.code, Some(&chapter.slug)),
        }
    }
}

/// Points links to headings further on in the chapter (rendered after the
/// link) at their ids: the lead's first, then each section's.
fn resolve_fragments(
    lead_html: &mut String,
    sections: &mut [SectionView],
    unresolved: &[Vec<String>],
    scope: &Scope<'_>,
) {
    let htmls = std::iter::once(lead_html).chain(sections.iter_mut().map(|s| &mut s.html));
    for (html, unresolved) in htmls.zip(unresolved) {
        markdown::fix_fragments(html, unresolved, &scope.anchors);
    }
}
