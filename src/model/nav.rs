//! Where each page lives: URL paths per language, links relative to the
//! page (so a site works under any sub-path, from `serve`, and from disk),
//! and absolute URLs from `base_url` for canonical links and the sitemap.

/// The published location of the site, from `base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host ("https://example.org"), empty when not given.
    pub origin: String,
    /// Path with leading and trailing slash ("/report/2020/").
    pub path: String,
}

impl BaseUrl {
    /// Parses "/", "/report/", "https://example.org/report/2020".
    /// Returns `None` for text that is neither an absolute URL nor a path.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (origin, path) = if let Some(rest) = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
        {
            let scheme_len = text.len() - rest.len();
            let host_end = rest.find('/').unwrap_or(rest.len());
            if host_end == 0 {
                return None;
            }
            (text[..scheme_len + host_end].to_string(), &rest[host_end..])
        } else if text.starts_with('/') || text.is_empty() {
            (String::new(), text)
        } else {
            return None;
        };
        if path.contains(['?', '#', ' ', '"', '<', '>', '\\']) || path.split('/').any(|s| s == "..")
        {
            return None;
        }
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Some(Self { origin, path })
    }

    /// The absolute URL (or root-relative path when no origin is known) of
    /// a page path such as "en/epidemic/".
    pub fn absolute(&self, page_path: &str) -> String {
        format!("{}{}{}", self.origin, self.path, page_path)
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self {
            origin: String::new(),
            path: "/".to_string(),
        }
    }
}

/// Where a report's pages live below the site root: the language that is
/// served without a language folder, and in a series the year's folder.
/// `[<lang>/][<year>/][<slug>/]`: `en/2020/relief/`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// The language served at the root (the series' first language in a
    /// series, which a year may lack).
    pub default_lang: String,
    /// The year's folder in a series ("2020"), `None` for a single report.
    pub year: Option<String>,
}

impl Layout {
    /// The folder of a page of this report: its home (`slug` `None`) or a
    /// chapter or the whole-report page.
    pub fn page(&self, lang: &str, slug: Option<&str>) -> String {
        let mut path = page_path(lang, &self.default_lang, self.year.as_deref());
        if let Some(slug) = slug {
            path.push_str(slug);
            path.push('/');
        }
        path
    }

    /// The folder of the report's own files that are the same in every
    /// language (charts, data, assets): "" or "2020/".
    pub fn files(&self) -> String {
        self.year
            .as_ref()
            .map_or(String::new(), |y| format!("{y}/"))
    }

    /// This report's PDF in `lang`: `en/report.pdf`, `en/2020/report.pdf`;
    /// for every language, the default one too, so the file's place never
    /// depends on which language comes first.
    pub fn pdf(&self, lang: &str) -> String {
        format!("{lang}/{}report.pdf", self.files())
    }
}

/// The output path of a page: "" for the default-language home, "en/" for
/// another language's home, "slug/" and "en/slug/" for chapters.
pub fn page_path(lang: &str, default_lang: &str, slug: Option<&str>) -> String {
    let mut path = String::new();
    if lang != default_lang {
        path.push_str(lang);
        path.push('/');
    }
    if let Some(slug) = slug {
        path.push_str(slug);
        path.push('/');
    }
    path
}

/// The relative prefix from a page at `page_path` back to the site root:
/// "./" at the root, "../" one level down.
pub fn root_prefix(page_path: &str) -> String {
    let depth = page_path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// A relative link from the page at `from` to the page at `to` (both page
/// paths, directories ending in `/`): "../reform/", "./".
pub fn link(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split_terminator('/').collect();
    let to_dirs: Vec<&str> = to.split_terminator('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut href = "../".repeat(from_dirs.len() - common);
    for dir in &to_dirs[common..] {
        href.push_str(dir);
        href.push('/');
    }
    if href.is_empty() {
        "./".to_string()
    } else {
        href
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let b = BaseUrl::parse("https://example.org/report/2020").unwrap();
        assert_eq!(b.origin, "https://example.org");
        assert_eq!(b.path, "/report/2020/");
        assert_eq!(b.absolute("en/"), "https://example.org/report/2020/en/");
        assert_eq!(BaseUrl::parse("/").unwrap(), BaseUrl::default());
        assert_eq!(BaseUrl::parse("").unwrap(), BaseUrl::default());
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org/x").is_none());
        assert!(BaseUrl::parse("/a/../b").is_none());
        assert!(BaseUrl::parse("https:///x").is_none());
    }

    #[test]
    fn paths_and_links() {
        assert_eq!(page_path("zh", "zh", None), "");
        assert_eq!(page_path("en", "zh", Some("reform")), "en/reform/");
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("en/reform/"), "../../");
        assert_eq!(link("en/reform/", "reform/"), "../../reform/");
        assert_eq!(link("", "en/"), "en/");
        assert_eq!(link("", ""), "./");
        assert_eq!(link("en/", "en/reform/"), "reform/");
        assert_eq!(link("en/reform/", "en/"), "../");
        assert_eq!(link("en/reform/", "en/reform/"), "./");
        assert_eq!(link("reform/", "en/reform/"), "../en/reform/");
    }
}
