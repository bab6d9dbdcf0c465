//! The documented template context. Templates receive four variables:
//!
//! - `site`: [`SiteView`], the report and its navigation in the page's language;
//! - `page`: [`PageView`], what this page shows;
//! - `chapters`: every chapter as a [`ChapterLink`], with URLs relative to
//!   this page (the current chapter is the one whose `number` equals
//!   `page.chapter.number`);
//! - `t`: the theme's UI strings for the page's language (`t.next_chapter`).
//!
//! The built-in templates for generated files get their own variables:
//! `figure.html` (a chart in a page's text) gets `figure`, a [`FigureView`];
//! `photo.html` (a photo anywhere) gets `photo`, a [`PhotoView`];
//! `sitemap.xml` gets `urls`, a list of [`SitemapUrl`]; `robots.txt` gets
//! `sitemap_url` (the sitemap's absolute URL, "" when the report has no
//! `base_url` with a host).
//!
//! `docs/themes.md` lists every variable for theme authors.
//!
//! These are view structs made for templates, not nianbao's internal
//! types, so the internals can change without breaking themes.

use serde::Serialize;

use crate::render::markdown::Heading;

/// The report, in the language of the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Headline.
    pub title: String,
    /// Subtitle ("" when none).
    pub subtitle: String,
    /// Organisation ("" when none).
    pub organization: String,
    /// Description for link previews.
    pub description: String,
    /// Year as written in report.yaml.
    pub year: String,
    /// Language code of this page (`en`).
    pub lang: String,
    /// BCP 47 tag of this page (`zh-Hans`).
    pub lang_tag: String,
    /// Relative path from this page to the site root ("../").
    pub root: String,
    /// URL of this language's home page, relative to this page.
    pub home_url: String,
    /// URL of this language's whole-report page (every chapter on one
    /// page, for reading offline and printing), relative to this page.
    pub print_url: String,
    /// URL of this language's PDF, relative to this page; "" when the
    /// build writes none (`build --pdf` writes them).
    pub pdf_url: String,
    /// Theme static files: name → URL relative to this page (`style.css`).
    pub assets: std::collections::BTreeMap<String, String>,
    /// Every language, with the link to this page in it.
    pub languages: Vec<LanguageLink>,
    /// Generator name and version.
    pub generator: String,
    /// The site has reader search (`search:`): the header shows its field.
    pub search: bool,
    /// The series this page belongs to; `None` for a single report.
    pub series: Option<SeriesNav>,
    /// The organisation's accent colour and logo (`brand:`).
    pub brand: BrandView,
}

/// The organisation's brand (`brand:` in report.yaml or series.yaml; a
/// year of a series without its own shows the series'). Every value is
/// "" (or 0) when the report does not set it: the theme's own look.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BrandView {
    /// The accent for the light scheme, `#rrggbb` (`--accent`).
    pub accent: String,
    /// A pale tint of it on the light paper (`--accent-soft`).
    pub accent_soft: String,
    /// The accent for the dark scheme, derived to reach 4.5:1 on the dark paper.
    pub accent_dark: String,
    /// A dark tint of it on the dark paper.
    pub accent_dark_soft: String,
    /// The logo's URL relative to this page.
    pub logo_url: String,
    /// Its media type: `image/svg+xml` or `image/png` (for the favicon link).
    pub logo_type: String,
    /// Its intrinsic width in CSS pixels (0 when the file does not say).
    pub logo_width: u32,
    /// Its intrinsic height in CSS pixels (0 when the file does not say).
    pub logo_height: u32,
    /// Its text alternative: the organisation's name (the title when
    /// there is none); "" without a logo.
    pub logo_alt: String,
}

/// A series as every page of it links to it: its home and every year.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesNav {
    /// The series' headline.
    pub title: String,
    /// The series home in this page's language, relative to this page.
    pub home_url: String,
    /// True on the series home itself.
    pub current: bool,
    /// Every year, newest first.
    pub years: Vec<YearLink>,
}

/// A year in the year switcher.
#[derive(Debug, Clone, Serialize)]
pub struct YearLink {
    /// The year.
    pub year: String,
    /// Its home page in this page's language, or in the first language it
    /// has when it lacks this one, relative to this page.
    pub url: String,
    /// True for the year of this page.
    pub current: bool,
    /// BCP 47 tag of the language `url` leads to when it is not this
    /// page's ("" when it is).
    pub other_lang: String,
    /// Name of that language ("" when it is this page's).
    pub other_lang_name: String,
}

/// A language switcher entry.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    /// Code (`en`).
    pub code: String,
    /// BCP 47 tag.
    pub tag: String,
    /// Name in its own language ("English", "中文").
    pub name: String,
    /// This page in that language, relative to this page.
    pub url: String,
    /// Absolute URL of this page in that language (hreflang).
    pub absolute_url: String,
    /// True for the page's own language.
    pub current: bool,
}

/// A chapter in navigation lists.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterLink {
    /// 1-based number.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Kicker ("" when none).
    pub kicker: String,
    /// Summary as inline HTML ("" when none).
    pub summary_html: String,
    /// Link relative to the current page.
    pub url: String,
}

/// Which page a [`PageView`] is. Templates see it as a string, `page.kind`:
/// `home`, `chapter`, `print` or `404` (`{% if page.kind == "print" %}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    /// The cover (`home`).
    Home,
    /// A chapter (`chapter`).
    Chapter,
    /// The whole report on one page (`print`).
    Print,
    /// The page served for a missing URL (`404`).
    #[serde(rename = "404")]
    NotFound,
    /// The home of a report series (`series`): every year.
    Series,
}

/// What one page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// `home`, `chapter`, `print` or `404`.
    pub kind: PageType,
    /// Title for `<title>` and Open Graph.
    pub title: String,
    /// Description for meta tags.
    pub description: String,
    /// Absolute (or root-relative) canonical URL.
    pub canonical_url: String,
    /// The link-preview image (`og:image`), absolute when the report has a
    /// `base_url` with a host; "" without a cover photo.
    pub og_image: String,
    /// Open Graph locale (`zh_Hans`, `en`).
    pub og_locale: String,
    /// Set on the home page.
    pub home: Option<HomeView>,
    /// Set on chapter pages.
    pub chapter: Option<ChapterView>,
    /// Set on the whole-report page (which also has `home`, for its cover).
    pub print: Option<PrintView>,
    /// Set on the home of a series.
    pub series: Option<SeriesHomeView>,
}

/// The home of a series: the latest year's cover, every year, and the
/// figures that matter across the years.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesHomeView {
    /// The newest year, with all its highlight cards.
    pub latest: Option<YearCardView>,
    /// Every year, newest first, each with up to three highlights.
    pub years: Vec<YearCardView>,
    /// One line chart per `trends:` id, as figure HTML.
    pub trends: Vec<String>,
    /// URL of the series' data (CSV), relative to this page.
    pub data_url: String,
}

/// A year on the series home.
#[derive(Debug, Clone, Serialize)]
pub struct YearCardView {
    /// The year.
    pub year: String,
    /// Its title, in this page's language or the one it is shown in.
    pub title: String,
    /// Its home page, relative to this page.
    pub url: String,
    /// BCP 47 tag of the language it is shown in, when not this page's.
    pub other_lang: String,
    /// The name of that language ("" when it is this page's).
    pub other_lang_name: String,
    /// Highlight cards.
    pub highlights: Vec<CardView>,
}

/// The whole report on one page.
#[derive(Debug, Clone, Serialize)]
pub struct PrintView {
    /// Every chapter, in order (without `prev` and `next`).
    pub chapters: Vec<PrintChapter>,
}

/// A chapter in the whole-report page.
#[derive(Debug, Clone, Serialize)]
pub struct PrintChapter {
    /// Id of the chapter's element, for the table of contents (`#anchor`).
    pub anchor: String,
    /// Id of the chapter's heading.
    pub title_id: String,
    /// The chapter; its headings are one level deeper than on its own page.
    pub chapter: ChapterView,
}

/// The cover.
#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    /// Highlight cards.
    pub highlights: Vec<CardView>,
    /// Foreword title ("" when none).
    pub foreword_title: String,
    /// Foreword as HTML ("" when none).
    pub foreword_html: String,
    /// Set when the foreword is shown in another language.
    pub fallback: Option<FallbackView>,
    /// URL of this year's metrics as CSV, relative to the page ("" for a
    /// single report).
    pub data_csv_url: String,
    /// URL of this year's metrics as JSON ("" for a single report).
    pub data_json_url: String,
    /// The cover photo (`cover_photo:`), if any.
    pub cover_photo: Option<PhotoView>,
    /// The photos of `gallery:`.
    pub gallery: Vec<PhotoView>,
}

/// A highlight card: the number large, its words small.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    /// Metric id.
    pub id: String,
    /// What the number counts.
    pub label: String,
    /// Words before the number ("over", "CNY").
    pub before: String,
    /// The number.
    pub number: String,
    /// Words after the number ("million", "万元").
    pub after: String,
    /// The whole value as one string, for screen readers.
    pub text: String,
    /// Change on last year ("+40.1%"), "" when none.
    pub change: String,
    /// What the change compares with when the series' data gave it ("on
    /// 2019", "较2019年"); "" otherwise (the theme says "on last year").
    pub change_on: String,
    /// True when the change is negative.
    pub change_negative: bool,
}

/// A notice that a page is shown in another language.
#[derive(Debug, Clone, Serialize)]
pub struct FallbackView {
    /// Code of the language shown.
    pub lang: String,
    /// Its BCP 47 tag (for `lang=""` on the content).
    pub tag: String,
    /// Its name.
    pub name: String,
}

/// A chapter page.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterView {
    /// 1-based number.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Kicker.
    pub kicker: String,
    /// Lead paragraph(s) as HTML.
    pub lead_html: String,
    /// The title was supplied by the editor.
    pub title_by_editor: bool,
    /// The lead was written by the editor.
    pub lead_by_editor: bool,
    /// Set when the chapter's own texts are shown in another language.
    pub fallback: Option<FallbackView>,
    /// Sections in order.
    pub sections: Vec<SectionView>,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Previous chapter.
    pub prev: Option<ChapterLink>,
    /// Next chapter.
    pub next: Option<ChapterLink>,
}

/// A section on a chapter page.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Anchor id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Body HTML.
    pub html: String,
    /// Set when shown in another language.
    pub fallback: Option<FallbackView>,
}

/// A table-of-contents entry.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// Anchor id.
    pub id: String,
    /// Text.
    pub title: String,
    /// Headings inside the section.
    pub children: Vec<Heading>,
}

/// A chart placed in a page's text (`figure.html`).
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    /// Element id of the chart on this page (`chart-ID`, suffixed when the
    /// chart is placed twice); the figure's own id is `fig-` and this.
    pub dom_id: String,
    /// The caption as inline HTML.
    pub caption: String,
    /// The chart as inline SVG markup.
    pub svg: String,
    /// The chart's note ("" when none).
    pub note: String,
    /// `<table>` with the chart's exact numbers, as HTML.
    pub table: String,
    /// Label of the data table (`t.data_table`).
    pub data_table: String,
    /// URL of the SVG file to download, relative to the page.
    pub download_url: String,
    /// Label of the download link (`t.download_svg`).
    pub download_label: String,
}

/// A photo (`photo.html`): in a page's text, on the cover, in the gallery.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PhotoView {
    /// URL of the default file, relative to the page ("" for a photo
    /// still to come: a caption only).
    pub src: String,
    /// `srcset` of the fallback format (JPEG or PNG), "" for one file.
    pub srcset: String,
    /// `srcset` of the WebP files, "" when the photo has none.
    pub webp_srcset: String,
    /// `sizes`: how wide the photo is shown.
    pub sizes: String,
    /// Width of the default file in pixels (0 when unknown, for SVG).
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// What the photo shows.
    pub alt: String,
    /// Caption ("" when none).
    pub caption: String,
    /// Credit ("" when none).
    pub credit: String,
    /// True below the first screen: `loading="lazy"`.
    pub lazy: bool,
}

/// A page in `sitemap.xml`, with the same page in every language.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapUrl {
    /// Absolute URL of the page.
    pub loc: String,
    /// The page in every language, this one included.
    pub alternates: Vec<SitemapAlternate>,
}

/// One language of a page in `sitemap.xml`.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapAlternate {
    /// BCP 47 tag.
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_types_are_the_strings_templates_compare() {
        let names = [
            (PageType::Home, "home"),
            (PageType::Chapter, "chapter"),
            (PageType::Print, "print"),
            (PageType::NotFound, "404"),
            (PageType::Series, "series"),
        ];
        for (kind, name) in names {
            assert_eq!(serde_json::to_value(kind).ok(), Some(name.into()));
        }
    }
}
