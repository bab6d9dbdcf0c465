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
        let body = page.body();
        let breaks = paragraph_breaks(body);
        // (paragraph, written compact, offset, length, metric id) of each amount.
        let amounts: Vec<(usize, bool, usize, usize, &str)> = scan::scan_references(body)
            .into_iter()
            .filter(|r| r.kind == RefKind::Metric && r.filter.is_none())
            .filter_map(|r| {
                let m = report.catalog.metrics.get(&r.id)?;
                let money = matches!(m.unit, Unit::Currency(_)) && !m.unfilled;
                let paragraph = breaks.partition_point(|&b| b < r.offset);
                money.then(|| {
                    (
                        paragraph,
                        m.is_compact(lang, n),
                        r.offset,
                        r.len,
                        m.id.as_str(),
                    )
                })
            })
            .collect();
        let lines = LineIndex::new(&page.text);
        for (paragraph, compact, offset, len, id) in amounts.iter().filter(|a| !a.1) {
            let Some(other) = amounts
                .iter()
                .find(|a| a.0 == *paragraph && a.1 != *compact)
            else {
                continue;
            };
            let (line, col) = lines.line_col(page.body_offset + offset);
            let msg = format!(
                "this paragraph writes money two ways: `{id}` with every digit, `{}` in a compact unit",
                other.4
            );
            let hint = "set `precision: 2` in report.yaml to round money in prose (data tables keep every digit), or `display:` the metrics alike";
            diags.push(
                Diagnostic::note(&page.file, line, col, msg)
                    .with_hint(hint)
                    .with_len(*len),
            );
        }
    }
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
