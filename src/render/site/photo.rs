//! Photos in pages: `![](photo:ID)` and a page's own images, the cover
//! photo and the gallery, through the theme's `photo.html`. Each refers to
//! the files [`crate::media`] makes, shared by every language.

use std::path::{Component, Path, PathBuf};

use crate::media::{Plan, Variant};
use crate::model::nav;
use crate::model::photo::{Photo, PhotoFile};
use crate::render::view::PhotoView;

use super::Renderer;
use super::prose::replace_metrics;

/// Where a photo is shown, which decides the files offered and `sizes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// In a page's text, below the first screen.
    Text,
    /// In the whole-report page (printed to PDF): the print variant.
    Print,
    /// On the cover, at the top: not lazy.
    Cover,
    /// In the cover's gallery.
    Gallery,
}

impl Placement {
    fn sizes(self) -> &'static str {
        match self {
            Self::Text | Self::Print => "(min-width: 42rem) 40rem, 100vw",
            Self::Cover => "(min-width: 74rem) 72rem, 100vw",
            Self::Gallery => "(min-width: 74rem) 24rem, (min-width: 40rem) 50vw, 100vw",
        }
    }
}

/// The words of a photo in one language.
pub(super) struct PhotoText {
    pub(super) alt: String,
    pub(super) caption: String,
    pub(super) credit: String,
}

/// The built-in template of a photo.
pub(super) const PHOTO_TEMPLATE: &str = "photo.html";

impl Renderer<'_> {
    /// The view of a declared photo in `lang` on the page at `path`.
    pub(super) fn declared_photo_view(
        &self,
        photo: &Photo,
        lang: &str,
        path: &str,
        placement: Placement,
    ) -> PhotoView {
        // Plain text, with metric references in the page's numbers, as in prose.
        let numbers = self.numbers(lang);
        let text = |t: &Option<crate::model::lang::Text>| {
            t.as_ref().map_or(String::new(), |t| {
                replace_metrics(t.get(lang), self.report, lang, numbers)
            })
        };
        let words = PhotoText {
            alt: text(&photo.alt),
            caption: text(&photo.caption),
            credit: text(&photo.credit),
        };
        match &photo.file {
            Some(file) => self.photo_view(file, words, path, placement),
            None => PhotoView {
                caption: words.caption,
                credit: words.credit,
                ..PhotoView::default()
            },
        }
    }

    /// The view of a photo file with its words, on the page at `path`.
    pub(super) fn photo_view(
        &self,
        file: &PhotoFile,
        words: PhotoText,
        path: &str,
        placement: Placement,
    ) -> PhotoView {
        let plan = Plan::new(&file.probe);
        let prefix = self.photo_prefix(path);
        let url = |v: Variant| format!("{prefix}{}", plan.path(v));
        let base = PhotoView {
            alt: words.alt,
            caption: words.caption,
            credit: words.credit,
            lazy: matches!(placement, Placement::Text | Placement::Gallery),
            sizes: placement.sizes().to_string(),
            ..PhotoView::default()
        };
        if plan.is_vector() {
            return PhotoView {
                src: url(Variant::Original),
                width: plan.width,
                height: plan.height,
                ..base
            };
        }
        if placement == Placement::Print {
            let w = plan.print_width();
            return PhotoView {
                src: url(plan.print_variant()),
                width: w,
                height: plan.height_at(w),
                ..base
            };
        }
        let w = plan.default_width();
        PhotoView {
            src: url(Variant::Fallback(w)),
            srcset: plan.srcset(&prefix, false),
            webp_srcset: if plan.has_modern() {
                plan.srcset(&prefix, true)
            } else {
                String::new()
            },
            width: w,
            height: plan.height_at(w),
            ..base
        }
    }

    /// Renders a photo through the theme's `photo.html`.
    pub(super) fn photo_html(&self, view: &PhotoView) -> Result<String, tera::Error> {
        let mut ctx = tera::Context::new();
        ctx.insert("photo", view);
        self.theme.tera.render(PHOTO_TEMPLATE, &ctx)
    }

    /// The photo file an image of a page names (`team.jpg` in
    /// content/01-relief/01-team.en.md is content/01-relief/team.jpg).
    pub(super) fn photo_file_of(&self, page_file: &Path, url: &str) -> Option<&PhotoFile> {
        if url.starts_with('/') || url.contains(':') || url.starts_with('#') {
            return None;
        }
        let url = url.split(['?', '#']).next().unwrap_or(url);
        let decoded = percent_encoding::percent_decode_str(url)
            .decode_utf8()
            .ok()?;
        let dir = page_file.parent()?;
        let path = normalized(&dir.join(decoded.as_ref()));
        self.report.photo_files.ok.get(&path)
    }

    /// The photo file a published URL (`../photos/<hash>-960.jpg`) is made from.
    pub(super) fn photo_file_by_url(&self, url: &str) -> Option<&PhotoFile> {
        let name = url.rsplit_once("photos/")?.1;
        let hash = name.split(['-', '.']).next()?;
        self.report
            .photo_files
            .ok
            .values()
            .find(|f| f.probe.hash == hash)
    }

    /// The URL a page's own image is published at: its default width.
    pub(super) fn published_image(
        &self,
        page_file: &Path,
        url: &str,
        path: &str,
    ) -> Option<String> {
        let file = self.photo_file_of(page_file, url)?;
        let plan = Plan::new(&file.probe);
        let variant = if plan.is_vector() {
            Variant::Original
        } else {
            Variant::Fallback(plan.default_width())
        };
        Some(format!("{}{}", self.photo_prefix(path), plan.path(variant)))
    }

    /// The link-preview image of every page: the cover photo's, absolute.
    pub(super) fn og_image(&self) -> String {
        let Some(photo) = self.cover_photo() else {
            return String::new();
        };
        let Some(file) = &photo.file else {
            return String::new();
        };
        let plan = Plan::new(&file.probe);
        if plan.is_vector() || !plan.variants().contains(&Variant::Og) {
            return String::new();
        }
        let files = self.report.layout.files();
        self.report
            .base_url
            .absolute(&format!("{files}{}", plan.path(Variant::Og)))
    }

    /// The report's cover photo, when it names one.
    pub(super) fn cover_photo(&self) -> Option<&Photo> {
        let id = self.report.cover_photo.as_ref()?;
        self.report.catalog.photos.get(id)
    }

    /// From the page at `path` to the report's files folder.
    fn photo_prefix(&self, path: &str) -> String {
        format!("{}{}", nav::root_prefix(path), self.report.layout.files())
    }
}

/// `a/./b/../c` → `a/c`, without touching the disk.
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
