//! One page through its template: the `site` and `page` views every
//! template gets, and the ids the templates themselves use.

use crate::render::view::PageType;
use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::model::lang::Language;
use crate::model::nav;
use crate::model::report::Translation;
use crate::render::markdown::Ids;
use crate::render::view::*;

use super::prose::PageMarkdown;
use super::{Finished, PRINT_SLUG, PageKind, Renderer};

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

/// Where Markdown bodies render: the page's ids, the current chapter's
/// anchors, how deep headings start and where relative links point.
pub(super) struct Scope<'s> {
    pub(super) ids: &'s mut Ids,
    pub(super) anchors: BTreeMap<String, String>,
    pub(super) link_base: String,
    /// 0 on chapter and home pages; 1 in the whole-report view, where a
    /// chapter's title is an h2.
    pub(super) depth: u8,
}

impl<'s> Scope<'s> {
    pub(super) fn page(ids: &'s mut Ids) -> Self {
        Self {
            ids,
            anchors: BTreeMap::new(),
            link_base: String::new(),
            depth: 0,
        }
    }
}

/// The logo's text alternative in `code`: the organisation's name, else
/// the title.
pub(super) fn logo_alt(
    organization: &Option<crate::model::lang::Text>,
    title: &crate::model::lang::Text,
    code: &str,
) -> String {
    organization
        .as_ref()
        .map(|o| o.get(code))
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(|| title.get(code))
        .to_string()
}

impl Renderer<'_> {
    /// Renders one page through its template.
    pub(super) fn page(
        &self,
        lang: &Language,
        kind: PageKind<'_>,
        charts: &BTreeMap<String, crate::render::charts::RenderedChart>,
    ) -> Result<Finished, Diagnostic> {
        let path = self.path_of(&lang.code, kind);
        let site = self.site_view(lang, &path, kind);
        let chapters = self.chapters_value(lang, &path);
        let mut ids = page_ids();
        let md = PageMarkdown::new(self, lang, &path, charts);
        let (template, mut page) = match kind {
            PageKind::Home => (
                "home.html",
                self.home_view(lang, &path, &md, &mut Scope::page(&mut ids)),
            ),
            PageKind::Chapter(chapter) => (
                "chapter.html",
                self.chapter_page(lang, &path, chapter, &md, &mut ids),
            ),
            PageKind::Print => ("print.html", self.print_view(lang, &path, &md, &mut ids)),
        };
        md.finish()?;
        // The whole-report page holds every section: their HTML goes into
        // the written page once, not through the template context too.
        let bodies = super::print::take_section_bodies(&mut page);
        let text = self.render_template(template, &site, &page, chapters, &lang.code)?;
        Ok(Finished {
            path: format!("{path}index.html"),
            text,
            bodies,
        })
    }

    /// The folder of a page of `kind` in language `code`.
    pub(super) fn path_of(&self, code: &str, kind: PageKind<'_>) -> String {
        let layout = &self.report.layout;
        match kind {
            PageKind::Home => layout.page(code, None),
            PageKind::Chapter(c) => layout.page(code, Some(&c.slug)),
            PageKind::Print => layout.page(code, Some(PRINT_SLUG)),
        }
    }

    pub(super) fn render_template(
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

    pub(super) fn site_view(&self, lang: &Language, path: &str, kind: PageKind<'_>) -> SiteView {
        let r = self.report;
        let code = lang.code.as_str();
        let optional = |t: &Option<crate::model::lang::Text>| {
            t.as_ref()
                .map_or(String::new(), |t| t.get(code).to_string())
        };
        let root = nav::root_prefix(path);
        SiteView {
            title: r.title.get(code).to_string(),
            subtitle: optional(&r.subtitle),
            organization: optional(&r.organization),
            description: optional(&r.description),
            year: r.year.clone(),
            lang: lang.code.clone(),
            lang_tag: lang.tag.clone(),
            home_url: nav::link(path, &r.layout.page(code, None)),
            print_url: nav::link(path, &r.layout.page(code, Some(PRINT_SLUG))),
            pdf_url: if self.options.pdf {
                format!("{root}{}", r.layout.pdf(code))
            } else {
                String::new()
            },
            assets: self
                .assets
                .iter()
                .map(|(k, v)| (k.clone(), format!("{root}{v}")))
                .collect(),
            series: r.series.as_ref().map(|place| {
                super::series::nav(&place.series, self.theme, code, path, Some(&r.year))
            }),
            brand: super::brand::view(&r.brand, &root, &logo_alt(&r.organization, &r.title, code)),
            root,
            languages: self.language_links(lang, path, kind),
            generator: format!("nianbao {}", env!("CARGO_PKG_VERSION")),
            search: r.search,
        }
    }

    /// The language switcher: this page in every language.
    fn language_links(&self, lang: &Language, path: &str, kind: PageKind<'_>) -> Vec<LanguageLink> {
        let r = self.report;
        r.languages
            .iter()
            .map(|other| {
                let target = self.path_of(&other.code, kind);
                LanguageLink {
                    code: other.code.clone(),
                    tag: other.tag.clone(),
                    name: self.language_name(&other.code),
                    url: nav::link(path, &target),
                    absolute_url: r.base_url.absolute(&target),
                    current: other.code == lang.code,
                }
            })
            .collect()
    }

    pub(super) fn language_name(&self, code: &str) -> String {
        self.theme
            .i18n
            .get(code)
            .and_then(|i| i.strings.get("language_name"))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    pub(super) fn fallback_view(&self, shown: &Translation<'_>) -> Option<FallbackView> {
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

    pub(super) fn page_view(
        &self,
        lang: &Language,
        path: &str,
        kind: PageType,
        title: String,
    ) -> PageView {
        let code = lang.code.as_str();
        let description = self
            .report
            .description
            .as_ref()
            .or(self.report.subtitle.as_ref())
            .map_or(String::new(), |t| t.get(code).to_string());
        PageView {
            kind,
            title,
            description,
            canonical_url: self.report.base_url.absolute(path),
            og_image: self.og_image(),
            og_locale: lang.tag.replace('-', "_"),
            home: None,
            chapter: None,
            print: None,
            series: None,
        }
    }
}
