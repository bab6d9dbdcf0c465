//! Reference checks: every `{{ metric:ID }}` and `![…](chart:ID)` in the
//! report's pages must name something the catalog holds, and every metric
//! and chart should be used somewhere. They belong to the model: they judge
//! the content, whatever renders it.

use std::collections::BTreeSet;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::Page;
use crate::load::locate::LineIndex;
use crate::model::Report;
use crate::model::scan::{self, RefKind};

impl Report {
    /// Every page of the report: home, chapter indexes and sections, in
    /// every language.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.pages_by_language().map(|(_, page)| page)
    }

    /// Every page of the report with its language code.
    pub fn pages_by_language(&self) -> impl Iterator<Item = (&str, &Page)> {
        let chapters = self.chapters.iter().flat_map(|chapter| {
            let sections = chapter.sections.iter().flat_map(|s| s.pages.0.iter());
            chapter.index.0.iter().chain(sections)
        });
        self.home
            .0
            .iter()
            .chain(chapters)
            .map(|(lang, page)| (lang.as_str(), page))
    }
}

/// Checks every metric and chart reference in every Markdown file and in
/// front matter; warns about metrics and charts nothing refers to.
pub fn check_references(report: &Report, diags: &mut Diagnostics) {
    let mut used_metrics: BTreeSet<&str> = report.highlights.iter().map(String::as_str).collect();
    let mut used_charts = BTreeSet::new();
    let mut used_photos: BTreeSet<String> = report.gallery.iter().cloned().collect();
    used_photos.extend(report.cover_photo.iter().cloned());
    for chart in report.catalog.charts.values() {
        used_metrics.extend(chart.metric_ids());
    }
    for page in report.pages() {
        let (metrics, charts, photos) = check_page_references(report, page, diags);
        used_photos.extend(photos);
        for id in metrics {
            if let Some((k, _)) = report.catalog.metrics.get_key_value(&id) {
                used_metrics.insert(k.as_str());
            }
        }
        used_charts.extend(charts);
    }
    // A photo's words are plain text, but may quote metrics.
    for p in report.catalog.photos.values() {
        let texts = [&p.alt, &p.caption, &p.credit].into_iter().flatten();
        for text in texts.flat_map(|t| t.0.values()) {
            for r in scan::scan_references(text)
                .into_iter()
                .filter(|r| r.kind == RefKind::Metric)
            {
                let o = &p.origin;
                check_reference(report, &r, &o.file, o.line, o.col, diags);
                if let Some((k, _)) = report.catalog.metrics.get_key_value(&r.id) {
                    used_metrics.insert(k.as_str());
                }
            }
        }
    }
    for m in report
        .catalog
        .metrics
        .values()
        .filter(|m| !used_metrics.contains(m.id.as_str()))
    {
        let msg = format!("metric `{}` is not used in any page or chart", m.id);
        let hint = format!("refer to it with {{{{ metric:{} }}}}, or remove it", m.id);
        diags.push(
            Diagnostic::warning(&m.origin.file, m.origin.line, m.origin.col, msg).with_hint(hint),
        );
    }
    for c in report
        .catalog
        .charts
        .values()
        .filter(|c| !used_charts.contains(&c.id))
    {
        let msg = format!("chart `{}` is not placed on any page", c.id);
        let hint = format!("place it with ![caption](chart:{}) on its own line", c.id);
        diags.push(
            Diagnostic::warning(&c.origin.file, c.origin.line, c.origin.col, msg).with_hint(hint),
        );
    }
    for p in report
        .catalog
        .photos
        .values()
        .filter(|p| !used_photos.contains(&p.id))
    {
        let msg = format!("photo `{}` is not placed on any page", p.id);
        let hint = format!(
            "place it with ![](photo:{}) on its own line, name it in `gallery:` or `cover_photo:`, or remove it",
            p.id
        );
        diags.push(
            Diagnostic::warning(&p.origin.file, p.origin.line, p.origin.col, msg).with_hint(hint),
        );
    }
}

/// Checks the metric, chart and photo references of one page (body,
/// summary and kicker); returns the metric, chart and photo ids it refers to.
pub fn check_page_references(
    report: &Report,
    page: &Page,
    diags: &mut Diagnostics,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut metrics, mut charts, mut photos) = (Vec::new(), Vec::new(), Vec::new());
    let body = scan::scan_references(page.body())
        .into_iter()
        .map(|r| (page.body_offset, r));
    let front = [&page.front.summary, &page.front.kicker]
        .into_iter()
        .flatten()
        .flat_map(|text| {
            let base = page.text.find(text.as_str()).unwrap_or(0);
            scan::scan_references(text)
                .into_iter()
                .map(move |r| (base, r))
        });
    // One index per page: a section may hold many thousands of references.
    let lines = LineIndex::new(&page.text);
    for (base, r) in body.chain(front) {
        let (line, col) = lines.line_col(base + r.offset);
        check_reference(report, &r, &page.file, line, col, diags);
        match r.kind {
            RefKind::Metric => metrics.push(r.id),
            RefKind::Chart => charts.push(r.id),
            RefKind::Photo => photos.push(r.id),
            RefKind::Unknown => {}
        }
    }
    check_page_urls(page, &lines, diags);
    (metrics, charts, photos)
}

/// A summary is not trusted with script: its links may only go to http(s),
/// mailto or relative URLs (others are dropped when rendering). A body is
/// the author's own HTML, but a script URL in it is most likely pasted in
/// by mistake, so it is worth a warning.
fn check_page_urls(page: &Page, lines: &LineIndex<'_>, diags: &mut Diagnostics) {
    if let Some(summary) = &page.front.summary {
        // A quoted summary with escapes is not in the file as written:
        // point at its key then.
        let base = page.text.find(summary.as_str());
        for (offset, url) in scan::links_where(summary, |u| !scan::is_safe_url(u)) {
            let (line, col) = match base {
                Some(base) => lines.line_col(base + offset),
                None => crate::load::locate::key(&page.text, "summary", 0),
            };
            let msg = format!("`{url}` is not allowed in a summary; it is shown as plain text");
            let hint = "link to an http(s), mailto or relative URL";
            diags.push(Diagnostic::error(&page.file, line, col, msg).with_hint(hint));
        }
    }
    let body = page.body();
    // Parsing every body again is not free; most have no such URL at all.
    if !may_hold_script_url(body) {
        return;
    }
    for (offset, url) in scan::links_where(body, scan::is_script_url) {
        let (line, col) = lines.line_col(page.body_offset + offset);
        let msg = format!("`{url}` runs script or embeds a document when followed");
        let hint = "link to an http(s), mailto or relative URL";
        diags.push(Diagnostic::warning(&page.file, line, col, msg).with_hint(hint));
    }
}

fn check_reference(
    report: &Report,
    r: &scan::Reference,
    file: &std::path::Path,
    line: usize,
    col: usize,
    diags: &mut Diagnostics,
) {
    let catalog = &report.catalog;
    let error = |msg: String, hint: String| {
        Diagnostic::error(file, line, col, msg)
            .with_hint(hint)
            .with_len(r.len)
    };
    // An id from a metrics file that failed to load would be reported
    // once per use: the file's own error says what to fix first.
    let unknown_is_follow_on = match r.kind {
        RefKind::Chart => catalog.is_follow_on(&r.id, catalog.charts.keys()),
        _ => catalog.is_follow_on(&r.id, catalog.metrics.keys()),
    };
    match r.kind {
        RefKind::Metric => match catalog.metrics.get(&r.id) {
            None if unknown_is_follow_on => {}
            None => diags.push(error(
                format!("unknown metric `{}`", r.id),
                catalog.unknown_hint(&r.id, catalog.metrics.keys()),
            )),
            Some(m) => {
                if let Some(Err(e)) = r.filter.as_deref().map(|name| m.filter(name)) {
                    diags.push(error(e.message, e.hint));
                }
            }
        },
        RefKind::Chart if !catalog.charts.contains_key(&r.id) && unknown_is_follow_on => {}
        RefKind::Chart if !catalog.charts.contains_key(&r.id) => {
            diags.push(error(
                format!("unknown chart `{}`", r.id),
                catalog.unknown_hint(&r.id, catalog.charts.keys()),
            ));
        }
        RefKind::Chart if r.inline => {
            let hint = format!(
                "put ![caption](chart:{}) on a line of its own, with blank lines around it",
                r.id
            );
            diags.push(error("a chart must stand on its own line".into(), hint));
        }
        RefKind::Chart => {}
        RefKind::Photo if !catalog.photos.contains_key(&r.id) => {
            let hint = match crate::error::closest(&r.id, catalog.photos.keys()) {
                Some(close) => format!("did you mean `photo:{close}`? Photos are declared under `photos:` in a chapter's metrics.yaml"),
                None => "declare it under `photos:` in a chapter's metrics.yaml (id, file, alt, caption)".to_string(),
            };
            diags.push(error(format!("unknown photo `{}`", r.id), hint));
        }
        RefKind::Photo if r.inline => {
            let hint = format!(
                "put ![](photo:{}) on a line of its own, with blank lines around it",
                r.id
            );
            diags.push(error("a photo must stand on its own line".into(), hint));
        }
        RefKind::Photo => {}
        RefKind::Unknown => {
            let msg = format!(
                "`{{{{ {} }}}}` is not a metric reference and is shown as written",
                r.id
            );
            diags.push(
                Diagnostic::warning(file, line, col, msg)
                    .with_hint("write {{ metric:ID }}".to_string())
                    .with_len(r.len),
            );
        }
    }
}

/// True when a `…script:` or `data:` (any case) is in `text`: without one
/// there is no script URL to look for. Looks back from each colon, so the
/// text is not copied.
fn may_hold_script_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    let ends_with = |end: usize, word: &[u8]| {
        end >= word.len() && bytes[end - word.len()..end].eq_ignore_ascii_case(word)
    };
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b':')
        .any(|(at, _)| ends_with(at, b"script") || ends_with(at, b"data"))
}
