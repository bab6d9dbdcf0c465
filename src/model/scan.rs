//! What a Markdown source says, read without rendering it: its metric
//! and chart references, and the URLs its links point at, with byte
//! offsets for messages. The model checks them; the renderer uses the same
//! options, so both read a text alike.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The Markdown extensions nianbao turns on (tables, footnotes, …).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A `{{ metric:ID }}` or `chart:ID` reference found in Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Metric or chart.
    pub kind: RefKind,
    /// The id referred to.
    pub id: String,
    /// `| number` / `| change` filter of a metric reference.
    pub filter: Option<String>,
    /// Byte offset in the body.
    pub offset: usize,
    /// A chart reference that is not alone on its line.
    pub inline: bool,
    /// Length of the reference in the source, in characters.
    pub len: usize,
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `{{ metric:ID }}`
    Metric,
    /// `![caption](chart:ID)`
    Chart,
    /// `![](photo:ID)`
    Photo,
    /// `{{ something }}` that is not a metric reference.
    Unknown,
}

/// Finds every metric and chart reference in a Markdown body, with offsets,
/// so problems can be reported at the right line and column.
pub fn scan_references(body: &str) -> Vec<Reference> {
    let mut refs = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("{{").map(|i| i + from) {
        let Some(len) = body[start..].find("}}") else {
            break;
        };
        let inner = body[start + 2..start + len].trim();
        let (head, filter) = match inner.split_once('|') {
            Some((h, f)) => (h.trim(), Some(f.trim().to_string())),
            None => (inner, None),
        };
        let (kind, id) = match head.strip_prefix("metric:") {
            Some(id) => (RefKind::Metric, id.trim().to_string()),
            None => (RefKind::Unknown, inner.to_string()),
        };
        refs.push(Reference {
            kind,
            id,
            filter,
            offset: start,
            inline: false,
            len: body[start..start + len + 2].chars().count(),
        });
        from = start + len + 2;
    }
    refs.extend(figure_references(body, "chart", RefKind::Chart));
    refs.extend(figure_references(body, "photo", RefKind::Photo));
    refs.sort_by_key(|r| r.offset);
    refs
}

/// The `![caption](chart:ID)` (or `photo:`) references of a body. Each
/// search starts where the previous reference ended, and a line's end is
/// found once, so a line with thousands of references is read once, not
/// once for each.
fn figure_references(body: &str, scheme: &str, kind: RefKind) -> Vec<Reference> {
    let mut refs = Vec::new();
    let mut from = 0;
    let (mut line_start, mut line_end) = (0, 0);
    let marker = format!("]({scheme}:");
    while let Some(at) = body[from..].find(&marker).map(|i| i + from) {
        let id_start = at + marker.len();
        let id_end = body[id_start..]
            .find([')', ' ', '"', '\n'])
            .map_or(body.len(), |i| i + id_start);
        if let Some(i) = body[from..at].rfind('\n') {
            line_start = from + i + 1;
        }
        if line_end <= at {
            line_end = body[at..].find('\n').map_or(body.len(), |i| i + at);
        }
        let line = body[line_start..line_end].trim();
        let inline = !(line.starts_with("![") && line.ends_with(')'));
        // The caption's `![` is after the previous reference on the line:
        // one before it opens that reference.
        let opening = line_start.max(from);
        let offset = body[opening..at].rfind("![").map_or(at, |i| i + opening);
        refs.push(Reference {
            kind,
            id: body[id_start..id_end].to_string(),
            filter: None,
            offset,
            inline,
            len: body[offset..(id_end + 1).min(body.len())].chars().count(),
        });
        from = id_end;
    }
    refs
}

/// The scheme of a URL as a browser reads it (tabs, newlines and control
/// characters ignored, case folded), or `None` for a relative URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    cleaned[end..]
        .starts_with(':')
        .then(|| cleaned[..end].to_ascii_lowercase())
}

/// True for URLs a field that is not a trusted body may link to: http,
/// https, mailto and relative URLs.
pub fn is_safe_url(url: &str) -> bool {
    url_scheme(url).is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
}

/// True for URLs that run script or smuggle a document when followed:
/// `javascript:`, `vbscript:` and `data:`.
pub fn is_script_url(url: &str) -> bool {
    url_scheme(url).is_some_and(|s| matches!(s.as_str(), "javascript" | "vbscript" | "data"))
}

/// Links and images in `text` (Markdown) whose URL `fails`, with the
/// byte offset of the link in `text`. Raw HTML attributes (`href`, `src`,
/// read by the same scanner as the link check) count as links too.
pub fn links_where(text: &str, fails: impl Fn(&str) -> bool) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if fails(&dest_url) =>
            {
                found.push((range.start, dest_url.to_string()));
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for link in crate::html::scan(&raw).links {
                    if fails(&link.value) {
                        found.push((range.start + link.offset, link.value.into_owned()));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_as_a_browser_reads_them() {
        assert_eq!(url_scheme(" Java\tScript:x").as_deref(), Some("javascript"));
        assert_eq!(url_scheme("a/b:c"), None);
        assert_eq!(url_scheme("#x:y"), None);
        assert!(is_script_url("DATA:text/html,x"));
        assert!(!is_script_url("https://x.org/data:"));
        let found = links_where(
            "x <a href = 'javascript:1'>y</a> [z](vbscript:2) ![i](ok.png)",
            is_script_url,
        );
        let urls: Vec<_> = found.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(urls, ["javascript:1", "vbscript:2"]);
    }

    #[test]
    fn chart_references_sharing_a_line_start_at_their_own_caption() {
        let body = "x\n![a](chart:c) ![b 图](chart:d) [e](chart:f)\n![g](chart:h)";
        let found: Vec<(usize, String, usize, bool)> = scan_references(body)
            .into_iter()
            .map(|r| (r.offset, r.id, r.len, r.inline))
            .collect();
        let line = "x\n![a](chart:c) ".len();
        assert_eq!(
            found,
            vec![
                (2, "c".into(), 13, false),
                (line, "d".into(), 15, false),
                // `[e](chart:f)` has no `!`: it starts at `](`, not at `![b`.
                (line + "![b 图](chart:d) [e".len(), "f".into(), 10, false),
                (body.len() - 13, "h".into(), 13, false),
            ]
        );
    }
}
