//! The 404 page, served at any depth by the host.

use crate::error::Diagnostic;
use crate::model::lang::Language;
use crate::render::view::ChapterLink;
use crate::render::view::PageType;

use super::{Finished, PRINT_SLUG, PageKind, Renderer};

impl Renderer<'_> {
    /// The 404 page, in the first language.
    pub(super) fn not_found(&self) -> Result<Finished, Diagnostic> {
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
            self.report.layout.page(&lang.code, Some(PRINT_SLUG))
        );
        if !site.pdf_url.is_empty() {
            site.pdf_url = format!("{base}{}", self.report.layout.pdf(&lang.code));
        }
        site.assets = self
            .assets
            .iter()
            .map(|(k, v)| (k.clone(), format!("{base}{v}")))
            .collect();
        for link in &mut site.languages {
            link.url = format!("{base}{}", self.report.layout.page(&link.code, None));
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
            PageType::NotFound,
            self.t(&lang.code, "not_found_title"),
        );
        let chapters = tera::Value::from_serializable(&chapters);
        let html = self.render_template("404.html", &site, &page, chapters, &lang.code)?;
        Ok(Finished::whole("404.html", html))
    }
}
