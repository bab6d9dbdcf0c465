//! sitemap.xml and robots.txt, through the theme's templates of those names.

use crate::error::Diagnostic;
use crate::model::Report;
use crate::model::nav::BaseUrl;
use crate::render::theme::Theme;
use crate::render::view::{SitemapAlternate, SitemapUrl};

use super::{Finished, PRINT_SLUG, Renderer};

/// Every page's folder in every language of a report, grouped by page:
/// (BCP 47 tag, path) per language.
pub fn page_paths(r: &Report) -> Vec<Vec<(String, String)>> {
    let slugs = std::iter::once(None)
        .chain(r.chapters.iter().map(|c| Some(c.slug.as_str())))
        .chain(std::iter::once(Some(PRINT_SLUG)));
    slugs
        .map(|slug| {
            r.languages
                .iter()
                .map(|l| (l.tag.clone(), r.layout.page(&l.code, slug)))
                .collect()
        })
        .collect()
}

impl Renderer<'_> {
    /// The sitemap of this report.
    pub(super) fn sitemap(&self) -> Result<Finished, Diagnostic> {
        sitemap(self.theme, &self.report.base_url, &page_paths(self.report))
    }

    /// robots.txt of this report.
    pub(super) fn robots(&self) -> Result<Finished, Diagnostic> {
        robots(self.theme, &self.report.base_url)
    }
}

/// The sitemap: every page in every language (`pages`, as
/// [`page_paths`] gives them), each with its translations.
pub(super) fn sitemap(
    theme: &Theme,
    base: &BaseUrl,
    pages: &[Vec<(String, String)>],
) -> Result<Finished, Diagnostic> {
    let mut urls = Vec::new();
    for variants in pages {
        let alternates: Vec<SitemapAlternate> = variants
            .iter()
            .map(|(tag, alt)| SitemapAlternate {
                hreflang: tag.clone(),
                href: base.absolute(alt),
            })
            .collect();
        urls.extend(variants.iter().map(|(_, path)| SitemapUrl {
            loc: base.absolute(path),
            alternates: alternates.clone(),
        }));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls);
    builtin(theme, "sitemap.xml", &ctx)
}

/// robots.txt, naming the sitemap when the site has an absolute base URL.
pub(super) fn robots(theme: &Theme, base: &BaseUrl) -> Result<Finished, Diagnostic> {
    // A sitemap must be named by an absolute URL; without a host, leave it out.
    let sitemap_url = if base.origin.is_empty() {
        String::new()
    } else {
        base.absolute("sitemap.xml")
    };
    let mut ctx = tera::Context::new();
    ctx.insert("sitemap_url", &sitemap_url);
    builtin(theme, "robots.txt", &ctx)
}

/// Renders the built-in template `name` into the file of the same name.
fn builtin(theme: &Theme, name: &str, ctx: &tera::Context) -> Result<Finished, Diagnostic> {
    let text = theme
        .tera
        .render(name, ctx)
        .map_err(|e| theme.diagnostic(&e))?;
    Ok(Finished::whole(name, text))
}
