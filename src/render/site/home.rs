//! The cover: highlight cards and the foreword.

use std::collections::BTreeMap;

use crate::model::lang::Language;
use crate::model::metric::Metric;
use crate::model::number::Numbers;
use crate::render::view::PageType;
use crate::render::view::{CardView, HomeView, PageView};

use super::Renderer;
use super::pages::Scope;
use super::photo::Placement;
use super::prose::PageMarkdown;

impl Renderer<'_> {
    /// The cover page's view (also the opening of the whole-report page).
    pub(super) fn home_view(
        &self,
        lang: &Language,
        path: &str,
        md: &PageMarkdown<'_>,
        scope: &mut Scope<'_>,
    ) -> PageView {
        let code = lang.code.as_str();
        let highlights = self
            .report
            .highlights
            .iter()
            .filter_map(|id| self.report.catalog.metrics.get(id))
            .map(|m| card(m, code, self.numbers(code), &self.i18n(code).strings))
            .collect();
        let foreword = self.report.home.get(code, &self.report.languages);
        let foreword_html = foreword.as_ref().map_or(String::new(), |t| {
            md.render(t.page, "foreword", 2, scope).html
        });
        let title = self.report.title.get(code).to_string();
        // On the whole-report page (printed), photos at print size.
        let printed = !scope.link_base.is_empty();
        let (cover, gallery) = if printed {
            (Placement::Print, Placement::Print)
        } else {
            (Placement::Cover, Placement::Gallery)
        };
        let mut page = self.page_view(lang, path, PageType::Home, title);
        page.home = Some(HomeView {
            highlights,
            foreword_title: self.t(code, "foreword"),
            foreword_html,
            fallback: foreword.as_ref().and_then(|t| self.fallback_view(t)),
            data_csv_url: self.data_url(path, "csv"),
            data_json_url: self.data_url(path, "json"),
            cover_photo: self
                .cover_photo()
                .map(|p| self.declared_photo_view(p, code, path, cover)),
            gallery: self
                .report
                .gallery
                .iter()
                .filter_map(|id| self.report.catalog.photos.get(id))
                .map(|p| self.declared_photo_view(p, code, path, gallery))
                .collect(),
        });
        page
    }

    /// The URL of this year's metrics file of type `ext`, relative to the
    /// page at `path`; "" for a single report, which writes none.
    fn data_url(&self, path: &str, ext: &str) -> String {
        let layout = &self.report.layout;
        if layout.year.is_none() {
            return String::new();
        }
        let root = crate::model::nav::root_prefix(path);
        format!("{root}{}", super::data_path(layout, ext))
    }
}

/// A highlight card: the metric's value split around its number. `strings`
/// are the theme's UI strings of the language (for "on 2019").
pub(super) fn card(
    m: &Metric,
    code: &str,
    words: &Numbers,
    strings: &BTreeMap<String, String>,
) -> CardView {
    let parts = m.parts(code, words);
    let change_on = m.previous_year.as_ref().map_or(String::new(), |year| {
        strings
            .get("change_on_year")
            .map_or_else(|| year.clone(), |t| t.replace("{year}", year))
    });
    CardView {
        id: m.id.clone(),
        label: m.label.get(code).to_string(),
        text: parts.joined(),
        before: parts.before.trim().to_string(),
        number: parts.number,
        after: parts.after.trim().to_string(),
        change: m.format_signed_change(words).unwrap_or_default(),
        change_negative: m.change.as_ref().is_some_and(|c| c.is_negative()),
        change_on,
    }
}
