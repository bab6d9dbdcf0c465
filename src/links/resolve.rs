//! Where a link leads: relative links are resolved against the page's URL,
//! root-relative and same-host absolute links must stay under the base
//! path, folder links lead to `index.html`, and a `#fragment` must name an
//! element of the target page. Links to other hosts, `mailto:` and other
//! schemes leave the site and are not followed.

use std::collections::{HashMap, HashSet};

use super::Anchors;
use crate::model::nav::BaseUrl;

/// The files and anchors of the site known so far, and where it is served.
#[derive(Debug)]
pub(super) struct SiteIndex {
    pub base: BaseUrl,
    /// Every file below the site root.
    pub files: HashSet<String>,
    /// The ids of each HTML page.
    pub anchors: HashMap<String, Anchors>,
}

/// True when `href` is `#fragment` naming an element of the page that
/// holds it (`ids`), or `#` alone: the page itself is all it needs.
pub(super) fn on_page(href: &str, ids: &Anchors) -> bool {
    href.strip_prefix('#')
        .is_some_and(|f| !f.contains('%') && (f.is_empty() || ids.contains(f)))
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

/// What became of a link checked against the site known so far.
#[derive(Debug, Clone)]
pub(super) enum Verdict {
    /// It leads to a file of the site (and to an element of it), or out
    /// of the site.
    Leads,
    /// It is broken, whatever else the site will have: why.
    Broken(String),
    /// It leads to a file the site does not have (yet): the file's path
    /// below the site root (without `index.html`, as [`file_keys`] names
    /// an added file), and why it is broken if it never comes.
    Missing {
        /// The path the link leads to.
        target: String,
        /// Why it is broken, if that file never comes.
        why: String,
    },
}

/// What the verdict on `href` on `page` depends on besides the site, as
/// (folder, rest of the URL): links with the same key lead to the same
/// place. A relative link's `../` steps are taken from the page's folder
/// (`../../2019/` on `2024/relief/` is (``, `2019/`), the same for every
/// page two levels down); a link to the page itself (`#id`, `?q`) and any
/// link of the 404 page (served at any depth) depend on the page.
pub(super) fn scope<'a>(page: &'a str, href: &'a str) -> (&'a str, &'a str) {
    let on_page = href.is_empty() || href.starts_with(['#', '?']);
    if on_page || page == "404.html" {
        return (page, href);
    }
    let mut dir = page_dir(page);
    let mut rest = href.strip_prefix("./").unwrap_or(href);
    while let Some(after) = rest.strip_prefix("../") {
        let Some(parent) = parent_dir(dir) else {
            break;
        };
        (dir, rest) = (parent, after);
    }
    (dir, rest)
}

/// "a/b/" → "a/"; "a/" → ""; "" → None.
fn parent_dir(dir: &str) -> Option<&str> {
    let inner = dir.strip_suffix('/')?;
    Some(inner.rfind('/').map_or("", |i| &dir[..=i]))
}

/// The paths a link may name the file at `path` by: the path itself and,
/// for a folder's `index.html`, the folder (`en/relief/index.html` →
/// `en/relief`; `index.html` → ``).
pub(super) fn file_keys(path: &str) -> impl Iterator<Item = &str> {
    let folder = path
        .strip_suffix("index.html")
        .map(|dir| dir.trim_end_matches('/'));
    std::iter::once(path).chain(folder)
}

impl SiteIndex {
    /// Where `href` on `page` leads among the files known so far.
    pub(super) fn verdict(&self, page: &str, href: &str) -> Verdict {
        if let Some(ids) = self.anchors.get(page)
            && on_page(href, ids)
        {
            return Verdict::Leads;
        }
        let target = match self.resolve(page, href) {
            Ok(Some(target)) => target,
            Ok(None) => return Verdict::Leads,
            Err(why) => return Verdict::Broken(why),
        };
        let file = match self.file_of(&target) {
            Ok(file) => file,
            Err(why) => {
                let target = target.path.trim_end_matches('/').to_string();
                return Verdict::Missing { target, why };
            }
        };
        match target.fragment.as_deref() {
            None | Some("") => Verdict::Leads,
            Some(f) if f.eq_ignore_ascii_case("top") => Verdict::Leads,
            Some(f) => match self.anchors.get(file) {
                Some(ids) if !ids.contains(f) => {
                    Verdict::Broken(format!("{file} has no element with id=\"{f}\""))
                }
                _ => Verdict::Leads,
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
            .find_map(|c| self.files.get(c.as_str()).map(String::as_str))
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
