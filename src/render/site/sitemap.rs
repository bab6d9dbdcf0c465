//! sitemap.xml and robots.txt, through the theme's templates of those names.

use crate::error::Diagnostic;
use crate::model::nav::page_path;
use crate::render::view::{SitemapAlternate, SitemapUrl};

use super::{Finished, PRINT_SLUG, Renderer};

impl Renderer<'_> {
    /// Every page's folder in every language, grouped by page: (BCP 47
    /// tag, path) per language.
    fn page_paths(&self) -> Vec<Vec<(String, String)>> {
        let r = self.report;
        let slugs = std::iter::once(None)
            .chain(r.chapters.iter().map(|c| Some(c.slug.as_str())))
            .chain(std::iter::once(Some(PRINT_SLUG)));
        slugs
            .map(|slug| {
                r.languages
                    .iter()
                    .map(|l| (l.tag.clone(), page_path(&l.code, r.default_lang(), slug)))
                    .collect()
            })
            .collect()
    }

    /// The sitemap: every page in every language, each with its translations.
    pub(super) fn sitemap(&self) -> Result<Finished, Diagnostic> {
        let base = &self.report.base_url;
        let mut urls = Vec::new();
        for variants in self.page_paths() {
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
        self.builtin("sitemap.xml", &ctx)
    }

    /// robots.txt, naming the sitemap when the report has an absolute base URL.
    pub(super) fn robots(&self) -> Result<Finished, Diagnostic> {
        let base = &self.report.base_url;
        // A sitemap must be named by an absolute URL; without a host, leave it out.
        let sitemap_url = if base.origin.is_empty() {
            String::new()
        } else {
            base.absolute("sitemap.xml")
        };
        let mut ctx = tera::Context::new();
        ctx.insert("sitemap_url", &sitemap_url);
        self.builtin("robots.txt", &ctx)
    }

    /// Renders the built-in template `name` into the file of the same name.
    fn builtin(&self, name: &str, ctx: &tera::Context) -> Result<Finished, Diagnostic> {
        let text = self
            .theme
            .tera
            .render(name, ctx)
            .map_err(|e| self.theme.diagnostic(&e))?;
        Ok(Finished::whole(name, text))
    }
}
