//! What an editor would catch in the prose: images without alt text, and
//! figures typed by hand that equal a metric (they belong in metrics.yaml,
//! once, so the languages can never disagree).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use std::cell::OnceCell;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::Page;
use crate::load::locate::LineIndex;
use crate::model::metric::{Catalog, Metric};

/// Metric values sorted for lookup: a report has thousands of metrics and
/// pages have many figures.
pub struct MetricValues<'a>(Vec<(f64, &'a Metric)>);

impl<'a> MetricValues<'a> {
    /// Indexes every metric of the catalog by value.
    pub fn new(catalog: &'a Catalog) -> Self {
        let mut values: Vec<(f64, &Metric)> = catalog
            .metrics
            .values()
            .map(|m| (m.value.to_f64(), m))
            .filter(|(v, _)| v.is_finite())
            .collect();
        values.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        Self(values)
    }

    /// The first metric (by id) whose value equals `value`.
    fn find(&self, value: f64) -> Option<&'a Metric> {
        let start = self
            .0
            .partition_point(|(v, _)| *v < value && !same_value(*v, value));
        self.0[start..]
            .iter()
            .take_while(|(v, _)| same_value(*v, value))
            .map(|(_, m)| *m)
            .min_by(|a, b| a.id.cmp(&b.id))
    }
}

/// Checks the body of one page.
pub fn check_page(page: &Page, metrics: &MetricValues<'_>, diags: &mut Diagnostics) {
    let body = page.body();
    // Built on the first warning: most pages have none, and a long page
    // with many would otherwise rescan its text for each.
    let lines = OnceCell::new();
    let at = |offset: usize| {
        lines
            .get_or_init(|| LineIndex::new(&page.text))
            .line_col(page.body_offset + offset)
    };
    let mut image: Option<(usize, String, String)> = None;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(body, crate::model::scan::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((range.start, dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, dest, alt)) = image.take() {
                    missing_alt(page, at(start), &dest, &alt, diags);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) | Event::Code(text) if image.is_some() => {
                if let Some((_, _, alt)) = image.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::Text(text) if !in_code => {
                let source = &body[range.clone()];
                // Figures are found in order: each is searched for after the
                // previous one, not from the start of the paragraph.
                let mut searched = 0;
                for number in numbers(&text) {
                    let Some(metric) = metrics.find(number.value) else {
                        continue;
                    };
                    let written = number.written.as_str();
                    let offset = match source[searched..].find(written) {
                        Some(i) => {
                            searched += i + written.len();
                            range.start + searched - written.len()
                        }
                        None => source
                            .find(written)
                            .map_or(range.start, |i| range.start + i),
                    };
                    typed_number(page, at(offset), &number, metric, diags);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                raw_img_without_alt(page, at(range.start), &html, diags);
            }
            _ => {}
        }
    }
}

fn missing_alt(
    page: &Page,
    (line, col): (usize, usize),
    dest: &str,
    alt: &str,
    diags: &mut Diagnostics,
) {
    // A declared photo's alt text is in its metrics file, in every language.
    if !alt.trim().is_empty() || dest.starts_with("photo:") {
        return;
    }
    let (msg, hint) = match dest.strip_prefix("chart:") {
        Some(id) => (
            format!("chart `{id}` has no caption"),
            format!("write what the chart shows: ![caption](chart:{id})"),
        ),
        None => (
            format!("image `{dest}` has no alt text: screen readers cannot describe it"),
            format!("describe it in the brackets: ![what the image shows]({dest})"),
        ),
    };
    diags.push(Diagnostic::warning(&page.file, line, col, msg).with_hint(hint));
}

fn raw_img_without_alt(
    page: &Page,
    (line, col): (usize, usize),
    html: &str,
    diags: &mut Diagnostics,
) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split("<img").skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        if !tag.contains("alt=") {
            let msg = "an <img> without an alt attribute: screen readers cannot describe it";
            let hint = "add alt=\"what the image shows\" (alt=\"\" if it is only decoration)";
            diags.push(Diagnostic::warning(&page.file, line, col, msg).with_hint(hint));
        }
    }
}

fn typed_number(
    page: &Page,
    (line, col): (usize, usize),
    number: &Number,
    metric: &Metric,
    diags: &mut Diagnostics,
) {
    let msg = format!(
        "`{}` is typed into the text, and equals metric `{}`",
        number.written, metric.id
    );
    let hint = format!(
        "write {{{{ metric:{} }}}} so every language shows the figure from {}",
        metric.id,
        metric.origin.file.display()
    );
    diags.push(
        Diagnostic::warning(&page.file, line, col, msg)
            .with_hint(hint)
            .with_len(number.written.chars().count()),
    );
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// A figure written in prose.
#[derive(Debug, PartialEq)]
struct Number {
    /// As written, with its scale word (`25362万`, `1,234`, `40.1%`).
    written: String,
    /// In base units (`%` as a ratio).
    value: f64,
}

/// The figures in a text worth comparing with metrics: three or more
/// digits or a decimal, not a bare year, not part of a word or an id.
fn numbers(text: &str) -> Vec<Number> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let before = rest[..start].chars().next_back().or(previous);
        let (digits, len) = figure(&rest[start..]);
        let after = &rest[start + len..];
        let glued =
            before.is_some_and(|c| c.is_alphanumeric() && c.is_ascii() || "_.:-/".contains(c));
        if !glued && let Some(number) = scaled(&rest[start..start + len], &digits, after) {
            found.push(number);
        }
        previous = rest[..start + len].chars().next_back();
        rest = after;
    }
    found
}

/// The figure at the start of `text` (`1,234.5`): its plain digits and
/// its length in bytes.
fn figure(text: &str) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut plain = String::new();
    let mut i = 0;
    let mut seen_point = false;
    while i < bytes.len() {
        let b = bytes[i];
        let next_digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if b.is_ascii_digit() {
            plain.push(char::from(b));
        } else if b == b',' && !seen_point && next_digits == 3 {
            // A thousands separator: skip it.
        } else if b == b'.' && !seen_point && next_digits > 0 {
            seen_point = true;
            plain.push('.');
        } else {
            break;
        }
        i += 1;
    }
    (plain, i)
}

fn scaled(written: &str, digits: &str, after: &str) -> Option<Number> {
    let n: f64 = digits.parse().ok()?;
    let (scale, word) = [
        ("万", 1e4),
        ("亿", 1e8),
        ("%", 0.01),
        (" million", 1e6),
        (" billion", 1e9),
    ]
    .into_iter()
    .find(|(w, _)| after.starts_with(w))
    .map_or((1.0, ""), |(w, s)| (s, w));
    let significant = digits.chars().filter(char::is_ascii_digit).count();
    let is_year = word.is_empty() && !digits.contains('.') && (1900.0..=2100.0).contains(&n);
    if is_year || (significant < 3 && !digits.contains('.')) {
        return None;
    }
    Some(Number {
        written: format!("{written}{word}"),
        value: n * scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, f64)> {
        numbers(text)
            .into_iter()
            .map(|n| (n.written, n.value))
            .collect()
    }

    #[test]
    fn finds_figures_with_their_scale() {
        assert_eq!(
            values("募集25362万元，救助22959人，增长40.1%。"),
            vec![
                ("25362万".to_string(), 253_620_000.0),
                ("22959".to_string(), 22959.0),
                ("40.1%".to_string(), 0.401),
            ]
        );
        assert_eq!(
            values("raised CNY 253.62 million from 1,234 donors"),
            vec![
                ("253.62 million".to_string(), 253_620_000.0),
                ("1,234".to_string(), 1234.0),
            ]
        );
    }

    #[test]
    fn skips_years_small_counts_and_ids() {
        assert!(values("In 2020, 19 teams, chapter 12.").is_empty());
        assert!(values("see item_2345 and v1234 or 12:30:45").is_empty());
        assert!(values("{{ metric:cases_2020_total }}").is_empty());
    }
}
