//! Charts drawn at build time with plotters' SVG backend: bar, hbar,
//! grouped_bar, donut and line. Layout is computed here with a text-width
//! estimate that knows CJK characters are about 1 em wide (plotters would
//! guess from byte length), so no font file or fontconfig is needed.
//! Output is deterministic: same input, same bytes.

use std::fmt::Write as _;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::load::yaml::ChartKind;
use crate::model::metric::{Catalog, Chart, ChartData, Group, Metric};
use crate::model::number::Numbers;
use crate::render::html_escape;

/// Width of every chart's viewBox; the page scales it to the column.
pub const WIDTH: u32 = 400;
const PAD: i32 = 12;
const FONT: f64 = 16.0;
const SMALL: f64 = 14.0;
const LINE: i32 = 20;

/// Colours and fonts for charts, from the theme.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartStyle {
    /// Categorical palette (colour-blind safe).
    pub palette: Vec<String>,
    /// Colour of the one series that matters most.
    pub accent: String,
    /// Text colour.
    pub ink: String,
    /// Secondary text and rules.
    pub muted: String,
    /// CSS font stack for languages without their own entry.
    pub font_family: String,
    /// Font stacks by language code.
    #[serde(default)]
    pub font_family_by_language: std::collections::BTreeMap<String, String>,
}

impl ChartStyle {
    fn font(&self, lang: &str) -> &str {
        self.font_family_by_language
            .get(lang)
            .unwrap_or(&self.font_family)
    }
}

/// One chart rendered for one language.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    /// Standalone SVG file (`charts/ID.LANG.svg`).
    pub file: String,
    /// SVG for inlining: no fixed size, ids made unique by the caller's suffix.
    pub inline: String,
    /// `<table>` with the exact numbers.
    pub table: String,
}

/// Everything a chart drawing needs.
struct Draw<'a> {
    chart: &'a Chart,
    catalog: &'a Catalog,
    lang: &'a str,
    words: &'a Numbers,
    style: &'a ChartStyle,
}

/// A chart's SVG body (without the `<svg>` element) and its height in px.
#[derive(Default)]
struct Drawing {
    body: String,
    height: i32,
}

/// A row of the data table (and of the chart's description).
struct Row<'a> {
    /// The item's label in the page's language.
    label: String,
    metric: &'a Metric,
}

/// A group of a grouped bar chart, laid out: its label's lines, its bars.
struct GroupRows {
    lines: Vec<String>,
    marks: Vec<Mark>,
}

/// A legend entry, placed: its left edge, its row, its label and colour.
struct LegendEntry {
    x: i32,
    row: i32,
    label: String,
    /// Index in the palette.
    colour: usize,
}

/// A bar or slice: label, value, formatted value, colour.
struct Mark {
    label: String,
    value: f64,
    text: String,
    colour: RGBColor,
}

/// Renders a chart for one language. `dom_id` makes the ids of `<title>`
/// and `<desc>` unique on the page.
pub fn render(
    chart: &Chart,
    catalog: &Catalog,
    lang: &str,
    words: &Numbers,
    style: &ChartStyle,
    dom_id: &str,
    labels: &TableLabels,
) -> RenderedChart {
    let d = Draw {
        chart,
        catalog,
        lang,
        words,
        style,
    };
    let Drawing { body, height } = match chart.kind {
        ChartKind::Hbar => d.hbar(&d.marks()),
        ChartKind::Bar => d.bar(&d.marks()),
        ChartKind::GroupedBar => d.grouped(),
        ChartKind::Donut => d.donut(&d.marks()),
        ChartKind::Line => d.line(),
    };
    let title = html_escape(chart.title.get(lang));
    let desc = html_escape(&d.description());
    let font = html_escape(style.font(lang));
    let head = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{dom_id}-title {dom_id}-desc\" font-family=\"{font}\" class=\"chart chart-{kind}\">",
        kind = kind_name(chart.kind)
    );
    let labelled = format!(
        "<title id=\"{dom_id}-title\">{title}</title><desc id=\"{dom_id}-desc\">{desc}</desc>"
    );
    let inline = format!("{head}{labelled}{body}</svg>");
    let file_head = head.replacen(
        "<svg ",
        &format!("<svg width=\"{WIDTH}\" height=\"{height}\" "),
        1,
    );
    let file =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{file_head}{labelled}{body}</svg>\n");
    RenderedChart {
        file,
        inline,
        table: d.table(labels),
    }
}

fn kind_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "bar",
        ChartKind::Hbar => "hbar",
        ChartKind::GroupedBar => "grouped-bar",
        ChartKind::Donut => "donut",
        ChartKind::Line => "line",
    }
}

/// Column headings of the data table, in the page's language.
pub struct TableLabels {
    /// "Item"
    pub item: String,
    /// "Value"
    pub value: String,
    /// "Exact figure"
    pub exact: String,
    /// "Change on last year"
    pub change: String,
    /// "Last year"
    pub previous: String,
}

/// Estimated advance width of `text` at `size` px: CJK and full-width
/// characters are 1 em; Latin letters a little over half, measured on wide
/// fallback fonts (DejaVu Sans, Verdana) so labels never overrun the chart
/// whichever system font the reader has.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            _ if crate::model::lang::is_cjk(c) || ('\u{AC00}'..='\u{D7AF}').contains(&c) => 1.0,
            ' ' => 0.32,
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.3,
            't' | 'f' | 'r' => 0.42,
            'm' | 'w' | 'M' | 'W' => 0.95,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.64,
            c if c.is_ascii() => 0.62,
            _ => 0.66,
        })
        .sum::<f64>()
        * size
}

/// Breaks `text` into lines no wider than `max` px: between any two CJK
/// characters, at spaces elsewhere. A single long word stays whole.
pub fn wrap(text: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for token in tokens(text) {
        let candidate = format!("{line}{token}");
        if !line.is_empty() && text_width(candidate.trim_end(), size) > max {
            lines.push(line.trim_end().to_string());
            line = token.trim_start().to_string();
        } else {
            line = candidate;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Splits text into wrap units: single CJK characters (with trailing
/// closing punctuation kept attached) and space-separated words.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in text.chars() {
        let closing = matches!(
            c,
            '，' | '。' | '、' | '；' | '：' | '）' | '”' | '’' | '！' | '？' | ')' | ',' | '.'
        );
        let cjk = crate::model::lang::is_cjk(c);
        match out.last_mut() {
            Some(last) if closing => last.push(c),
            Some(last)
                if !cjk
                    && !c.is_whitespace()
                    && !last.ends_with(' ')
                    && !last.chars().last().is_some_and(crate::model::lang::is_cjk) =>
            {
                last.push(c)
            }
            Some(last) if c == ' ' => last.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

fn colour(hex: &str) -> RGBColor {
    let hex = hex.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    RGBColor(channel(0), channel(2), channel(4))
}

impl Draw<'_> {
    fn metric(&self, id: &str) -> Option<&Metric> {
        self.catalog.metrics.get(id)
    }

    fn palette(&self, i: usize) -> RGBColor {
        let p = &self.style.palette;
        colour(p.get(i % p.len().max(1)).map_or("#0072B2", String::as_str))
    }

    fn marks(&self) -> Vec<Mark> {
        let ChartData::Series(items) = &self.chart.data else {
            return Vec::new();
        };
        let single_colour = self.chart.kind != ChartKind::Donut;
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let m = self.metric(&item.metric)?;
                let label = item
                    .label
                    .as_ref()
                    .unwrap_or(&m.label)
                    .get(self.lang)
                    .to_string();
                let highlighted = self.chart.highlight.as_deref() == Some(m.id.as_str());
                let colour = match (highlighted, single_colour) {
                    (true, _) => colour(&self.style.accent),
                    (false, true) => self.palette(0),
                    (false, false) => self.palette(i),
                };
                Some(Mark {
                    label,
                    value: m.value.to_f64(),
                    text: m.format(self.lang, self.words),
                    colour,
                })
            })
            .collect()
    }

    /// Runs `paint` on a plotters SVG canvas and returns the SVG body
    /// without plotters' own `<svg>` wrapper.
    fn canvas(
        &self,
        height: i32,
        paint: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>),
    ) -> String {
        let mut svg = String::new();
        {
            let backend = SVGBackend::with_string(&mut svg, (WIDTH, height.max(1) as u32));
            let area = backend.into_drawing_area();
            paint(&area);
            let _ = area.present();
        }
        tidy_svg(&svg, &self.style.ink)
    }

    fn label(
        &self,
        area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
        text: &str,
        at: (i32, i32),
        size: f64,
        hex: &str,
        h: HPos,
    ) {
        let fill = colour(hex);
        // plotters divides the size by 1.24 when writing SVG; undo that.
        let style = TextStyle::from(("inherit", size * 1.24).into_font())
            .color(&fill)
            .pos(Pos::new(h, VPos::Top));
        let _ = area.draw(&Text::new(text.to_string(), at, &style));
    }

    fn hbar(&self, marks: &[Mark]) -> Drawing {
        let value_width = marks
            .iter()
            .map(|m| text_width(&m.text, SMALL))
            .fold(0.0, f64::max) as i32
            + 8;
        let bar_max = (WIDTH as i32 - 2 * PAD - value_width).max(40);
        let max = marks.iter().map(|m| m.value).fold(0.0, f64::max);
        let rows: Vec<Vec<String>> = marks
            .iter()
            .map(|m| wrap(&m.label, f64::from(WIDTH as i32 - 2 * PAD), FONT))
            .collect();
        let height = PAD + rows.iter().map(|r| r.len() as i32 * LINE + 34).sum::<i32>();
        let svg = self.canvas(height, |area| {
            let mut y = PAD;
            for (mark, lines) in marks.iter().zip(&rows) {
                for line in lines {
                    self.label(area, line, (PAD, y), FONT, &self.style.ink, HPos::Left);
                    y += LINE;
                }
                let len = bar_len(mark.value, max, bar_max);
                let _ = area.draw(&Rectangle::new(
                    [(PAD, y + 2), (PAD + len, y + 20)],
                    mark.colour.filled(),
                ));
                self.label(
                    area,
                    &mark.text,
                    (PAD + len + 6, y + 3),
                    SMALL,
                    &self.style.ink,
                    HPos::Left,
                );
                y += 34;
            }
        });
        Drawing { body: svg, height }
    }

    fn bar(&self, marks: &[Mark]) -> Drawing {
        let n = marks.len().max(1) as i32;
        let column = (WIDTH as i32 - 2 * PAD) / n;
        let fits = |t: &str| text_width(t, SMALL) <= f64::from(column - 4);
        let labels: Vec<Vec<String>> = marks
            .iter()
            .map(|m| wrap(&m.label, f64::from(column - 6), SMALL))
            .collect();
        // Columns too narrow for their numbers or labels read better as rows.
        if !marks.iter().all(|m| fits(&m.text))
            || labels
                .iter()
                .any(|l| l.len() > 3 || !l.iter().all(|s| fits(s)))
        {
            return self.hbar(marks);
        }
        let plot = 180;
        let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let height = PAD + LINE + plot + 8 + label_lines * 18 + PAD;
        let base = PAD + LINE + plot;
        let max = marks.iter().map(|m| m.value).fold(0.0, f64::max);
        let svg = self.canvas(height, |area| {
            for (i, (mark, lines)) in marks.iter().zip(&labels).enumerate() {
                let centre = PAD + column * i as i32 + column / 2;
                let half = (column * 3 / 10).min(32);
                let len = bar_len(mark.value, max, plot);
                let _ = area.draw(&Rectangle::new(
                    [(centre - half, base - len), (centre + half, base)],
                    mark.colour.filled(),
                ));
                self.label(
                    area,
                    &mark.text,
                    (centre, base - len - 18),
                    SMALL,
                    &self.style.ink,
                    HPos::Center,
                );
                for (j, line) in lines.iter().enumerate() {
                    self.label(
                        area,
                        line,
                        (centre, base + 8 + j as i32 * 18),
                        SMALL,
                        &self.style.ink,
                        HPos::Center,
                    );
                }
            }
            let _ = area.draw(&PathElement::new(
                vec![(PAD, base), (WIDTH as i32 - PAD, base)],
                colour(&self.style.muted),
            ));
        });
        Drawing { body: svg, height }
    }

    fn grouped(&self) -> Drawing {
        let ChartData::Groups { keys, groups } = &self.chart.data else {
            return Drawing::default();
        };
        let key_labels: Vec<String> = keys.iter().map(|k| k.get(self.lang).to_string()).collect();
        let rows: Vec<GroupRows> = groups
            .iter()
            .map(|group| self.group_rows(group, &key_labels))
            .collect();
        let all = rows.iter().flat_map(|r| &r.marks);
        let value_width = all
            .clone()
            .map(|m| text_width(&m.text, SMALL))
            .fold(0.0, f64::max) as i32
            + 8;
        let max = all.map(|m| m.value).fold(0.0, f64::max);
        let bar_max = (WIDTH as i32 - 2 * PAD - value_width).max(40);
        let (legend, legend_height) = self.legend_layout(&key_labels);
        let height = PAD
            + legend_height
            + rows
                .iter()
                .map(|r| r.lines.len() as i32 * LINE + r.marks.len() as i32 * 22 + 14)
                .sum::<i32>();
        let svg = self.canvas(height, |area| {
            self.draw_legend(area, &legend, PAD);
            let mut y = PAD + legend_height;
            for GroupRows { lines, marks } in &rows {
                for line in lines {
                    self.label(area, line, (PAD, y), FONT, &self.style.ink, HPos::Left);
                    y += LINE;
                }
                for mark in marks {
                    let len = bar_len(mark.value, max, bar_max);
                    let _ = area.draw(&Rectangle::new(
                        [(PAD, y + 2), (PAD + len, y + 18)],
                        mark.colour.filled(),
                    ));
                    self.label(
                        area,
                        &mark.text,
                        (PAD + len + 6, y + 2),
                        SMALL,
                        &self.style.ink,
                        HPos::Left,
                    );
                    y += 22;
                }
                y += 14;
            }
        });
        Drawing { body: svg, height }
    }

    /// A group laid out: its label wrapped to the chart's width, one bar
    /// per metric in the colour of its legend entry.
    fn group_rows(&self, group: &Group, key_labels: &[String]) -> GroupRows {
        let marks = group
            .metrics
            .iter()
            .enumerate()
            .filter_map(|(k, id)| {
                let m = self.metric(id)?;
                Some(Mark {
                    label: key_labels.get(k).cloned().unwrap_or_default(),
                    value: m.value.to_f64(),
                    text: m.format(self.lang, self.words),
                    colour: self.palette(k),
                })
            })
            .collect();
        let width = f64::from(WIDTH as i32 - 2 * PAD);
        GroupRows {
            lines: wrap(group.label.get(self.lang), width, FONT),
            marks,
        }
    }

    /// Legend entries laid out in rows, and the legend's height.
    fn legend_layout(&self, labels: &[String]) -> (Vec<LegendEntry>, i32) {
        let mut entries = Vec::new();
        let (mut x, mut row) = (PAD, 0);
        for (i, label) in labels.iter().enumerate() {
            let w = 18 + text_width(label, SMALL) as i32 + 16;
            if x > PAD && x + w > WIDTH as i32 - PAD {
                x = PAD;
                row += 1;
            }
            entries.push(LegendEntry {
                x,
                row,
                label: label.clone(),
                colour: i,
            });
            x += w;
        }
        let height = if labels.is_empty() {
            0
        } else {
            (row + 1) * LINE + 10
        };
        (entries, height)
    }

    fn draw_legend(
        &self,
        area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
        entries: &[LegendEntry],
        top: i32,
    ) {
        for LegendEntry {
            x,
            row,
            label,
            colour,
        } in entries
        {
            let y = top + row * LINE;
            let _ = area.draw(&Rectangle::new(
                [(*x, y + 3), (x + 12, y + 15)],
                self.palette(*colour).filled(),
            ));
            self.label(
                area,
                label,
                (x + 18, y + 1),
                SMALL,
                &self.style.ink,
                HPos::Left,
            );
        }
    }

    fn donut(&self, marks: &[Mark]) -> Drawing {
        let total: f64 = marks.iter().map(|m| m.value.max(0.0)).sum();
        let (cx, cy, outer, inner) = (WIDTH as i32 / 2, PAD + 110, 108.0, 64.0);
        let legend_rows: Vec<Vec<String>> = marks
            .iter()
            .map(|m| wrap(&m.label, f64::from(WIDTH as i32 - 2 * PAD - 22), FONT))
            .collect();
        let legend_top = cy + 110 + 20;
        let height = legend_top
            + legend_rows
                .iter()
                .map(|r| r.len() as i32 * LINE + 24)
                .sum::<i32>()
            + PAD;
        let svg = self.canvas(height, |area| {
            let mut start = -std::f64::consts::FRAC_PI_2;
            for mark in marks {
                let share = if total > 0.0 {
                    mark.value.max(0.0) / total
                } else {
                    0.0
                };
                let end = start + share * std::f64::consts::TAU;
                let points = ring_slice((cx, cy), outer, inner, start, end);
                let _ = area.draw(&Polygon::new(points, mark.colour.filled()));
                start = end;
            }
            let mut y = legend_top;
            for (mark, lines) in marks.iter().zip(&legend_rows) {
                let _ = area.draw(&Rectangle::new(
                    [(PAD, y + 3), (PAD + 14, y + 17)],
                    mark.colour.filled(),
                ));
                for line in lines {
                    self.label(area, line, (PAD + 22, y), FONT, &self.style.ink, HPos::Left);
                    y += LINE;
                }
                let share = if total > 0.0 {
                    mark.value.max(0.0) / total * 100.0
                } else {
                    0.0
                };
                let detail = format!(
                    "{} · {}",
                    mark.text,
                    crate::model::number::format_share(share, self.words)
                );
                self.label(
                    area,
                    &detail,
                    (PAD + 22, y),
                    SMALL,
                    &self.style.muted,
                    HPos::Left,
                );
                y += 24;
            }
        });
        Drawing { body: svg, height }
    }

    fn line(&self) -> Drawing {
        let ChartData::Points(points) = &self.chart.data else {
            return Drawing::default();
        };
        let marks: Vec<Mark> = points
            .iter()
            .filter_map(|point| {
                let m = self.metric(&point.metric)?;
                Some(Mark {
                    label: point.x.clone(),
                    value: m.value.to_f64(),
                    text: m.format(self.lang, self.words),
                    colour: self.palette(0),
                })
            })
            .collect();
        let (plot, top) = (180, PAD + LINE);
        let height = top + plot + 8 + LINE + PAD;
        let base = top + plot;
        let max = marks.iter().map(|m| m.value).fold(0.0, f64::max);
        let n = marks.len().max(2) as i32;
        let step = (WIDTH as i32 - 2 * PAD - 60) / (n - 1);
        let xy: Vec<(i32, i32)> = marks
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    PAD + 30 + step * i as i32,
                    base - bar_len(m.value, max, plot - 10),
                )
            })
            .collect();
        let svg = self.canvas(height, |area| {
            let _ = area.draw(&PathElement::new(
                vec![(PAD, base), (WIDTH as i32 - PAD, base)],
                colour(&self.style.muted),
            ));
            let stroke = self.palette(0).stroke_width(3);
            let _ = area.draw(&PathElement::new(xy.clone(), stroke));
            for (mark, (x, y)) in marks.iter().zip(&xy) {
                let _ = area.draw(&Circle::new((*x, *y), 5, mark.colour.filled()));
                // Centred over its point, but kept inside the chart.
                let half = (text_width(&mark.text, SMALL) / 2.0).ceil() as i32;
                let right = WIDTH as i32 - PAD - half;
                let centre = (*x).min(right).max(PAD + half);
                self.label(
                    area,
                    &mark.text,
                    (centre, y - 24),
                    SMALL,
                    &self.style.ink,
                    HPos::Center,
                );
                self.label(
                    area,
                    &mark.label,
                    (*x, base + 8),
                    SMALL,
                    &self.style.ink,
                    HPos::Center,
                );
            }
        });
        Drawing { body: svg, height }
    }

    /// A sentence for `<desc>`: every label with its value.
    fn description(&self) -> String {
        self.rows()
            .iter()
            .map(|row| {
                let value = row.metric.format(self.lang, self.words);
                format!("{}: {value}", row.label)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The metrics in drawing order, each with its row label.
    fn rows(&self) -> Vec<Row<'_>> {
        match &self.chart.data {
            ChartData::Series(items) => items
                .iter()
                .filter_map(|i| {
                    let metric = self.metric(&i.metric)?;
                    let label = i.label.as_ref().unwrap_or(&metric.label);
                    Some(Row {
                        label: label.get(self.lang).to_string(),
                        metric,
                    })
                })
                .collect(),
            ChartData::Groups { keys, groups } => groups
                .iter()
                .flat_map(|group| {
                    group.metrics.iter().enumerate().filter_map(move |(k, id)| {
                        let key = keys.get(k).map_or("", |t| t.get(self.lang));
                        Some(Row {
                            label: format!("{} · {key}", group.label.get(self.lang)),
                            metric: self.metric(id)?,
                        })
                    })
                })
                .collect(),
            ChartData::Points(points) => points
                .iter()
                .filter_map(|p| {
                    Some(Row {
                        label: p.x.clone(),
                        metric: self.metric(&p.metric)?,
                    })
                })
                .collect(),
            // Drawn as points made from the years' data (model::series::years_chart).
            ChartData::Years(_) => Vec::new(),
        }
    }

    /// The data table: each item's value, and the columns some item has
    /// something for (the exact figure, last year's value, the change).
    fn table(&self, labels: &TableLabels) -> String {
        let rows = self.rows();
        let columns: Vec<Column> = Column::ALL
            .into_iter()
            .filter(|c| rows.iter().any(|r| self.has(*c, r.metric)))
            .collect();
        let mut html = String::from("<table class=\"data-table\"><thead><tr>");
        let headings = [&labels.item, &labels.value]
            .into_iter()
            .chain(columns.iter().map(|c| c.heading(labels)));
        for heading in headings {
            let _ = write!(html, "<th scope=\"col\">{}</th>", html_escape(heading));
        }
        html.push_str("</tr></thead><tbody>");
        for Row { label, metric: m } in rows {
            let _ = write!(
                html,
                "<tr><th scope=\"row\">{}</th><td>{}</td>",
                html_escape(&label),
                html_escape(&m.format(self.lang, self.words))
            );
            for column in &columns {
                let _ = write!(html, "<td>{}</td>", html_escape(&self.cell(*column, m)));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table>");
        html
    }

    /// True when `m` has something to show in `column`; the exact figure
    /// only when it differs from the value.
    fn has(&self, column: Column, m: &Metric) -> bool {
        match column {
            Column::Exact => {
                m.format_exact(self.lang, self.words) != m.format(self.lang, self.words)
            }
            Column::Previous => m.previous.is_some(),
            Column::Change => m.change.is_some(),
        }
    }

    /// What `m` shows in `column` ("" when it has nothing for it).
    fn cell(&self, column: Column, m: &Metric) -> String {
        match column {
            Column::Exact => m.format_exact(self.lang, self.words),
            Column::Previous => m.format_previous(self.lang, self.words).unwrap_or_default(),
            Column::Change => m.format_signed_change(self.words).unwrap_or_default(),
        }
    }
}

/// An optional column of a data table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// Every digit of the value.
    Exact,
    /// Last year's value.
    Previous,
    /// The change on last year.
    Change,
}

impl Column {
    /// In table order: last year's value beside this year's, then the change.
    const ALL: [Self; 3] = [Self::Exact, Self::Previous, Self::Change];

    fn heading(self, labels: &TableLabels) -> &String {
        match self {
            Self::Exact => &labels.exact,
            Self::Previous => &labels.previous,
            Self::Change => &labels.change,
        }
    }
}

fn bar_len(value: f64, max: f64, full: i32) -> i32 {
    if max <= 0.0 || value <= 0.0 {
        return 0;
    }
    ((value / max) * f64::from(full)).round().max(1.0) as i32
}

/// Polygon points of a ring slice between two angles (radians), one point
/// every ~3°, enough for a smooth edge at any size without bloating the SVG.
fn ring_slice(centre: (i32, i32), outer: f64, inner: f64, start: f64, end: f64) -> Vec<(i32, i32)> {
    let steps = (((end - start).abs() / 0.05).ceil() as usize).max(1);
    let point = |r: f64, a: f64| {
        (
            centre.0 + (r * a.cos()).round() as i32,
            centre.1 + (r * a.sin()).round() as i32,
        )
    };
    let angle = |i: usize| start + (end - start) * i as f64 / steps as f64;
    let mut points: Vec<(i32, i32)> = (0..=steps).map(|i| point(outer, angle(i))).collect();
    points.extend((0..=steps).rev().map(|i| point(inner, angle(i))));
    points
}

/// Strips plotters' `<svg>` wrapper and background, rounds font sizes, and
/// lets text take the page's colour and font.
fn tidy_svg(svg: &str, ink: &str) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let body = svg[body_start..].trim_end().trim_end_matches("</svg>");
    let ink_attr = format!("fill=\"{}\"", ink.to_uppercase());
    let mut out = String::with_capacity(body.len());
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let line = line
            .replace(" font-family=\"inherit\"", "")
            .replace(" opacity=\"1\"", "")
            .replace(&ink_attr, "fill=\"currentColor\"");
        out.push_str(&round_font_size(&line));
        out.push('\n');
    }
    out
}

fn round_font_size(line: &str) -> String {
    let key = "font-size=\"";
    let Some(start) = line.find(key).map(|i| i + key.len()) else {
        return line.to_string();
    };
    let Some(len) = line[start..].find('"') else {
        return line.to_string();
    };
    let size: f64 = line[start..start + len].parse().unwrap_or(FONT);
    format!(
        "{}{}{}",
        &line[..start],
        (size * 10.0).round() / 10.0,
        &line[start + len..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_text_is_wider_than_its_latin_counterpart_per_char() {
        assert_eq!(text_width("红十字", 10.0), 30.0);
        assert!(text_width("abc", 10.0) < 20.0);
    }

    #[test]
    fn wrapping() {
        assert_eq!(
            wrap("Donations raised at municipal level", 150.0, 15.0),
            vec!["Donations raised", "at municipal level"]
        );
        let zh = wrap("直接用于市内医院的款物", 60.0, 15.0);
        assert_eq!(zh, vec!["直接用于", "市内医院", "的款物"]);
        assert_eq!(wrap("", 60.0, 15.0), vec![""]);
        assert_eq!(
            wrap("支援湖北，款物", 60.0, 15.0),
            vec!["支援湖", "北，款物"] // closing punctuation never starts a line
        );
    }

    #[test]
    fn ring_slices_close() {
        let p = ring_slice((0, 0), 10.0, 5.0, 0.0, 1.0);
        assert_eq!(p.first(), Some(&(10, 0)));
        assert_eq!(p.last(), Some(&(5, 0)));
    }
}
