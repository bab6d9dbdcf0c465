//! A small, careful HTML scanner: finds the link attributes (`href`, `src`,
//! `xlink:href`) and the anchors (`id`, `<a name>`) of a page, with byte
//! offsets for messages. It knows comments, `<!DOCTYPE>`, quoted and
//! unquoted attribute values, character references, and raw-text elements
//! (`<script>`, `<style>`, `<textarea>`, `<title>`) whose text is not markup.
//! It never panics: anything it does not understand is skipped as text.

use std::borrow::Cow;
use std::collections::HashSet;

/// A link attribute found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    /// Attribute name, lowercase (`href`, `src`, `xlink:href`).
    pub attr: &'static str,
    /// Value with character references decoded.
    pub value: Cow<'a, str>,
    /// Byte offset of the value in the page.
    pub offset: usize,
}

/// What a page links to and which fragment targets it has. Values borrow
/// from the page unless a character reference had to be decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan<'a> {
    /// Link attributes in document order.
    pub links: Vec<Link<'a>>,
    /// Every `id` and `<a name>` value.
    pub anchors: HashSet<Cow<'a, str>>,
}

const LINK_ATTRS: &[&str] = &["href", "src", "xlink:href"];
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// Scans a page.
pub fn scan(html: &str) -> Scan<'_> {
    scan_bytes(html.as_bytes())
}

/// Scans a page given as bytes: only the values found are read as UTF-8
/// (lossily), not the whole page.
pub fn scan_bytes(html: &[u8]) -> Scan<'_> {
    let mut scan = Scan::default();
    let mut i = 0;
    while let Some(lt) = find(html, i, b'<') {
        i = match html.get(lt + 1) {
            Some(c) if c.is_ascii_alphabetic() => tag(html, lt + 1, &mut scan),
            _ => markup_end(html, lt),
        };
    }
    scan
}

/// Where the markup starting at `lt` (a `<`) ends: after a comment, a
/// declaration, an end tag, or a start tag and its attributes (a `>` in a
/// quoted value does not end it); `lt + 1` when the `<` is text. The
/// content of raw-text elements is not skipped.
pub fn markup_end(html: &[u8], lt: usize) -> usize {
    match html.get(lt + 1) {
        Some(b'!') if html[lt..].starts_with(b"<!--") => {
            find_seq(html, lt + 4, b"-->").map_or(html.len(), |e| e + 3)
        }
        Some(b'!' | b'?' | b'/') => find(html, lt, b'>').map_or(html.len(), |e| e + 1),
        Some(c) if c.is_ascii_alphabetic() => {
            let (_, close) = start_tag(html, lt + 1, |_, _| {});
            (close + 1).min(html.len())
        }
        _ => lt + 1,
    }
}

/// Walks the attributes of the start tag whose name begins at `start`,
/// calling `each` with the tag's name and each attribute; returns the name
/// and where its `>` is (the end of `html` when it has none).
fn start_tag<'a>(
    html: &'a [u8],
    start: usize,
    mut each: impl FnMut(&'a [u8], Attr<'a>),
) -> (&'a [u8], usize) {
    let name_end = take_while(html, start, |b| !is_space(b) && b != b'/' && b != b'>');
    let name = &html[start..name_end];
    let mut i = name_end;
    loop {
        i = take_while(html, i, |b| is_space(b) || b == b'/');
        match html.get(i) {
            None | Some(b'>') => return (name, i),
            Some(_) => {}
        }
        let (attr, end) = attribute(html, i);
        i = end;
        each(name, attr);
    }
}

/// Parses a start tag whose name begins at `start`; returns where scanning goes on.
fn tag<'a>(html: &'a [u8], start: usize, scan: &mut Scan<'a>) -> usize {
    let (name, close) = start_tag(html, start, |name, attr| record(name, attr, scan));
    if close >= html.len() {
        return close;
    }
    let after = close + 1;
    match RAW_TEXT
        .iter()
        .find(|t| t.as_bytes().eq_ignore_ascii_case(name))
    {
        Some(raw) => raw_text_end(html, after, raw),
        None => after,
    }
}

/// An attribute: its name as written, its raw value and the value's offset.
struct Attr<'a> {
    name: &'a [u8],
    value: &'a [u8],
    offset: usize,
}

/// Parses one attribute starting at `start` (not a space, `/` or `>`).
fn attribute(html: &[u8], start: usize) -> (Attr<'_>, usize) {
    // The first character is part of the name even if it is `=` (HTML rule).
    let name_end = take_while(html, start + 1, |b| {
        !is_space(b) && b != b'=' && b != b'>' && b != b'/'
    });
    let name = &html[start..name_end];
    let mut i = take_while(html, name_end, is_space);
    if html.get(i) != Some(&b'=') {
        let attr = Attr {
            name,
            value: b"",
            offset: name_end,
        };
        return (attr, i);
    }
    i = take_while(html, i + 1, is_space);
    let (raw_start, raw_end, next) = match html.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = find(html, i + 1, q).unwrap_or(html.len());
            (i + 1, end, (end + 1).min(html.len()))
        }
        _ => {
            let end = take_while(html, i, |b| !is_space(b) && b != b'>');
            (i, end, end)
        }
    };
    let attr = Attr {
        name,
        value: &html[raw_start..raw_end],
        offset: raw_start,
    };
    (attr, next)
}

fn record<'a>(tag: &[u8], attr: Attr<'a>, scan: &mut Scan<'a>) {
    let is = |name: &str| attr.name.eq_ignore_ascii_case(name.as_bytes());
    if is("id") || (tag.eq_ignore_ascii_case(b"a") && is("name")) {
        if !attr.value.is_empty() {
            scan.anchors.insert(value_text(attr.value));
        }
    } else if let Some(name) = LINK_ATTRS.iter().find(|n| is(n)) {
        scan.links.push(Link {
            attr: name,
            value: value_text(attr.value),
            offset: attr.offset,
        });
    }
}

/// An attribute value as text: UTF-8 read lossily, character references decoded.
fn value_text(raw: &[u8]) -> Cow<'_, str> {
    match String::from_utf8_lossy(raw) {
        Cow::Borrowed(text) => decode_entities(text),
        Cow::Owned(text) => Cow::Owned(decode_entities(&text).into_owned()),
    }
}

/// The end of `</name>` after raw text, or the end of the page.
fn raw_text_end(html: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(lt) = find(html, i, b'<') {
        let end = lt + 2 + name.len();
        let matches = html.get(lt + 1) == Some(&b'/')
            && html
                .get(lt + 2..end)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        let closes = html
            .get(end)
            .is_none_or(|&b| is_space(b) || b == b'>' || b == b'/');
        if matches && closes {
            return find(html, end, b'>').map_or(html.len(), |e| e + 1);
        }
        i = lt + 1;
    }
    html.len()
}

/// Decodes character references: the named ones nianbao and common
/// templates produce, and every numeric one. Unknown ones stay as written.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `&amp;` → ('&', 5). `text` starts with `&`.
fn reference(text: &str) -> Option<(char, usize)> {
    let semi = text.bytes().take(12).position(|b| b == b';')?;
    let body = &text[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

/// The first `needle` at or after `from`. A plain loop: in markup the next
/// `<` or `"` is a few bytes on, where a vectorised search costs more to set up.
fn find(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    let at = bytes.get(from..)?.iter().position(|&b| b == needle)?;
    Some(from + at)
}

fn find_seq(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while let Some(at) = find(bytes, i, first) {
        if bytes[at..].starts_with(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn take_while(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while bytes.get(i).is_some_and(|&b| keep(b)) {
        i += 1;
    }
    i
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(html: &str) -> Vec<String> {
        scan(html)
            .links
            .into_iter()
            .map(|l| l.value.into_owned())
            .collect()
    }

    #[test]
    fn finds_links_in_every_quoting_style() {
        let html =
            r#"<a href="a/">x</a><img src='b.png'><a HREF=c.html>y</a><link rel=x href = "d">"#;
        assert_eq!(values(html), ["a/", "b.png", "c.html", "d"]);
    }

    #[test]
    fn offsets_point_at_the_value() {
        let html = "<p>\n<a class=\"x\" href=\"../y/\">";
        let link = &scan(html).links[0];
        assert_eq!(&html[link.offset..link.offset + 5], "../y/");
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(
            values(r#"<a href="?a=1&amp;b=2&#38;c&#x26;d">"#),
            ["?a=1&b=2&c&d"]
        );
        assert_eq!(decode_entities("&unknown; & &#xZZ;"), "&unknown; & &#xZZ;");
        assert_eq!(decode_entities("&#128512;"), "😀");
        assert_eq!(
            decode_entities("&amp;红十字会红十字会"),
            "&红十字会红十字会"
        );
    }

    #[test]
    fn skips_comments_doctype_and_raw_text() {
        let html = r#"<!DOCTYPE html><!-- <a href="no1"> --><script>if (a<b) x = '<a href="no2">';</script>
<style>a[href="no3"]{}</style><title>a <a href="no4"></title><a href="yes">"#;
        assert_eq!(values(html), ["yes"]);
    }

    #[test]
    fn collects_ids_and_named_anchors() {
        let html = r##"<h2 id="a">A</h2><a name="b"></a><div name="not"></div><svg><title id="c">t</title><use xlink:href="#a"/></svg>"##;
        let s = scan(html);
        let mut anchors: Vec<_> = s.anchors.into_iter().collect();
        anchors.sort();
        assert_eq!(anchors, ["a", "b", "c"]);
        assert_eq!(s.links[0].attr, "xlink:href");
    }

    #[test]
    fn ignores_text_that_only_looks_like_markup() {
        let html = "1 < 2 and a<3 <a href=\"x\"";
        assert_eq!(values(html), ["x"]);
        assert_eq!(values("<a href=\"unterminated"), ["unterminated"]);
        assert!(values("<").is_empty());
        assert_eq!(values("<a href"), [""], "an empty href is the page itself");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(html in "\\PC*") {
            let s = scan(&html);
            for link in s.links {
                proptest::prop_assert!(link.offset <= html.len());
            }
        }

        #[test]
        fn never_panics_on_markup_soup(html in "[<>!/=\"'a-z &#;x0-9\n-]{0,80}") {
            scan(&html);
        }
    }
}
