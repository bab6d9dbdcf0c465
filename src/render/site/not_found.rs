//! The 404 page, served at any depth by the host.

use crate::error::Diagnostic;
use crate::model::lang::Language;
use crate::render::view::ChapterLink;
use crate::render::view::{PageType, SiteView};

use super::{Finished, PageKind, Renderer};

/// The site view of a page at the site root, with every link starting at
/// the base path instead: the 404 page is served at any depth.
pub(super) fn from_base_path(site: &mut SiteView, base: &str) {
    let rebase = |url: &str| format!("{base}{}", url.trim_start_matches("./"));
    site.root = base.to_string();
    site.home_url = rebase(&site.home_url);
    site.print_url = rebase(&site.print_url);
    if !site.pdf_url.is_empty() {
        site.pdf_url = rebase(&site.pdf_url);
    }
    for url in site.assets.values_mut() {
        *url = rebase(url);
    }
    if !site.brand.logo_url.is_empty() {
        site.brand.logo_url = rebase(&site.brand.logo_url);
    }
    for link in &mut site.languages {
        link.url = rebase(&link.url);
    }
    if let Some(series) = site.series.as_mut() {
        series.home_url = rebase(&series.home_url);
        series.current = false;
        for year in &mut series.years {
            year.url = rebase(&year.url);
        }
    }
}

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
        from_base_path(&mut site, &base);
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
