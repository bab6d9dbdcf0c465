//! Money written two ways in one paragraph: "USD 126.15 million" beside
//! "USD 79,412,900" reads unevenly; `precision:` rounds money in prose.
//! A note, not a warning: every digit is right, the choice is editorial.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::locate::LineIndex;
use crate::model::Report;
use crate::model::metric::Unit;
use crate::model::number::{NumberWords, Numbers};
use crate::model::scan::{self, RefKind};

/// An amount of money referred to in a page.
struct Amount<'a> {
    /// Which paragraph of the body it is in.
    paragraph: usize,
    /// Written in a compact unit ("126.15 million") or with every digit.
    compact: bool,
    /// Where the reference is in the body, and its length.
    offset: usize,
    len: usize,
    /// The metric.
    id: &'a str,
}

/// Notes where one paragraph writes money two ways, one amount in a
/// compact unit ("USD 126.15 million") and another with every digit ("USD
/// 79,412,900"), unless the report rounds money in prose (`precision:`).
pub fn check(report: &Report, diags: &mut Diagnostics) {
    if report.precision.is_some() {
        return;
    }
    let mut numbers: BTreeMap<&str, Numbers> = BTreeMap::new();
    for (lang, page) in report.pages_by_language() {
        let n = numbers
            .entry(lang)
            .or_insert_with(|| Numbers::new(lang, NumberWords::default()));
        let amounts = amounts(report, page.body(), lang, n);
        let lines = LineIndex::new(&page.text);
        for plain in amounts.iter().filter(|a| !a.compact) {
            let Some(compact) = amounts
                .iter()
                .find(|a| a.paragraph == plain.paragraph && a.compact)
            else {
                continue;
            };
            let (line, col) = lines.line_col(page.body_offset + plain.offset);
            let msg = format!(
                "this paragraph writes money two ways: `{}` with every digit, `{}` in a compact unit",
                plain.id, compact.id
            );
            let hint = "set `precision: 2` in report.yaml to round money in prose (data tables keep every digit), or `display:` the metrics alike";
            diags.push(
                Diagnostic::note(&page.file, line, col, msg)
                    .with_hint(hint)
                    .with_len(plain.len),
            );
        }
    }
}

/// The amounts of money a body shows in full (`{{ metric:ID }}`, no filter).
fn amounts<'a>(report: &'a Report, body: &str, lang: &str, n: &Numbers) -> Vec<Amount<'a>> {
    let breaks = paragraph_breaks(body);
    scan::scan_references(body)
        .into_iter()
        .filter(|r| r.kind == RefKind::Metric && r.filter.is_none())
        .filter_map(|r| {
            let m = report.catalog.metrics.get(&r.id)?;
            let money = matches!(m.unit, Unit::Currency(_)) && !m.unfilled;
            money.then(|| Amount {
                paragraph: breaks.partition_point(|&b| b < r.offset),
                compact: m.is_compact(lang, n),
                offset: r.offset,
                len: r.len,
                id: m.id.as_str(),
            })
        })
        .collect()
}

/// Byte offsets of the blank lines that separate paragraphs, in order.
fn paragraph_breaks(body: &str) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            breaks.push(offset);
        }
        offset += line.len();
    }
    breaks
}
