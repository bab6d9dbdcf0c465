//! Photos: declared in a chapter's `metrics.yaml` (id, file, alt, caption,
//! credit per language) or placed by file name in a page. Every photo file
//! beside a chapter was probed when loading; here each declared photo is
//! tied to its file and checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::RawChapter;
use crate::load::photo::Probe;
use crate::load::yaml::RawPhoto;
use crate::model::lang::Text;
use crate::model::metric::{Entry, Origin};

/// A photo file beside a chapter, probed and publishable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoFile {
    /// Where it is read from.
    pub source: PathBuf,
    /// Its path relative to the site root, for messages.
    pub path: PathBuf,
    /// Its hash, format and size.
    pub probe: Probe,
}

/// The photo files of the report by path relative to the site root
/// (`content/01-relief/team.jpg`).
#[derive(Debug, Clone, Default)]
pub struct PhotoFiles {
    /// Publishable ones.
    pub ok: BTreeMap<PathBuf, PhotoFile>,
    /// Ones that cannot be published (already reported).
    pub broken: BTreeSet<PathBuf>,
}

/// A photo declared in `metrics.yaml`.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Unique id.
    pub id: String,
    /// The file; `None` for a photo still to come, shown as its caption.
    pub file: Option<PhotoFile>,
    /// What it shows, per language (required with a file).
    pub alt: Option<Text>,
    /// Caption per language.
    pub caption: Option<Text>,
    /// Credit per language.
    pub credit: Option<Text>,
    /// Definition site.
    pub origin: Origin,
}

/// The photo files of every chapter that can be published; each one that
/// cannot (damaged, unsupported, too large) is an error naming it.
pub fn photo_files(chapters: &[RawChapter], diags: &mut Diagnostics) -> PhotoFiles {
    let mut files = PhotoFiles::default();
    for chapter in chapters {
        for photo in &chapter.photos {
            let path = chapter.dir.join(&photo.rel);
            match &photo.probe {
                Ok(probe) => {
                    let file = PhotoFile {
                        source: photo.source.clone(),
                        path: path.clone(),
                        probe: probe.clone(),
                    };
                    files.ok.insert(path, file);
                }
                Err(problem) => {
                    let hint = "replace the file with a JPEG, PNG or WebP that opens in an image viewer, or remove it";
                    diags.push(Diagnostic::error(&path, 0, 0, problem.clone()).with_hint(hint));
                    files.broken.insert(path);
                }
            }
        }
    }
    files
}

/// A declared photo, tied to its file beside the metrics file.
pub(crate) fn photo(
    raw: &RawPhoto,
    entry: &Entry<'_>,
    origin: Origin,
    files: &PhotoFiles,
    diags: &mut Diagnostics,
) -> Photo {
    let what = |key: &str| format!("{key} of photo `{}`", raw.id);
    let text = |t: &Option<_>, key: &str, diags: &mut Diagnostics| {
        t.as_ref().map(|t| entry.text(t, key, &what(key), diags))
    };
    let alt = text(&raw.alt, "alt", diags);
    let caption = text(&raw.caption, "caption", diags);
    let credit = text(&raw.credit, "credit", diags);
    let file = raw
        .file
        .as_deref()
        .and_then(|name| declared_file(name, raw, entry, files, diags));
    if file.is_some() && alt.is_none() {
        let msg = format!("photo `{}` has no `alt:` text", raw.id);
        let hint = "describe what the photo shows in every language, for readers who cannot see it: alt: { zh: …, en: … }";
        diags.push(entry.error("file", msg).with_hint(hint));
    }
    if raw.file.is_none() && caption.is_none() {
        let msg = format!("photo `{}` has neither a `file:` nor a `caption:`", raw.id);
        diags.push(
            entry
                .error("id", msg)
                .with_hint("give the photo's file, or its caption until the photo comes"),
        );
    }
    Photo {
        id: raw.id.clone(),
        file,
        alt,
        caption,
        credit,
        origin,
    }
}

fn declared_file(
    name: &str,
    raw: &RawPhoto,
    entry: &Entry<'_>,
    files: &PhotoFiles,
    diags: &mut Diagnostics,
) -> Option<PhotoFile> {
    let dir = entry.file.parent().unwrap_or(Path::new(""));
    let path = dir.join(name);
    if let Some(file) = files.ok.get(&path) {
        return Some(file.clone());
    }
    // A file that is there but cannot be published is reported as such.
    if files.broken.contains(&path) {
        return None;
    }
    let msg = format!(
        "photo `{}`: there is no photo `{name}` beside {}",
        raw.id,
        entry.file.display()
    );
    let hint =
        "put the JPEG, PNG, WebP or SVG file in the chapter's folder and write its name as `file:`";
    diags.push(entry.error("file", msg).with_hint(hint));
    None
}
