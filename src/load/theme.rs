//! Reading a theme: its files in layers, last wins: the default theme
//! embedded in the binary, the site's `themes/default/`, then the theme
//! named in report.yaml. So a report folder without `themes/` builds, and
//! a custom theme only needs the files it changes. Compiling them is
//! [`crate::render::theme`]'s work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::{MAX_FILE_BYTES, is_ignored, relative};
use crate::load::fsguard::{Boundary, Kind, Refusal};

/// A file of a theme, with where it came from for messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Where it came from (`themes/x/templates/base.html`, or below
    /// `<built-in default theme>`).
    pub origin: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A theme's files by `/`-separated path below the theme folder
/// (`templates/base.html`).
pub type ThemeFiles = BTreeMap<String, ThemeFile>;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, compiled in.
const EMBEDDED: &[(&str, &[u8])] = embedded![
    "theme.yaml",
    "templates/base.html",
    "templates/home.html",
    "templates/series.html",
    "templates/chapter.html",
    "templates/404.html",
    "templates/print.html",
    "templates/partials/cards.html",
    "templates/partials/opening.html",
    "templates/partials/gallery.html",
    "templates/partials/header.html",
    "templates/partials/footer.html",
    "templates/figure.html",
    "templates/photo.html",
    "templates/sitemap.xml",
    "templates/robots.txt",
    "i18n/zh.yaml",
    "i18n/en.yaml",
    "i18n/fr.yaml",
    "i18n/de.yaml",
    "i18n/es.yaml",
    "i18n/ja.yaml",
    "static/style.css",
    "static/search.js",
];

/// A file of the built-in default theme by its path (`i18n/en.yaml`).
pub fn default_theme_file(path: &str) -> Option<&'static [u8]> {
    EMBEDDED
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, bytes)| *bytes)
}

/// Reads the theme `name` of the report at `root`, over the default theme.
/// `None` when there is no such theme.
pub fn read(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<ThemeFiles> {
    let mut files: ThemeFiles = EMBEDDED
        .iter()
        .map(|(path, bytes)| {
            (
                path.to_string(),
                ThemeFile {
                    origin: PathBuf::from("<built-in default theme>").join(path),
                    bytes: bytes.to_vec(),
                },
            )
        })
        .collect();
    overlay(
        &mut files,
        root,
        &root.join("themes").join("default"),
        diags,
    );
    if name != "default" {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            let msg = format!("theme `{name}` not found: there is no folder themes/{name}/");
            diags.push(
                Diagnostic::error("content/report.yaml", 0, 0, msg)
                    .with_hint("remove `theme:` to use the default theme"),
            );
            return None;
        }
        overlay(&mut files, root, &dir, diags);
    }
    Some(files)
}

/// Theme files are read whole and kept in memory (fonts included); a theme
/// never needs more per file.
const MAX_THEME_FILE_BYTES: u64 = 4 * MAX_FILE_BYTES;

/// Lays the files below `dir` over `files`.
fn overlay(files: &mut ThemeFiles, root: &Path, dir: &Path, diags: &mut Diagnostics) {
    let boundary = Boundary::new(root);
    match boundary.kind(dir) {
        Ok(Kind::Dir) => {}
        Err(Refusal::Io(_)) | Ok(Kind::File) => return,
        Err(refusal) => {
            diags.push(refusal.diagnostic(&relative(root, dir)));
            return;
        }
    }
    let (found, problems) = boundary.files_below(dir, is_ignored);
    diags.extend(problems);
    for (path, rel) in found {
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match boundary.read(&path, MAX_THEME_FILE_BYTES) {
            Ok(bytes) => {
                let origin = relative(root, &path);
                files.insert(key, ThemeFile { origin, bytes });
            }
            Err(refusal) => diags.push(refusal.diagnostic(&relative(root, &path))),
        }
    }
}
