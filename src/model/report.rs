//! The validated report: languages, chapters and sections with their
//! translations (or fallbacks), metrics and charts. No IO happens here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::{Localized, Page, RawChapter, RawSite};
use crate::load::locate::Positions;
use crate::load::yaml::{Money, RawMoney, RawReport, RawText, RawYear};
use crate::model::brand::{self, Brand};
use crate::model::lang::{Language, Text, is_valid_code};
use crate::model::metric::{self, Catalog};
use crate::model::nav::{BaseUrl, Layout};
use crate::model::photo::{self, PhotoFiles};
use crate::model::series::SeriesPlace;

/// A page in one language, or the fallback shown in its place.
#[derive(Debug, Clone)]
pub struct Translation<'a> {
    /// The page shown.
    pub page: &'a Page,
    /// The language the page is written in.
    pub lang: &'a str,
    /// True when `page` is in another language than the one asked for.
    pub fallback: bool,
}

/// Translations of one page, with the fallback rule.
#[derive(Debug, Clone, Default)]
pub struct Pages(pub Localized);

impl Pages {
    /// The page in `lang`, or the first available one in `order` as fallback.
    pub fn get<'a>(&'a self, lang: &str, order: &'a [Language]) -> Option<Translation<'a>> {
        if let Some((code, page)) = self.0.get_key_value(lang) {
            return Some(Translation {
                page,
                lang: code,
                fallback: false,
            });
        }
        order.iter().find_map(|l| {
            self.0.get(&l.code).map(|page| Translation {
                page,
                lang: &l.code,
                fallback: true,
            })
        })
    }
}

/// A section of a chapter.
#[derive(Debug, Clone)]
pub struct Section {
    /// Id and anchor on the chapter page.
    pub slug: String,
    /// Translations.
    pub pages: Pages,
}

/// A chapter: one page per language.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// URL slug.
    pub slug: String,
    /// 1-based position.
    pub number: usize,
    /// Folder, relative to the site root.
    pub dir: PathBuf,
    /// `_index` pages: title, kicker, summary, lead.
    pub index: Pages,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Files copied next to the chapter page.
    pub files: Vec<(PathBuf, PathBuf)>,
}

/// The whole validated report.
#[derive(Debug, Clone)]
pub struct Report {
    /// Languages; the first is the default.
    pub languages: Vec<Language>,
    /// The year as displayed.
    pub year: String,
    /// Headline.
    pub title: Text,
    /// Subtitle.
    pub subtitle: Option<Text>,
    /// Organisation.
    pub organization: Option<Text>,
    /// Description for link previews.
    pub description: Option<Text>,
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// Custom domain for static hosts that read a `CNAME` file.
    pub domain: Option<String>,
    /// Reader search is built (`search:` of report.yaml or, in a series,
    /// series.yaml; on by default).
    pub search: bool,
    /// Theme name.
    pub theme: String,
    /// Metric ids for the cover cards.
    pub highlights: Vec<String>,
    /// How each language writes money, where the report says (`money:`).
    pub money: BTreeMap<String, Money>,
    /// Decimals of the compact unit money is rounded to in prose.
    pub precision: Option<u8>,
    /// Accent colour and logo (a year's own, else its series').
    pub brand: Brand,
    /// Home page (foreword).
    pub home: Pages,
    /// Chapters in order.
    pub chapters: Vec<Chapter>,
    /// Metrics, charts and photos.
    pub catalog: Catalog,
    /// Every publishable photo file beside a chapter, declared or not.
    pub photo_files: PhotoFiles,
    /// The photo on the cover.
    pub cover_photo: Option<String>,
    /// Photos shown together on the cover.
    pub gallery: Vec<String>,
    /// Files under content/assets.
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// Where its pages live.
    pub layout: Layout,
    /// The series it belongs to, if any.
    pub series: Option<SeriesPlace>,
}

impl Report {
    /// The default language.
    pub fn default_lang(&self) -> &str {
        self.languages.first().map_or("", |l| l.code.as_str())
    }
}

/// Validates and links what was loaded. Returns `None` when the report file
/// itself is unusable; every other problem is a diagnostic. `place` is the
/// report's year in its series, when it is one.
pub fn build(
    raw: RawSite,
    base_url_override: Option<&str>,
    place: Option<SeriesPlace>,
    diags: &mut Diagnostics,
) -> Option<Report> {
    let (file, text, report) = raw.report?;
    // report.yaml is indexed once; a long `highlights:` list is located in it.
    let positions = Positions::new(&text);
    let languages = languages(report.languages.as_ref(), &file, &positions, diags)
        .map(|l| in_series(l, place.as_ref(), &file, &positions, diags));
    let year = year(&report, place.as_ref(), &file, &positions, diags);
    let title = required(report.title.as_ref(), "title", &file, diags);
    let (languages, year, raw_title) = (languages?, year?, title?);
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    let texts = report_texts(&report, raw_title, &codes, &file, &positions, diags);
    let (base_url, domain) = match &place {
        Some(place) => {
            series_keys_only(&report, &file, &positions, diags);
            (place.series.base_url.clone(), place.series.domain.clone())
        }
        None => {
            let base_url = base_url(
                base_url_override.or(report.base_url.as_deref()),
                &file,
                &positions,
                diags,
            );
            let domain = report
                .domain
                .as_deref()
                .and_then(|d| domain(d, &base_url, &file, &positions, diags));
            (base_url, domain)
        }
    };
    let money = money(report.money.as_ref(), &codes, &file, &positions, diags);
    let own_brand = brand::build(
        report.brand.as_ref(),
        raw.logo.as_ref(),
        &file,
        &positions,
        diags,
    );
    let brand = match &place {
        Some(place) => own_brand.or(&place.series.brand),
        None => own_brand,
    };
    let photo_files = photo::photo_files(&raw.chapters, diags);
    let catalog = metric::build_catalog(
        &raw.metrics,
        &raw.broken_metrics,
        &photo_files,
        &codes,
        diags,
    );
    check_highlights(&report.highlights, &catalog, &file, &positions, diags);
    check_cover_photos(&report, &catalog, &file, &positions, diags);
    let home = Pages(raw.home);
    check_translations(&home, &languages, &raw.broken_pages, diags);
    let chapters = chapters(raw.chapters, &languages, &raw.broken_pages, diags);
    let theme = report.theme.as_deref().map_or_else(
        || "default".to_string(),
        |t| theme_name(t, &file, &positions, diags),
    );
    let layout = Layout {
        default_lang: place.as_ref().map_or_else(
            || codes.first().cloned().unwrap_or_default(),
            |p| p.series.default_lang().to_string(),
        ),
        year: place.as_ref().map(|_| year.clone()),
    };
    Some(Report {
        languages,
        year,
        title: texts.title,
        subtitle: texts.subtitle,
        organization: texts.organization,
        description: texts.description,
        base_url,
        domain,
        search: place
            .as_ref()
            .map_or(report.search.unwrap_or(true), |p| p.series.search),
        theme,
        highlights: report.highlights,
        money,
        precision: report.precision,
        brand,
        home,
        chapters,
        catalog,
        photo_files,
        cover_photo: report.cover_photo.clone(),
        gallery: report.gallery.clone(),
        assets: raw.assets,
        layout,
        series: place,
    })
}

/// `money:` per language: one style for all, or a map whose keys must be
/// languages of the report.
pub(crate) fn money(
    raw: Option<&RawMoney>,
    codes: &[String],
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Money> {
    match raw {
        None => BTreeMap::new(),
        Some(RawMoney::Same(money)) => codes.iter().map(|c| (c.clone(), *money)).collect(),
        Some(RawMoney::PerLanguage(map)) => {
            for lang in map.keys().filter(|l| !codes.contains(l)) {
                let (line, col) = positions.key("money", 0);
                let msg = format!("`money` names `{lang}`, which is not a language of this report");
                diags.push(Diagnostic::error(file, line, col, msg));
            }
            map.clone()
        }
    }
}

/// A year's languages that its series has; another one is an error (its
/// pages would have no home, no switcher, no series page) and is left out.
fn in_series(
    languages: Vec<Language>,
    place: Option<&SeriesPlace>,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> Vec<Language> {
    let Some(series) = place.map(|p| &p.series) else {
        return languages;
    };
    let (kept, others): (Vec<Language>, Vec<Language>) = languages
        .into_iter()
        .partition(|l| series.languages.contains(l));
    let codes: Vec<&str> = series.languages.iter().map(|l| l.code.as_str()).collect();
    for other in others {
        let (line, col) = positions
            .value(&other.code, 0)
            .unwrap_or_else(|| positions.key("languages", 0));
        let msg = format!(
            "language `{}` of this year is not a language of the series ({})",
            other.code,
            codes.join(", ")
        );
        let hint = format!(
            "add `{}` to `languages:` in content/series.yaml",
            other.code
        );
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
    }
    kept
}

/// A key report.yaml must have, reported as missing at its top.
fn required<'a, T>(
    value: Option<&'a T>,
    key: &str,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<&'a T> {
    if value.is_none() {
        let hint = format!("add `{key}:` (docs/content-format.md lists every key)");
        diags.push(Diagnostic::error(file, 1, 1, format!("missing field `{key}`")).with_hint(hint));
    }
    value
}

/// The year as displayed. In a series the year's folder names it, and a
/// `year:` written in report.yaml must agree.
fn year(
    report: &RawReport,
    place: Option<&SeriesPlace>,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let Some(place) = place else {
        return required(report.year.as_ref(), "year", file, diags).map(year_text);
    };
    if let Some(written) = report.year.as_ref().map(year_text)
        && written != place.year
    {
        let (line, col) = positions.key("year", 0);
        let msg = format!(
            "`year: {written}` differs from the year of its folder ({})",
            place.year
        );
        let hint = "in a series the folder names the year: remove `year:` or rename the folder";
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
    }
    Some(place.year.clone())
}

/// Keys that only series.yaml may set: every year is published together.
fn series_keys_only(
    report: &RawReport,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) {
    let set = [
        ("base_url", report.base_url.is_some()),
        ("domain", report.domain.is_some()),
        ("search", report.search.is_some()),
    ];
    for (key, _) in set.into_iter().filter(|(_, present)| *present) {
        let (line, col) = positions.key(key, 0);
        let msg =
            format!("`{key}` of a year is ignored: the whole series is published at one address");
        let hint = format!("set `{key}` in content/series.yaml");
        diags.push(Diagnostic::warning(file, line, col, msg).with_hint(hint));
    }
}

/// The texts of report.yaml, each in every language.
struct ReportTexts {
    title: Text,
    subtitle: Option<Text>,
    organization: Option<Text>,
    description: Option<Text>,
}

fn report_texts(
    report: &RawReport,
    title: &RawText,
    codes: &[String],
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> ReportTexts {
    let text = |raw: &RawText, key: &str, diags: &mut Diagnostics| {
        let at = positions.key(key, 0);
        metric::text_of(raw, codes, file, at, &format!("`{key}`"), diags)
    };
    let optional = |raw: &Option<RawText>, key: &str, diags: &mut Diagnostics| {
        raw.as_ref().map(|t| text(t, key, diags))
    };
    ReportTexts {
        title: text(title, "title", diags),
        subtitle: optional(&report.subtitle, "subtitle", diags),
        organization: optional(&report.organization, "organization", diags),
        description: optional(&report.description, "description", diags),
    }
}

/// The year as displayed: a number as written, or text ("2020–2021").
fn year_text(year: &RawYear) -> String {
    match year {
        RawYear::Number(n) => n.to_string(),
        RawYear::Text(t) => t.clone(),
    }
}

/// Every cover highlight names a metric; an id that is unknown only
/// because of an error already reported is left to that error.
fn check_highlights(
    highlights: &[String],
    catalog: &Catalog,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) {
    let known = || catalog.metrics.keys();
    for (nth, id) in highlights.iter().enumerate() {
        if catalog.metrics.contains_key(id) || catalog.is_follow_on(id, known()) {
            continue;
        }
        let (line, col) = positions
            .value(id, 0)
            .unwrap_or_else(|| positions.key("highlights", 0));
        let msg = format!("highlight {} refers to unknown metric `{id}`", nth + 1);
        diags.push(
            Diagnostic::error(file, line, col, msg).with_hint(catalog.unknown_hint(id, known())),
        );
    }
}

/// `cover_photo:` and `gallery:` name declared photos; the cover photo
/// needs its file.
fn check_cover_photos(
    report: &RawReport,
    catalog: &Catalog,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) {
    let cover = report.cover_photo.iter().map(|id| ("cover_photo", id));
    let gallery = report.gallery.iter().map(|id| ("gallery", id));
    for (key, id) in cover.chain(gallery) {
        let (line, col) = positions
            .value(id, 0)
            .unwrap_or_else(|| positions.key(key, 0));
        let msg = match catalog.photos.get(id) {
            None => format!("`{key}` names unknown photo `{id}`"),
            Some(photo) if photo.file.is_none() && key == "cover_photo" => {
                format!("the cover photo `{id}` has no `file:` yet")
            }
            Some(_) => continue,
        };
        let hint = "declare the photo under `photos:` in a chapter's metrics.yaml (id, file, alt), and name it here by its id";
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
    }
}

/// The chapters in order, numbered from 1.
fn chapters(
    raw: Vec<RawChapter>,
    languages: &[Language],
    broken: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<Chapter> {
    raw.into_iter()
        .enumerate()
        .map(|(i, c)| chapter(c, i + 1, languages, broken, diags))
        .collect()
}

/// The languages of report.yaml or series.yaml, checked.
pub(crate) fn languages(
    codes: Option<&Vec<String>>,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> Option<Vec<Language>> {
    let codes = required(codes, "languages", file, diags)?;
    let at = positions.key("languages", 0);
    if codes.is_empty() {
        let msg = "`languages` is empty: a report needs at least one language";
        diags.push(
            Diagnostic::error(file, at.0, at.1, msg).with_hint("for example `languages: [zh, en]`"),
        );
        return None;
    }
    let mut seen = Vec::new();
    let mut ok = true;
    for code in codes {
        let (line, col) = positions.value(code, 0).unwrap_or(at);
        if !is_valid_code(code) {
            let msg = format!("`{code}` is not a language code");
            let hint =
                "use a lowercase ISO 639 code such as zh, en, fr (optionally with a region: pt-br)";
            diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
            ok = false;
        } else if seen.contains(code) {
            diags.push(Diagnostic::error(
                file,
                line,
                col,
                format!("language `{code}` is listed twice"),
            ));
            ok = false;
        }
        seen.push(code.clone());
    }
    ok.then(|| codes.iter().map(|c| Language::new(c)).collect())
}

pub(crate) fn base_url(
    value: Option<&str>,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> BaseUrl {
    let Some(value) = value else {
        return BaseUrl::default();
    };
    BaseUrl::parse(value).unwrap_or_else(|| {
        let (line, col) = positions.key("base_url", 0);
        let msg =
            format!("`base_url: {value}` is neither a path starting with / nor an http(s) URL");
        let hint = "for example \"/\" or \"https://example.org/report/2020/\"";
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
        BaseUrl::default()
    })
}

/// Validates `theme:`: the name of a folder in `themes/`, never a path
/// (a theme is read from inside the report folder only).
pub(crate) fn theme_name(
    value: &str,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> String {
    let plain = !value.is_empty()
        && !value.starts_with('.')
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain {
        let (line, col) = positions.key("theme", 0);
        let msg = format!("`theme: {value}` is not the name of a folder in themes/");
        let hint =
            "write the folder's name only, for example `theme: corporate` for themes/corporate/";
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
        // The default theme, so the error is not followed by one about the path.
        return "default".to_string();
    }
    value.to_string()
}

/// Validates `domain:`: a host name without scheme or path. A base_url on
/// another host is a warning: the site would be served where links do not point.
pub(crate) fn domain(
    value: &str,
    base_url: &BaseUrl,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let (line, col) = positions.key("domain", 0);
    let host = value.trim().to_ascii_lowercase();
    if !is_host_name(&host) {
        let msg = format!("`domain: {value}` is not a host name");
        let hint =
            "write the bare host, for example `domain: report.example.org` (no https://, no path)";
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
        return None;
    }
    let base_host = base_url
        .origin
        .split_once("://")
        .map(|(_, h)| h.to_ascii_lowercase());
    if let Some(base_host) = base_host.filter(|h| *h != host) {
        let msg = format!(
            "`domain: {host}` differs from the host of base_url ({base_host}): absolute links would point elsewhere"
        );
        let hint = format!("set base_url to \"https://{host}/\", or remove `domain:`");
        diags.push(Diagnostic::warning(file, line, col, msg).with_hint(hint));
    }
    Some(host)
}

/// `report.example.org`: dot-separated labels of letters, digits and inner
/// hyphens, at least two labels.
pub fn is_host_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn chapter(
    raw: RawChapter,
    number: usize,
    languages: &[Language],
    broken: &[PathBuf],
    diags: &mut Diagnostics,
) -> Chapter {
    let index = Pages(raw.index);
    if index.0.is_empty() {
        let lang = languages.first().map_or("zh", |l| l.code.as_str());
        let msg = "this chapter has no _index file with its title";
        let hint = format!(
            "add {}/_index.{lang}.md with `title:` in its front matter",
            raw.dir.display()
        );
        diags.push(Diagnostic::error(&raw.dir, 0, 0, msg).with_hint(hint));
    } else {
        check_translations(&index, languages, broken, diags);
    }
    let sections = raw
        .sections
        .into_iter()
        .map(|s| {
            let pages = Pages(s.pages);
            check_translations(&pages, languages, broken, diags);
            Section {
                slug: s.slug,
                pages,
            }
        })
        .collect();
    Chapter {
        slug: raw.slug,
        number,
        dir: raw.dir,
        index,
        sections,
        files: raw.files,
    }
}

/// A missing translation is a warning: the page falls back with a notice.
/// `broken` files exist but failed to load: their own error is enough.
fn check_translations(
    pages: &Pages,
    languages: &[Language],
    broken: &[PathBuf],
    diags: &mut Diagnostics,
) {
    let Some((shown_lang, first)) = languages
        .iter()
        .find_map(|l| pages.0.get(&l.code).map(|p| (&l.code, p)))
    else {
        return;
    };
    let missing: BTreeMap<&str, String> = languages
        .iter()
        .filter(|l| !pages.0.contains_key(&l.code))
        .map(|l| {
            (
                l.code.as_str(),
                translation_path(&first.file, shown_lang, &l.code),
            )
        })
        .filter(|(_, path)| {
            !broken
                .iter()
                .any(|b| b.as_path() == std::path::Path::new(path))
        })
        .collect();
    let default = languages.first().map(|l| l.code.as_str());
    for (lang, path) in missing {
        let diagnostic = if Some(lang) == default {
            let msg = format!(
                "orphan translation: there is no {lang} page {path} (the default language) for this page to translate; the {lang} site shows the {shown_lang} text with a notice"
            );
            let hint = format!(
                "write {path}, or rename {} if its name differs from the {lang} one",
                first.file.display()
            );
            Diagnostic::warning(&first.file, 0, 0, msg).with_hint(hint)
        } else {
            let msg = format!(
                "missing translation: {path} does not exist; the {lang} page shows the {shown_lang} text with a notice"
            );
            let hint = format!("translate {} into {path}", first.file.display());
            Diagnostic::warning(&first.file, 0, 0, msg).with_hint(hint)
        };
        diags.push(diagnostic);
    }
}

fn translation_path(file: &std::path::Path, from: &str, to: &str) -> String {
    let name = file.to_string_lossy();
    let suffix = format!(".{from}.md");
    match name.strip_suffix(&suffix) {
        Some(stem) => format!("{stem}.{to}.md"),
        None => name.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        for ok in ["report.example.org", "a-b.example.org", "x1.io"] {
            assert!(is_host_name(ok), "{ok}");
        }
        for bad in [
            "https://example.org",
            "example.org/report",
            "localhost",
            "-a.org",
            "a..org",
            "",
            "a b.org",
        ] {
            assert!(!is_host_name(bad), "{bad}");
        }
    }
}
