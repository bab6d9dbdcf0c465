//! Serving the site's files over HTTP, shared by the preview server and the
//! local server the PDF printer reads pages from: which file a request path
//! names (never one outside the site) and what type of content it holds.

/// Decodes a request path into a path below the site root, or `None` when
/// it could leave it: `..` or `.` segments (also percent-encoded), encoded
/// slashes that hide them, backslashes, NUL bytes, invalid UTF-8.
pub fn resolve_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let trimmed = &decoded[1..];
    if trimmed
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains(':'))
    {
        return None;
    }
    if trimmed.starts_with('/') || trimmed.contains("//") {
        return None;
    }
    Some(trimmed.to_string())
}

/// The Content-Type for a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        assert_eq!(resolve_path("/").as_deref(), Some(""));
        assert_eq!(resolve_path("/en/reform/").as_deref(), Some("en/reform/"));
        assert_eq!(resolve_path("/%E4%B8%AD/").as_deref(), Some("中/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2E%2E/x",
            "/..%2f..%2fetc",
            "/a\\..\\b",
            "/%00",
            "/./x",
            "//etc/passwd",
            "/c:/x",
            "/%ff",
        ] {
            assert_eq!(resolve_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("en/index.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("charts/a.zh.svg"), "image/svg+xml");
        assert_eq!(content_type("noextension"), "application/octet-stream");
    }
}
