//! Walks `content/`: the report file, the home page, chapter folders with
//! their sections and metrics, and files to copy through.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics, line_col};
use crate::load::frontmatter;
use crate::load::fsguard::{Boundary, Kind, Refusal};
use crate::load::logo::{self, RawLogo};
use crate::load::photo::{Probe, is_photo_file, probe};
use crate::load::yaml::{self, RawFrontMatter, RawMetricsFile, RawReport, RawSeries};

/// Files larger than this are refused: a report chapter is never this big,
/// and reading it would only stall the build.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The folder name of the whole-report page.
pub const PRINT_SLUG: &str = "print";

/// Top-level output folders the site itself uses, so no chapter may have
/// them as its slug, with what each is for.
pub const RESERVED_SLUGS: &[(&str, &str)] = &[
    (PRINT_SLUG, "for the whole-report page"),
    ("assets", "for content/assets/ and the theme's files"),
    ("charts", "for the chart images"),
    ("data", "for data downloads"),
    ("__nianbao", "for the live preview of `nianbao serve`"),
];

/// A Markdown file with its parsed front matter.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root, for messages.
    pub file: PathBuf,
    /// The whole file.
    pub text: String,
    /// Parsed front matter.
    pub front: RawFrontMatter,
    /// Where the body starts in `text`.
    pub body_offset: usize,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// Pages of one item by language code.
pub type Localized = BTreeMap<String, Page>;

/// A section: one Markdown file per language.
#[derive(Debug, Clone)]
pub struct RawSection {
    /// Slug (file name without `NN-` and language).
    pub slug: String,
    /// The first file seen, for messages about the section as a whole.
    pub file: PathBuf,
    /// Its translations.
    pub pages: Localized,
}

/// A chapter folder.
#[derive(Debug, Clone)]
pub struct RawChapter {
    /// Folder, relative to the site root.
    pub dir: PathBuf,
    /// Slug (folder name without `NN-`).
    pub slug: String,
    /// `_index.<lang>.md` files.
    pub index: Localized,
    /// Sections in order.
    pub sections: Vec<RawSection>,
    /// Other files to copy next to the chapter page: (absolute source, path below the chapter).
    pub files: Vec<(PathBuf, PathBuf)>,
    /// Photo files beside the chapter, probed: processed, never copied.
    pub photos: Vec<RawPhotoFile>,
}

/// A photo file beside a chapter, as probed.
#[derive(Debug, Clone)]
pub struct RawPhotoFile {
    /// Absolute source.
    pub source: PathBuf,
    /// Path below the chapter folder, as pages and metrics.yaml name it.
    pub rel: PathBuf,
    /// What it is, or why it cannot be published.
    pub probe: Result<Probe, String>,
}

/// A `metrics.yaml` with its text (for positions).
#[derive(Debug, Clone)]
pub struct MetricsSource {
    /// Path relative to the site root.
    pub file: PathBuf,
    /// The file's text.
    pub text: String,
    /// Parsed content.
    pub raw: RawMetricsFile,
}

/// Everything read from `content/`, not yet validated.
#[derive(Debug, Clone, Default)]
pub struct RawSite {
    /// `report.yaml`: path, text and content.
    pub report: Option<(PathBuf, String, RawReport)>,
    /// Home page files.
    pub home: Localized,
    /// Chapters in order.
    pub chapters: Vec<RawChapter>,
    /// All metrics files (root first, then chapters in order).
    pub metrics: Vec<MetricsSource>,
    /// Files under `content/assets/`: (absolute source, path below `assets/`).
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// Metrics files that could not be read or parsed: ids defined there
    /// are missing, which explains "unknown metric" errors elsewhere.
    pub broken_metrics: Vec<PathBuf>,
    /// Markdown files that could not be read or parsed (already reported):
    /// they exist, so they are not "missing translations".
    pub broken_pages: Vec<PathBuf>,
    /// The logo report.yaml's `brand:` names, as read.
    pub logo: Option<RawLogo>,
}

/// Reads the report folder under `root`. Problems are collected, not fatal:
/// as much as possible is read so every problem is reported at once.
pub fn discover(root: &Path) -> (RawSite, Diagnostics) {
    discover_in(root, &root.join("content"), None)
}

/// Reads the report in `content` (`content/` of a single report, or a
/// year's folder `content/2020/` of a series, whose report.yaml inherits
/// what `series` sets and it leaves out). Paths in messages are relative
/// to `root`, and nothing outside `root` is read.
pub fn discover_in(
    root: &Path,
    content: &Path,
    series: Option<&RawSeries>,
) -> (RawSite, Diagnostics) {
    let boundary = Boundary::new(root);
    let mut diags = Diagnostics::new();
    if let Err(
        refusal @ (Refusal::Outside { .. }
        | Refusal::Dangling { .. }
        | Refusal::Special(_)
        | Refusal::Loop),
    ) = boundary.kind(content)
    {
        diags.push(refusal.diagnostic(&relative(root, content)));
        return (RawSite::default(), diags);
    }
    let report_path = content.join("report.yaml");
    let report = read_text(&boundary, &report_path, &mut diags).and_then(|text| {
        let file = relative(root, &report_path);
        match yaml::parse::<RawReport>(&text, &file, 0) {
            Ok(mut raw) => {
                if let Some(series) = series {
                    raw.inherit(series);
                }
                Some((file, text, raw))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        }
    });
    let languages: Option<Vec<String>> = report.as_ref().and_then(|(_, _, r)| r.languages.clone());
    let written_logo = report
        .as_ref()
        .and_then(|(_, _, r)| r.brand.as_ref()?.logo.clone());
    let logo = written_logo.map(|w| logo::read(&boundary, content, &w));
    let mut walker = Walker {
        root,
        boundary: &boundary,
        languages: languages.as_deref(),
        diags,
        parsed: parse_pages(&boundary, content),
        broken_pages: Vec::new(),
        logo_entry: logo
            .as_ref()
            .and_then(|l| logo::top_entry(&l.written))
            .map(|top| content.join(top)),
    };
    let mut site = walker.content(content, report);
    site.broken_pages = std::mem::take(&mut walker.broken_pages);
    site.logo = logo;
    (site, walker.diags)
}

struct Walker<'a> {
    root: &'a Path,
    boundary: &'a Boundary,
    languages: Option<&'a [String]>,
    diags: Diagnostics,
    /// Markdown files read and parsed up front, in parallel.
    parsed: HashMap<PathBuf, (Option<Page>, Diagnostics)>,
    /// Markdown files that failed to load.
    broken_pages: Vec<PathBuf>,
    /// The logo, when it lies at the top of content/ itself: it is not an
    /// unknown file there.
    logo_entry: Option<PathBuf>,
}

/// Reads and parses every Markdown file below `content` in parallel: most
/// of loading is this, and files do not depend on each other.
fn parse_pages(
    boundary: &Boundary,
    content: &Path,
) -> HashMap<PathBuf, (Option<Page>, Diagnostics)> {
    let paths: Vec<PathBuf> = WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths
        .into_par_iter()
        .map(|path| {
            let parsed = parse_page(boundary, &path);
            (path, parsed)
        })
        .collect()
}

/// Reads one Markdown file and parses its front matter.
pub fn parse_page(boundary: &Boundary, path: &Path) -> (Option<Page>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Some(text) = read_text(boundary, path, &mut diags) else {
        return (None, diags);
    };
    let file = boundary.relative(path);
    let split = match frontmatter::split(&text, &file) {
        Ok(split) => split,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let front = match frontmatter::parse(&split, &file) {
        Ok(front) => front,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    if front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        let hint = "start the file with:\n  ---\n  title: \"…\"\n  ---";
        diags.push(
            Diagnostic::error(&file, 1, 1, "missing `title` in front matter").with_hint(hint),
        );
    }
    let body_offset = split.body_offset;
    let page = Page {
        file,
        text,
        front,
        body_offset,
    };
    (Some(page), diags)
}

impl Walker<'_> {
    fn content(&mut self, content: &Path, report: Option<(PathBuf, String, RawReport)>) -> RawSite {
        let mut site = RawSite {
            report,
            home: Localized::new(),
            chapters: Vec::new(),
            metrics: Vec::new(),
            assets: Vec::new(),
            broken_metrics: Vec::new(),
            broken_pages: Vec::new(),
            logo: None,
        };
        let mut chapter_dirs = Vec::new();
        for (entry, kind) in self.sorted_entries(content) {
            let name = file_name(&entry);
            let is_logo = kind == Kind::File && self.logo_entry.as_ref() == Some(&entry);
            if name == "report.yaml" || is_logo {
                continue;
            }
            if kind == Kind::Dir {
                if name == "assets" {
                    site.assets = self.files_below(&entry);
                } else {
                    chapter_dirs.push(entry);
                }
            } else if name == "metrics.yaml" {
                match self.metrics_file(&entry) {
                    Some(m) => site.metrics.push(m),
                    None => site.broken_metrics.push(relative(self.root, &entry)),
                }
            } else if name.ends_with(".md") {
                if let Some((stem, lang)) = self.markdown_name(&entry, &name) {
                    if stem == "_index" {
                        self.add_page(&mut site.home, &entry, lang);
                    } else {
                        self.warn(
                            &entry,
                            "a Markdown file at the top of content/ is not part of the report",
                            "put sections inside a chapter folder such as content/01-name/",
                        );
                    }
                }
            } else {
                self.warn(
                    &entry,
                    "this file is not part of the report and is not copied",
                    "put files to publish in content/assets/",
                );
            }
        }
        let mut seen = BTreeMap::new();
        for dir in chapter_dirs {
            if let Some(chapter) = self.chapter(&dir, &mut site.metrics, &mut site.broken_metrics) {
                if let Some(first) = seen.insert(chapter.slug.clone(), chapter.dir.clone()) {
                    let msg = format!(
                        "chapter slug `{}` is used twice (also by {})",
                        chapter.slug,
                        first.display()
                    );
                    self.diags.push(Diagnostic::error(&chapter.dir, 0, 0, msg));
                }
                site.chapters.push(chapter);
            }
        }
        site
    }

    fn chapter(
        &mut self,
        dir: &Path,
        metrics: &mut Vec<MetricsSource>,
        broken: &mut Vec<PathBuf>,
    ) -> Option<RawChapter> {
        let name = file_name(dir);
        let slug = self.slug_of(dir, &name)?;
        if let Some(use_) = self.reserved_use(&slug) {
            let msg = format!(
                "chapter folder `{name}` would be published at `{slug}/`, which the site uses {use_}"
            );
            let hint = format!("rename the folder, e.g. `{name}-report`");
            self.diags
                .push(Diagnostic::error(relative(self.root, dir), 0, 0, msg).with_hint(hint));
            return None;
        }
        let mut chapter = RawChapter {
            dir: relative(self.root, dir),
            slug,
            index: Localized::new(),
            sections: Vec::new(),
            files: Vec::new(),
            photos: Vec::new(),
        };
        let mut sections: BTreeMap<(u64, String), RawSection> = BTreeMap::new();
        for (entry, kind) in self.sorted_entries(dir) {
            let name = file_name(&entry);
            if kind == Kind::Dir {
                let below = self.files_below(&entry);
                let sub = PathBuf::from(&name);
                chapter
                    .files
                    .extend(below.into_iter().map(|(src, rel)| (src, sub.join(rel))));
            } else if name == "metrics.yaml" {
                match self.metrics_file(&entry) {
                    Some(m) => metrics.push(m),
                    None => broken.push(relative(self.root, &entry)),
                }
            } else if name.ends_with(".md") {
                let Some((stem, lang)) = self.markdown_name(&entry, &name) else {
                    continue;
                };
                if stem == "_index" {
                    self.add_page(&mut chapter.index, &entry, lang);
                    continue;
                }
                let Some(slug) = self.slug_of(&entry, &stem) else {
                    continue;
                };
                let key = (order_of(&stem), slug.clone());
                let section = sections.entry(key).or_insert_with(|| RawSection {
                    slug,
                    file: relative(self.root, &entry),
                    pages: Localized::new(),
                });
                self.add_page(&mut section.pages, &entry, lang);
            } else {
                chapter.files.push((entry.clone(), PathBuf::from(&name)));
            }
        }
        chapter.sections = sections.into_values().collect();
        chapter.photos = probe_photos(&mut chapter.files);
        if chapter.sections.is_empty() {
            let hint = "add a section file such as 01-overview.<lang>.md, or move the folder out of content/";
            self.diags.push(
                Diagnostic::error(
                    &chapter.dir,
                    0,
                    0,
                    "this chapter folder has no section files",
                )
                .with_hint(hint),
            );
        }
        Some(chapter)
    }

    /// What the site uses a top-level folder named `slug` for, when it is
    /// not free for a chapter.
    fn reserved_use(&self, slug: &str) -> Option<String> {
        let language = self
            .languages
            .unwrap_or_default()
            .iter()
            .find(|code| code.eq_ignore_ascii_case(slug));
        if let Some(code) = language {
            return Some(format!("for the pages in language `{code}`"));
        }
        RESERVED_SLUGS
            .iter()
            .find(|(name, _)| *name == slug)
            .map(|(_, use_)| (*use_).to_string())
    }

    fn metrics_file(&mut self, path: &Path) -> Option<MetricsSource> {
        let text = read_text(self.boundary, path, &mut self.diags)?;
        let file = relative(self.root, path);
        match yaml::parse::<RawMetricsFile>(&text, &file, 0) {
            Ok(raw) => Some(MetricsSource { file, text, raw }),
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    /// Splits `name.lang.md`, checking the language is declared.
    fn markdown_name(&mut self, path: &Path, name: &str) -> Option<(String, String)> {
        let stem = name.trim_end_matches(".md");
        let Some((base, lang)) = stem.rsplit_once('.') else {
            let expected = self
                .languages
                .map_or("zh".to_string(), |l| l.first().cloned().unwrap_or_default());
            let msg = format!("file name `{name}` has no language code");
            let hint = format!("name it `{stem}.{expected}.md` (one file per language)");
            self.diags
                .push(Diagnostic::error(relative(self.root, path), 0, 0, msg).with_hint(hint));
            return None;
        };
        if let Some(languages) = self.languages
            && !languages.iter().any(|l| l == lang)
        {
            if !languages.iter().all(|l| is_valid_code(l)) {
                // report.yaml's own error about the code explains this file.
                return None;
            }
            let msg = format!(
                "language `{lang}` in file name `{name}` is not declared in content/report.yaml (languages: {})",
                languages.join(", ")
            );
            let hint = format!("add `{lang}` to `languages:` in report.yaml, or rename the file");
            self.diags
                .push(Diagnostic::error(relative(self.root, path), 0, 0, msg).with_hint(hint));
            return None;
        }
        Some((base.to_string(), lang.to_string()))
    }

    fn add_page(&mut self, pages: &mut Localized, path: &Path, lang: String) {
        match self.page(path) {
            Some(page) if !page.front.draft => {
                pages.insert(lang, page);
            }
            Some(_) => {}
            None => self.broken_pages.push(relative(self.root, path)),
        }
    }

    /// The page at `path`, parsed ahead of time in parallel when possible.
    fn page(&mut self, path: &Path) -> Option<Page> {
        let (page, diags) = self
            .parsed
            .remove(path)
            .unwrap_or_else(|| parse_page(self.boundary, path));
        self.diags.extend(diags);
        page
    }

    fn slug_of(&mut self, path: &Path, name: &str) -> Option<String> {
        let slug = strip_order(name);
        let valid = !slug.is_empty()
            && slug
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if valid {
            return Some(slug.to_lowercase());
        }
        let msg = format!("`{name}` does not give a usable URL slug");
        let hint = "use letters, digits, `-` and `_` only, e.g. `01-covid-19`";
        self.diags
            .push(Diagnostic::error(relative(self.root, path), 0, 0, msg).with_hint(hint));
        None
    }

    /// Files to copy below `dir`; links that leave the report and special
    /// files are reported, not copied.
    fn files_below(&mut self, dir: &Path) -> Vec<(PathBuf, PathBuf)> {
        let (files, problems) = self.boundary.files_below(dir, is_ignored);
        self.diags.extend(problems);
        files
    }

    /// The entries of `dir` that are content, in name order, each a file or
    /// a folder inside the report; hidden files and editor leftovers are
    /// skipped, and links that leave the report or special files reported.
    fn sorted_entries(&mut self, dir: &Path) -> Vec<(PathBuf, Kind)> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => {
                let msg = format!("cannot read folder: {err}");
                self.diags
                    .push(Diagnostic::error(relative(self.root, dir), 0, 0, msg));
                return Vec::new();
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| !is_ignored(&file_name(p)))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .filter_map(|path| match self.boundary.kind(&path) {
                Ok(kind) => Some((path, kind)),
                Err(refusal) => {
                    self.diags
                        .push(refusal.diagnostic(&self.boundary.relative(&path)));
                    None
                }
            })
            .collect()
    }

    fn warn(&mut self, path: &Path, message: &str, hint: &str) {
        self.diags
            .push(Diagnostic::warning(relative(self.root, path), 0, 0, message).with_hint(hint));
    }
}

/// Reads a file of the report as UTF-8, reporting a missing, huge,
/// special, outside or non-UTF-8 file.
pub fn read_text(boundary: &Boundary, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let file = boundary.relative(path);
    let bytes = match boundary.read(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(Refusal::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
            let message = "file not found: a report folder needs content/report.yaml";
            diags.push(Diagnostic::error(file, 0, 0, message));
            return None;
        }
        Err(refusal @ Refusal::TooLarge { .. }) => {
            let hint = "split it into several sections";
            diags.push(refusal.diagnostic(&file).with_hint(hint));
            return None;
        }
        Err(refusal) => {
            diags.push(refusal.diagnostic(&file));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let good = String::from_utf8_lossy(&bytes[..valid]);
            let (line, col) = line_col(&good, good.len());
            let msg = "the file is not valid UTF-8 text";
            let hint = "save it as UTF-8 (in most editors: Save As → Encoding: UTF-8)";
            diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
            None
        }
    }
}

/// `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Takes the photo files out of a chapter's files and probes them, in
/// parallel: an original is never copied to the site.
fn probe_photos(files: &mut Vec<(PathBuf, PathBuf)>) -> Vec<RawPhotoFile> {
    let (photos, others): (Vec<_>, Vec<_>) = std::mem::take(files)
        .into_iter()
        .partition(|(_, rel)| is_photo_file(rel));
    *files = others;
    photos
        .into_par_iter()
        .map(|(source, rel)| RawPhotoFile {
            probe: probe(&source),
            source,
            rel,
        })
        .collect()
}

/// Hidden files, editor backups and swap files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// The numeric prefix of `NN-name`, or `u64::MAX` so unnumbered items sort last.
fn order_of(name: &str) -> u64 {
    name.split_once('-')
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// `01-covid-19` → `covid-19`; names without a numeric prefix are kept.
pub fn strip_order(name: &str) -> &str {
    match name.split_once('-') {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => name,
    }
}

/// True for codes like `en`, `zh`, `fil`, `zh-hant`, `pt-br`: lowercase
/// letters, optionally followed by `-` subtags. Also safe as a URL segment.
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_prefix() {
        assert_eq!(strip_order("01-covid-19"), "covid-19");
        assert_eq!(strip_order("covid-19"), "covid-19");
        assert_eq!(order_of("07-x"), 7);
        assert_eq!(order_of("x-y"), u64::MAX);
    }

    #[test]
    fn ignores_editor_files() {
        for name in [".DS_Store", "a.md~", ".a.md.swp", "#a.md#", "x.tmp"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("01-a.zh.md"));
    }
}
