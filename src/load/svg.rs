//! SVG files published as they are (a logo, a drawing beside a chapter):
//! an SVG is served from the site's own origin, so one that could run
//! script is refused (`<script>`, event attributes, `javascript:` URLs,
//! `<foreignObject>`, XML entities); and its size, from the root element.

/// Why an SVG may not be published as it is, in words that finish "the
/// SVG logo … ", or `None` when it is a plain drawing.
pub fn svg_problem(bytes: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("is not UTF-8 text".into());
    };
    let lower = text.to_ascii_lowercase();
    if lower.contains("<!entity") {
        return Some("declares XML entities (<!ENTITY)".into());
    }
    let squeezed: String = decode_references(&lower)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if squeezed.contains("javascript:") {
        return Some("contains a javascript: URL".into());
    }
    let mut has_svg = false;
    for tag in tags(text) {
        let local = local_name(&tag.name).to_ascii_lowercase();
        match local.as_str() {
            "script" => return Some("contains a <script> element".into()),
            "foreignobject" => return Some("contains a <foreignObject> (embedded HTML)".into()),
            "svg" => has_svg = true,
            _ => {}
        }
        if let Some((name, _)) = tag
            .attributes
            .iter()
            .find(|(name, _)| local_name(name).to_ascii_lowercase().starts_with("on"))
        {
            return Some(format!("has an event attribute `{name}=` (a script)"));
        }
    }
    (!has_svg).then(|| "has no <svg> element: it is not an SVG drawing".into())
}

/// The part of an XML name after its namespace prefix (`svg:script` → `script`).
fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Numeric character references (`&#106;`, `&#x6a;`) decoded, so a
/// `javascript:` spelt with them is found.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|end| {
            let digits = &after[..end];
            let code = match digits.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => digits.parse().ok(),
            };
            Some((char::from_u32(code?)?, end))
        });
        match decoded {
            Some((c, end)) => {
                out.extend(c.to_lowercase());
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A start tag: its name and attributes (values as written).
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// The start tags of an XML text, skipping comments, CDATA, processing
/// instructions and declarations. Tolerant: it never fails, it finds
/// what a browser would see as elements and attributes.
fn tags(text: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with("!--") {
            rest = skip_to(rest, "-->");
        } else if rest.starts_with("![CDATA[") {
            rest = skip_to(rest, "]]>");
        } else if rest.starts_with('?') {
            rest = skip_to(rest, "?>");
        } else if rest.starts_with('!') || rest.starts_with('/') {
            rest = skip_to(rest, ">");
        } else {
            let (tag, after) = start_tag(rest);
            tags.extend(tag);
            rest = after;
        }
    }
    tags
}

/// What follows the first `end` in `rest` ("" when there is none).
fn skip_to<'t>(rest: &'t str, end: &str) -> &'t str {
    rest.find(end).map_or("", |i| &rest[i + end.len()..])
}

/// Reads the start tag at the start of `text` (just after `<`).
fn start_tag(text: &str) -> (Option<Tag>, &str) {
    let is_name = |c: char| !c.is_whitespace() && !matches!(c, '/' | '>' | '=' | '<');
    let name_end = text.find(|c: char| !is_name(c)).unwrap_or(text.len());
    if name_end == 0 {
        return (None, text);
    }
    let name = text[..name_end].to_string();
    let mut attributes = Vec::new();
    let mut rest = &text[name_end..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') || rest.starts_with('<') {
            rest = rest.strip_prefix('>').unwrap_or(rest);
            break;
        }
        let end = rest
            .find(|c: char| !is_name(c))
            .unwrap_or(rest.len())
            .max(1);
        let attribute = rest[..end].to_string();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, r) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = v.to_string();
            rest = r;
        }
        attributes.push((attribute, value));
    }
    (Some(Tag { name, attributes }), rest)
}

/// The width and height the root `<svg>` declares (`width`/`height` in
/// pixels, else its `viewBox`), rounded.
pub fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let root = tags(text)
        .into_iter()
        .find(|t| local_name(&t.name).eq_ignore_ascii_case("svg"))?;
    let attribute = |name: &str| {
        root.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let pixels = |v: Option<String>| -> Option<f64> {
        let v = v?;
        let number = v.strip_suffix("px").unwrap_or(&v);
        number.trim().parse::<f64>().ok().filter(|n| *n > 0.0)
    };
    let (w, h) = match (pixels(attribute("width")), pixels(attribute("height"))) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let view_box = attribute("viewBox")?;
            let numbers: Vec<f64> = view_box
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            match numbers[..] {
                [_, _, w, h] if w > 0.0 && h > 0.0 => (w, h),
                _ => return None,
            }
        }
    };
    let round = |v: f64| (v.round().clamp(1.0, 100_000.0)) as u32;
    Some((round(w), round(h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svgs_with_scripts_are_refused() {
        let ok = br##"<?xml version="1.0"?><!-- <script> in a comment is text --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><title>Logo</title><rect width="120" height="40" fill="#0b6e4f"/></svg>"##;
        assert_eq!(svg_problem(ok), None);
        assert_eq!(svg_size(ok), Some((120, 40)));
        let cases: [(&[u8], &str); 9] = [
            (b"<svg><script>alert(1)</script></svg>", "<script>"),
            (b"<svg><SCRIPT>alert(1)</SCRIPT></svg>", "<script>"),
            (b"<svg:svg><svg:script/></svg:svg>", "<script>"),
            (b"<svg onload=\"alert(1)\"></svg>", "onload"),
            (b"<svg><rect OnClick='x()'/></svg>", "OnClick"),
            (
                b"<svg><a href=\"java\nscript:alert(1)\"/></svg>",
                "javascript:",
            ),
            (b"<svg><a href=\"&#106;avascript:x\"/></svg>", "javascript:"),
            (
                b"<svg><foreignObject><p>x</p></foreignObject></svg>",
                "foreignObject",
            ),
            (
                b"<!DOCTYPE svg [<!ENTITY x \"<script>\">]><svg>&x;</svg>",
                "ENTITY",
            ),
        ];
        for (svg, found) in cases {
            let problem = svg_problem(svg).unwrap_or_default();
            assert!(
                problem.contains(found),
                "{problem} for {}",
                String::from_utf8_lossy(svg)
            );
        }
        assert!(
            svg_problem(b"<html></html>")
                .unwrap_or_default()
                .contains("no <svg>")
        );
        assert!(svg_problem(&[0xff, 0xfe, 0]).is_some());
        // Words that merely start with "on" in text are not attributes.
        assert_eq!(svg_problem(b"<svg><text>once on=2</text></svg>"), None);
    }

    #[test]
    fn svg_sizes_come_from_the_root_element() {
        assert_eq!(
            svg_size(b"<svg width=\"200px\" height=\"50\" viewBox=\"0 0 20 5\"/>"),
            Some((200, 50))
        );
        assert_eq!(
            svg_size(b"<svg width=\"100%\" viewBox=\"0,0,64,32\"/>"),
            Some((64, 32))
        );
        assert_eq!(svg_size(b"<svg/>"), None);
    }
}
