//! The link verifier: every `href` and `src` of every generated HTML page
//! must lead to a file of the site when it is served under its base path.
//! Relative links are resolved against the page's URL, root-relative and
//! same-host absolute links must stay under the base path, directory links
//! lead to `index.html`, and `#fragment`s must name an element of the target
//! page. Links to other hosts, `mailto:` and other schemes are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::error::{Diagnostic, Diagnostics, line_col};
use crate::model::nav::BaseUrl;
use crate::publish::html::{self, Scan};
use crate::render::site::RenderedSite;

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page, as a path below the site root (`en/relief/index.html`).
    pub page: String,
    /// 1-based line of the link's value in the page.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// The attribute (`href`, `src`).
    pub attr: String,
    /// The link as written, character references decoded.
    pub href: String,
    /// Why it does not resolve.
    pub reason: String,
}

impl BrokenLink {
    /// An error at the link's position in the generated page.
    pub fn diagnostic(&self) -> Diagnostic {
        let msg = format!(
            "broken link {}=\"{}\": {}",
            self.attr, self.href, self.reason
        );
        Diagnostic::error(PathBuf::from(&self.page), self.line, self.col, msg)
    }

    /// An error at the link as written (`href`) in a Markdown file.
    pub fn diagnostic_at(&self, href: &str, file: PathBuf, line: usize, col: usize) -> Diagnostic {
        let msg = format!("broken link `{href}`: {}", self.reason);
        let hint = format!(
            "correct or remove the link (it is on the generated page {})",
            self.page
        );
        Diagnostic::error(file, line, col, msg)
            .with_hint(hint)
            .with_len(href.chars().count())
    }
}

/// Checks every internal link of the rendered site as served under `base`.
/// Each broken link is an error naming the page, its line and the link.
pub fn verify_links(site: &RenderedSite, base: &BaseUrl) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for link in broken_links(site, base) {
        diags.push(link.diagnostic());
    }
    diags
}

/// Every link of the rendered site that does not resolve under `base`,
/// page by page in path order.
pub fn broken_links(site: &RenderedSite, base: &BaseUrl) -> Vec<BrokenLink> {
    let pages: BTreeMap<&str, (String, Scan)> = site
        .files
        .iter()
        .filter(|f| is_html(&f.path))
        .map(|f| {
            let text = String::from_utf8_lossy(&f.bytes).into_owned();
            let scan = html::scan(&text);
            (f.path.as_str(), (text, scan))
        })
        .collect();
    let index = SiteIndex {
        base,
        files: site
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(site.copies.iter().map(|(_, dest)| dest.as_str()))
            .collect(),
        anchors: pages.iter().map(|(p, (_, s))| (*p, &s.anchors)).collect(),
    };
    let mut broken = Vec::new();
    for (page, (text, scan)) in &pages {
        for link in &scan.links {
            if let Err(reason) = index.check(page, &link.value) {
                let (line, col) = line_col(text, link.offset);
                broken.push(BrokenLink {
                    page: page.to_string(),
                    line,
                    col,
                    attr: link.attr.clone(),
                    href: link.value.clone(),
                    reason,
                });
            }
        }
    }
    broken
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// The files and anchors of the site, and where it is served.
struct SiteIndex<'a> {
    base: &'a BaseUrl,
    files: BTreeSet<&'a str>,
    anchors: BTreeMap<&'a str, &'a BTreeSet<String>>,
}

/// Where a link leads inside the site.
struct Target {
    /// Path below the site root, without `index.html` (`en/relief/`).
    path: String,
    /// The link names a folder (ends with `/`).
    dir: bool,
    /// The part after `#`, percent-decoded.
    fragment: Option<String>,
}

impl SiteIndex<'_> {
    fn check(&self, page: &str, href: &str) -> Result<(), String> {
        let Some(target) = self.resolve(page, href)? else {
            return Ok(());
        };
        let file = self.file_of(&target)?;
        match target.fragment.as_deref() {
            None | Some("") => Ok(()),
            Some(f) if f.eq_ignore_ascii_case("top") => Ok(()),
            Some(f) => match self.anchors.get(file) {
                Some(ids) if !ids.contains(f) => {
                    Err(format!("{file} has no element with id=\"{f}\""))
                }
                _ => Ok(()),
            },
        }
    }

    /// The target of `href` on `page`, `None` for links that leave the site.
    fn resolve(&self, page: &str, href: &str) -> Result<Option<Target>, String> {
        let href = href.trim_matches(|c: char| c.is_ascii_whitespace());
        let (rest, fragment) = match href.split_once('#') {
            Some((rest, f)) => (rest, Some(percent_decode(f)?)),
            None => (href, None),
        };
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() {
            let (path, dir) = page_target(page);
            return Ok(Some(Target {
                path,
                dir,
                fragment,
            }));
        }
        let absolute = match self.url_path(path) {
            UrlPath::External => return Ok(None),
            UrlPath::Absolute(p) => p,
            UrlPath::Relative(_) if page == "404.html" => {
                return Err(
                    "404.html is served at any address, so a relative link breaks there; start it with the base path"
                        .into(),
                );
            }
            UrlPath::Relative(rel) => format!("{}{}{rel}", self.base.path, page_dir(page)),
        };
        let (segments, dir) = normalize(&absolute)?;
        let path = self.below_base(&segments, dir)?;
        Ok(Some(Target {
            path,
            dir,
            fragment,
        }))
    }

    fn url_path<'h>(&self, path: &'h str) -> UrlPath<'h> {
        if let Some(rest) = path.strip_prefix("//") {
            return self.same_host(rest);
        }
        if let Some((scheme, rest)) = scheme_of(path) {
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            return match rest.strip_prefix("//") {
                Some(rest) if web => self.same_host(rest),
                _ => UrlPath::External,
            };
        }
        if path.starts_with('/') {
            UrlPath::Absolute(path.to_string())
        } else {
            UrlPath::Relative(path)
        }
    }

    /// `host/path` after `//`: internal only on the base URL's host.
    fn same_host<'h>(&self, rest: &'h str) -> UrlPath<'h> {
        let host_end = rest.find('/').unwrap_or(rest.len());
        let base_host = self.base.origin.split_once("://").map(|(_, h)| h);
        match base_host {
            Some(h) if h.eq_ignore_ascii_case(&rest[..host_end]) => {
                let path = &rest[host_end..];
                UrlPath::Absolute(if path.is_empty() { "/" } else { path }.to_string())
            }
            _ => UrlPath::External,
        }
    }

    /// The path below the base path, or why it is outside.
    fn below_base(&self, segments: &[String], dir: bool) -> Result<String, String> {
        let base: Vec<&str> = self
            .base
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let inside =
            segments.len() >= base.len() && segments.iter().zip(&base).all(|(a, b)| a == b);
        if !inside {
            let slash = if dir && !segments.is_empty() { "/" } else { "" };
            return Err(format!(
                "it leads to /{}{slash}, outside the base path {}",
                segments.join("/"),
                self.base.path
            ));
        }
        Ok(segments[base.len()..].join("/"))
    }

    /// The file a target is served from.
    fn file_of(&self, target: &Target) -> Result<&str, String> {
        let index = if target.path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{}/index.html", target.path.trim_end_matches('/'))
        };
        let candidates = if target.dir || target.path.is_empty() {
            vec![index]
        } else {
            // A server answers a folder without its slash with a redirect.
            vec![target.path.clone(), index]
        };
        candidates
            .iter()
            .find_map(|c| self.files.get(c.as_str()).copied())
            .ok_or_else(|| {
                let slash = if target.dir && !target.path.is_empty() {
                    "/"
                } else {
                    ""
                };
                format!(
                    "it leads to {}{}{slash}, which the site does not have",
                    self.base.path, target.path
                )
            })
    }
}

enum UrlPath<'a> {
    External,
    /// A path from the server root (`/report/2020/en/`).
    Absolute(String),
    /// A path relative to the page.
    Relative(&'a str),
}

/// `mailto:x` → ("mailto", "x"); `a/b:c` and `/x` → None.
fn scheme_of(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// "en/relief/index.html" → ("en/relief", true); "404.html" → ("404.html", false).
fn page_target(page: &str) -> (String, bool) {
    match page.strip_suffix("index.html") {
        Some(dir) => (dir.trim_end_matches('/').to_string(), true),
        None => (page.to_string(), false),
    }
}

/// "en/relief/index.html" → "en/relief/"; "index.html" → "".
fn page_dir(page: &str) -> &str {
    page.rfind('/').map_or("", |i| &page[..=i])
}

/// Splits an absolute URL path into decoded segments, resolving `.` and
/// `..`; the flag tells whether it names a folder.
fn normalize(path: &str) -> Result<(Vec<String>, bool), String> {
    let raw: Vec<&str> = path.split('/').skip(1).collect();
    let dir = matches!(raw.last(), Some(&("" | "." | "..")));
    let mut segments: Vec<String> = Vec::new();
    for seg in raw {
        match seg {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err(format!("{path} climbs above the server root"));
                }
            }
            _ => segments.push(percent_decode(seg)?),
        }
    }
    Ok((segments, dir))
}

/// Decodes `%XX` escapes; malformed escapes stay as written.
fn percent_decode(text: &str) -> Result<String, String> {
    if !text.contains('%') {
        return Ok(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{text}` is not valid percent-encoded UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutputFile;

    fn site(pages: &[(&str, &str)]) -> RenderedSite {
        RenderedSite {
            files: pages
                .iter()
                .map(|(path, html)| OutputFile {
                    path: path.to_string(),
                    bytes: html.as_bytes().to_vec(),
                })
                .collect(),
            copies: vec![(PathBuf::from("/src/report.pdf"), "assets/报告.pdf".into())],
        }
    }

    fn broken(pages: &[(&str, &str)], base: &str) -> Vec<String> {
        let base = BaseUrl::parse(base).unwrap();
        verify_links(&site(pages), &base)
            .into_iter()
            .map(|d| d.to_string())
            .collect()
    }

    const STYLE: (&str, &str) = ("assets/style.css", "body{}");

    #[test]
    fn resolves_relative_links_against_the_page() {
        let pages = [
            (
                "index.html",
                r#"<a href="en/">en</a><a href="relief/#s">r</a><link href="assets/style.css">"#,
            ),
            (
                "en/index.html",
                r#"<a href="../">zh</a><a href="../relief/">r</a><a href="./">self</a><a href="">x</a>"#,
            ),
            (
                "relief/index.html",
                r#"<h2 id="s">S</h2><a href="../assets/%E6%8A%A5%E5%91%8A.pdf">pdf</a><a href="../en">en</a>"#,
            ),
            STYLE,
        ];
        assert!(broken(&pages, "https://example.org/report/2020/").is_empty());
        assert!(broken(&pages, "/").is_empty());
    }

    #[test]
    fn reports_missing_pages_with_page_line_and_href() {
        let pages = [("en/index.html", "<p>\n  <a href=\"../nope/\">x</a>")];
        assert_eq!(
            broken(&pages, "/report/"),
            [
                "error: en/index.html:2:12: broken link href=\"../nope/\": it leads to /report/nope/, which the site does not have"
            ]
        );
    }

    #[test]
    fn root_relative_and_same_host_links_must_stay_under_the_base_path() {
        let pages = [
            (
                "404.html",
                r#"<a href="/report/2020/">ok</a><a href="https://EXAMPLE.org/report/2020/en/">ok</a><a href="//example.org/report/2020/assets/style.css">ok</a>"#,
            ),
            (
                "en/index.html",
                r#"<a href="/en/">bad</a><a href="https://example.org/">bad</a>"#,
            ),
            ("index.html", r#"<a href="../../../x">bad</a>"#),
            STYLE,
        ];
        let found = broken(&pages, "https://example.org/report/2020/");
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].contains("/en/, outside the base path /report/2020/"),
            "{}",
            found[0]
        );
        assert!(
            found[2].contains("climbs above the server root"),
            "{}",
            found[2]
        );
    }

    #[test]
    fn relative_links_in_the_404_page_are_broken() {
        let pages = [
            (
                "404.html",
                r##"<a href="en/">x</a><a href="#main">top</a><main id="main">"##,
            ),
            ("en/index.html", ""),
        ];
        let found = broken(&pages, "/");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("served at any address"));
    }

    #[test]
    fn fragments_must_name_an_element_of_the_target_page() {
        let pages = [
            (
                "index.html",
                r##"<h2 id="a">A</h2><a href="#a">ok</a><a href="#top">ok</a><a href="#missing">bad</a><a href="en/#%E7%AB%A0">ok</a><a href="en/#b">bad</a>"##,
            ),
            ("en/index.html", r#"<h2 id="章">x</h2>"#),
        ];
        let found = broken(&pages, "/");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].contains("index.html has no element with id=\"missing\""),
            "{}",
            found[0]
        );
        assert!(
            found[1].contains("en/index.html has no element with id=\"b\""),
            "{}",
            found[1]
        );
    }

    #[test]
    fn external_links_are_skipped() {
        let pages = [(
            "index.html",
            r#"<a href="https://other.org/x">x</a><a href="mailto:a@b.org">m</a><a href="tel:123">t</a><img src="data:image/png;base64,AA"><a href="http://example.org/x">no origin known</a>"#,
        )];
        assert!(broken(&pages, "/").is_empty());
    }

    #[test]
    fn query_strings_are_ignored_and_bad_escapes_reported() {
        let pages = [(
            "index.html",
            r#"<a href="?lang=en">ok</a><a href="a%FF/">bad</a>"#,
        )];
        let found = broken(&pages, "/");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("not valid percent-encoded UTF-8"));
    }
}
