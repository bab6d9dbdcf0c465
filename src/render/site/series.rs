//! The pages a series has once, above its years: the series home in every
//! language (the latest year's cover, every year, the trends across the
//! years), the 404 page, sitemap.xml, robots.txt and the theme's files;
//! and the year switcher every page of a year shows.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::model::lang::{Language, Text};
use crate::model::metric::{Catalog, Chart, ChartData, Metric};
use crate::model::nav::{self, Layout, page_path};
use crate::model::report::Report;
use crate::model::series::{Series, YearMetrics, line_over_years};
use crate::render::charts::{self, TableLabels};
use crate::render::sink::Sink;
use crate::render::theme::{I18n, Theme};
use crate::render::view::{
    FigureView, LanguageLink, PageType, PageView, SeriesHomeView, SeriesNav, SiteView,
    YearCardView, YearLink,
};

use super::{Finished, PRINT_SLUG, copies, home::card, sitemap};

/// Highlights per year in the list of years on the series home.
const LISTED_HIGHLIGHTS: usize = 3;

/// What the series home shows of a year: kept once the year is written.
#[derive(Debug, Clone)]
pub struct YearSummary {
    /// The year.
    pub year: String,
    /// Its languages.
    pub languages: Vec<Language>,
    /// Its title.
    pub title: Text,
    /// Its highlight metrics, in order.
    pub highlights: Vec<Metric>,
    /// Where its pages live.
    pub layout: Layout,
    /// Its whole-report page exists in these languages.
    pub print: bool,
}

impl YearSummary {
    /// The summary of a year's report.
    pub fn of(report: &Report) -> Self {
        let highlights = report
            .highlights
            .iter()
            .filter_map(|id| report.catalog.metrics.get(id).cloned())
            .collect();
        Self {
            year: report.year.clone(),
            languages: report.languages.clone(),
            title: report.title.clone(),
            highlights,
            layout: report.layout.clone(),
            print: true,
        }
    }

    /// The language a reader of `lang` sees this year in: `lang` when the
    /// year has it, else its first language.
    fn shown_in<'a>(&'a self, lang: &'a str) -> &'a str {
        if self.languages.iter().any(|l| l.code == lang) {
            lang
        } else {
            self.languages.first().map_or(lang, |l| l.code.as_str())
        }
    }
}

/// Everything the series' own pages need.
pub struct SeriesPages<'a> {
    /// The series.
    pub series: &'a Series,
    /// Every year, oldest first.
    pub years: &'a [YearSummary],
    /// Every year's values, oldest first.
    pub metrics: &'a [Arc<YearMetrics>],
    /// The newest metric of each trend id (its label and unit draw it).
    pub trends: &'a BTreeMap<String, Metric>,
    /// The series' theme (its files are written with the years').
    pub theme: &'a Theme,
    /// Every page of every year, for the sitemap.
    pub sitemap: &'a [Vec<(String, String)>],
}

/// What rendering the series' own pages produced besides the files.
#[derive(Debug, Default)]
pub struct SeriesRendering {
    /// Number of HTML pages written.
    pub pages: usize,
    /// Template problems.
    pub diags: Diagnostics,
}

/// Renders the series' own pages and files into `sink` (the themes'
/// files are written before the years, [`super::asset_files`]).
pub fn render(pages: &SeriesPages<'_>, sink: &dyn Sink) -> Result<SeriesRendering, Error> {
    let mut done = SeriesRendering::default();
    let trends = pages.trend_charts();
    for lang in &pages.series.languages {
        for trend in &trends {
            let file = pages.draw(trend, &lang.code).file;
            sink.put(&trend_path(&trend.id, &lang.code), &[file.as_bytes()])?;
        }
        let file = pages.home(lang, &trends);
        done.add(file, sink)?;
    }
    let mut sitemap_pages = vec![pages.home_paths()];
    sitemap_pages.extend(pages.sitemap.iter().cloned());
    let base = &pages.series.base_url;
    for file in [
        pages.not_found(),
        sitemap::sitemap(pages.theme, base, &sitemap_pages),
        sitemap::robots(pages.theme, base),
    ] {
        done.add(file, sink)?;
    }
    Ok(done)
}

impl SeriesRendering {
    fn add(&mut self, file: Result<Finished, Diagnostic>, sink: &dyn Sink) -> Result<(), Error> {
        match file {
            Ok(file) => {
                if file.path.ends_with("index.html") {
                    self.pages += 1;
                }
                file.emit(sink)?;
            }
            Err(d) => self.diags.push(d),
        }
        Ok(())
    }
}

/// A metric drawn across the years on the series home.
struct Trend {
    /// The metric id.
    id: String,
    /// A line chart with one point per year.
    chart: Chart,
    /// The metrics it draws, one per year.
    catalog: Catalog,
}

/// Where a trend chart's SVG file is written: `charts/ID.LANG.svg` at the
/// top of the site (a year's charts are below its folder).
fn trend_path(id: &str, lang: &str) -> String {
    format!("charts/{id}.{lang}.svg")
}

/// The year switcher and series link of a page at `path` in `lang`;
/// `current` is the page's year (`None` on the series' own pages).
pub fn nav(
    series: &Series,
    theme: &Theme,
    lang: &str,
    path: &str,
    current: Option<&str>,
) -> SeriesNav {
    let default = series.default_lang();
    let years = series
        .years
        .iter()
        .rev()
        .map(|entry| {
            let has = entry.languages.iter().any(|l| l == lang);
            let shown = if has {
                lang
            } else {
                series
                    .languages
                    .iter()
                    .map(|l| l.code.as_str())
                    .find(|c| entry.languages.iter().any(|l| l == c))
                    .unwrap_or(lang)
            };
            let target = page_path(shown, default, Some(&entry.year));
            YearLink {
                year: entry.year.clone(),
                url: nav::link(path, &target),
                current: current == Some(entry.year.as_str()),
                other_lang: if has {
                    String::new()
                } else {
                    tag_of(series, shown)
                },
                other_lang_name: if has {
                    String::new()
                } else {
                    language_name(theme, shown)
                },
            }
        })
        .collect();
    SeriesNav {
        title: series.title.get(lang).to_string(),
        home_url: nav::link(path, &page_path(lang, default, None)),
        current: current.is_none(),
        years,
    }
}

fn tag_of(series: &Series, code: &str) -> String {
    series
        .languages
        .iter()
        .find(|l| l.code == code)
        .map_or_else(|| code.to_string(), |l| l.tag.clone())
}

fn language_name(theme: &Theme, code: &str) -> String {
    theme
        .i18n
        .get(code)
        .and_then(|i| i.strings.get("language_name"))
        .cloned()
        .unwrap_or_else(|| code.to_string())
}

impl SeriesPages<'_> {
    /// The theme's strings and number words of `lang`, with the series'
    /// choices for money.
    fn i18n(&self, lang: &str) -> I18n {
        let mut i18n = self.theme.i18n.get(lang).cloned().unwrap_or_default();
        let money = self.series.money.get(lang).copied();
        i18n.numbers = i18n.numbers.for_report(money, self.series.precision);
        i18n
    }

    fn t(&self, lang: &str, key: &str) -> String {
        self.theme
            .i18n
            .get(lang)
            .and_then(|i| i.strings.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The series home's folder in every language, for the sitemap.
    fn home_paths(&self) -> Vec<(String, String)> {
        let default = self.series.default_lang();
        self.series
            .languages
            .iter()
            .map(|l| (l.tag.clone(), page_path(&l.code, default, None)))
            .collect()
    }

    /// One line chart per `trends:` id, across every year that has it,
    /// titled with its label in the newest year that has it.
    fn trend_charts(&self) -> Vec<Trend> {
        self.series
            .trends
            .iter()
            .filter_map(|id| {
                let newest = self.trends.get(id)?;
                let points: Vec<(String, Metric)> = self
                    .metrics
                    .iter()
                    .filter_map(|y| Some((y.year.clone(), y.values.get(id)?.as_metric(newest))))
                    .collect();
                let label = newest.label.clone();
                let template = Chart {
                    id: format!("trend-{id}"),
                    kind: crate::load::yaml::ChartKind::Line,
                    title: label,
                    data: ChartData::Years(id.clone()),
                    highlight: None,
                    note: None,
                    origin: crate::model::metric::Origin {
                        file: self.series.file.clone(),
                        line: 0,
                        col: 0,
                    },
                };
                let (chart, catalog) = line_over_years(&template, points);
                Some(Trend {
                    id: id.clone(),
                    chart,
                    catalog,
                })
            })
            .collect()
    }

    fn draw(&self, trend: &Trend, lang: &str) -> charts::RenderedChart {
        let labels = TableLabels {
            item: self.t(lang, "table_item"),
            value: self.t(lang, "table_value"),
            exact: self.t(lang, "table_exact"),
            change: self.t(lang, "table_change"),
            previous: self.t(lang, "table_previous"),
        };
        let words = self.i18n(lang).numbers;
        let chart = &trend.chart;
        charts::render(
            chart,
            &trend.catalog,
            lang,
            &words,
            &super::brand::chart_style(&self.theme.chart, &self.series.brand),
            &chart.id,
            &labels,
        )
    }

    /// A trend chart as a figure, through the theme's `figure.html`.
    fn trend_figure(&self, trend: &Trend, lang: &str, path: &str) -> Result<String, Diagnostic> {
        let drawn = self.draw(trend, lang);
        let id = &trend.id;
        let view = FigureView {
            dom_id: trend.chart.id.clone(),
            caption: crate::render::html_escape(trend.chart.title.get(lang)),
            svg: drawn.inline,
            note: String::new(),
            table: drawn.table,
            data_table: self.t(lang, "data_table"),
            download_url: format!("{}{}", nav::root_prefix(path), trend_path(id, lang)),
            download_label: self.t(lang, "download_svg"),
        };
        let mut ctx = tera::Context::new();
        ctx.insert("figure", &view);
        self.theme
            .tera
            .render("figure.html", &ctx)
            .map_err(|e| self.theme.diagnostic(&e))
    }

    /// The site view of a series page at `path` in `lang`.
    fn site_view(&self, lang: &Language, path: &str) -> SiteView {
        let s = self.series;
        let code = lang.code.as_str();
        let default = s.default_lang();
        let optional = |t: &Option<Text>| {
            t.as_ref()
                .map_or(String::new(), |t| t.get(code).to_string())
        };
        let root = nav::root_prefix(path);
        let latest = self.years.last();
        let print_url = latest.map_or(String::new(), |y| {
            let shown = y.shown_in(code);
            nav::link(path, &y.layout.page(shown, Some(PRINT_SLUG)))
        });
        let languages = s
            .languages
            .iter()
            .map(|other| {
                let target = page_path(&other.code, default, None);
                LanguageLink {
                    code: other.code.clone(),
                    tag: other.tag.clone(),
                    name: language_name(self.theme, &other.code),
                    url: nav::link(path, &target),
                    absolute_url: s.base_url.absolute(&target),
                    current: other.code == lang.code,
                }
            })
            .collect();
        SiteView {
            title: s.title.get(code).to_string(),
            subtitle: optional(&s.subtitle),
            organization: optional(&s.organization),
            description: optional(&s.description),
            year: latest.map_or(String::new(), |y| y.year.clone()),
            lang: lang.code.clone(),
            lang_tag: lang.tag.clone(),
            home_url: nav::link(path, &page_path(code, default, None)),
            print_url,
            pdf_url: String::new(),
            assets: copies::asset_paths(self.theme)
                .into_iter()
                .map(|(k, v)| (k, format!("{root}{v}")))
                .collect(),
            brand: super::brand::view(
                &s.brand,
                &root,
                &super::pages::logo_alt(&s.organization, &s.title, code),
            ),
            root,
            languages,
            generator: format!("nianbao {}", env!("CARGO_PKG_VERSION")),
            search: s.search,
            series: Some(nav(s, self.theme, code, path, None)),
        }
    }

    /// A year as a card on the series home in `lang`, with up to `cards`
    /// highlights.
    fn year_card(&self, year: &YearSummary, lang: &str, path: &str, cards: usize) -> YearCardView {
        let shown = year.shown_in(lang);
        let i18n = self.i18n(shown);
        let other = shown != lang;
        YearCardView {
            year: year.year.clone(),
            title: year.title.get(shown).to_string(),
            url: nav::link(path, &year.layout.page(shown, None)),
            other_lang: if other {
                tag_of(self.series, shown)
            } else {
                String::new()
            },
            other_lang_name: if other {
                language_name(self.theme, shown)
            } else {
                String::new()
            },
            highlights: year
                .highlights
                .iter()
                .take(cards)
                .map(|m| card(m, shown, &i18n.numbers, &i18n.strings))
                .collect(),
        }
    }

    /// The series home in `lang`.
    fn home(&self, lang: &Language, trends: &[Trend]) -> Result<Finished, Diagnostic> {
        let code = lang.code.as_str();
        let path = page_path(code, self.series.default_lang(), None);
        let site = self.site_view(lang, &path);
        let figures = trends
            .iter()
            .map(|trend| self.trend_figure(trend, code, &path))
            .collect::<Result<Vec<_>, _>>()?;
        let series_view = SeriesHomeView {
            latest: self
                .years
                .last()
                .map(|y| self.year_card(y, code, &path, usize::MAX)),
            years: self
                .years
                .iter()
                .rev()
                .map(|y| self.year_card(y, code, &path, LISTED_HIGHLIGHTS))
                .collect(),
            trends: figures,
            data_url: format!("{}data/metrics.csv", nav::root_prefix(&path)),
        };
        let page = PageView {
            kind: PageType::Series,
            title: site.title.clone(),
            description: site.description.clone(),
            canonical_url: self.series.base_url.absolute(&path),
            og_image: String::new(),
            og_locale: lang.tag.replace('-', "_"),
            home: None,
            chapter: None,
            print: None,
            series: Some(series_view),
        };
        let text = self.template("series.html", &site, &page, code)?;
        Ok(Finished::whole(format!("{path}index.html"), text))
    }

    /// The 404 page, in the default language, with links from the base path.
    fn not_found(&self) -> Result<Finished, Diagnostic> {
        let lang = self
            .series
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| Language::new("en"));
        let mut site = self.site_view(&lang, "");
        super::not_found::from_base_path(&mut site, &self.series.base_url.path);
        let page = PageView {
            kind: PageType::NotFound,
            title: self.t(&lang.code, "not_found_title"),
            description: site.description.clone(),
            canonical_url: self.series.base_url.absolute("404.html"),
            og_image: String::new(),
            og_locale: lang.tag.replace('-', "_"),
            home: None,
            chapter: None,
            print: None,
            series: None,
        };
        let text = self.template("404.html", &site, &page, &lang.code)?;
        Ok(Finished::whole("404.html", text))
    }

    fn template(
        &self,
        name: &str,
        site: &SiteView,
        page: &PageView,
        lang: &str,
    ) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("page", page);
        ctx.insert("chapters", &Vec::<()>::new());
        let empty = BTreeMap::new();
        let strings = self.theme.i18n.get(lang).map_or(&empty, |i| &i.strings);
        ctx.insert("t", strings);
        self.theme
            .tera
            .render(name, &ctx)
            .map_err(|e| self.theme.diagnostic(&e))
    }
}
