//! Reads a report series: `content/series.yaml` and the year folders
//! beside it (`content/2020/`), each a report folder of its own. The years
//! themselves are read one at a time by [`crate::load::discover_in`], so
//! only one year is ever held in memory.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::{read_text, relative};
use crate::load::fsguard::{Boundary, Kind};
use crate::load::logo::{self, RawLogo};
use crate::load::yaml::{self, RawReport, RawSeries};

/// The file that makes `content/` a series.
pub const SERIES_FILE: &str = "series.yaml";

/// `series.yaml` and the years found beside it.
#[derive(Debug, Clone)]
pub struct RawSeriesSite {
    /// `content/series.yaml`, relative to the site root.
    pub file: PathBuf,
    /// Its text (for positions).
    pub text: String,
    /// Its content.
    pub raw: RawSeries,
    /// Year folders, oldest first.
    pub years: Vec<RawYearFolder>,
    /// The logo series.yaml's `brand:` names, as read.
    pub logo: Option<RawLogo>,
}

/// A year folder, with the languages its report.yaml names (read ahead so
/// every year can link to every other before any is built).
#[derive(Debug, Clone)]
pub struct RawYearFolder {
    /// The year (the folder's name).
    pub year: String,
    /// The folder.
    pub dir: PathBuf,
    /// Its report.yaml, relative to the site root.
    pub report_file: PathBuf,
    /// `languages:` of its report.yaml, when it names them and could be read.
    pub languages: Option<Vec<String>>,
}

/// True when the site at `root` is a series (`content/series.yaml` exists).
pub fn is_series(root: &Path) -> bool {
    root.join("content")
        .join(SERIES_FILE)
        .symlink_metadata()
        .is_ok()
}

/// Reads `content/series.yaml` and lists the year folders. Problems are
/// collected; `None` when series.yaml itself is unusable.
pub fn discover_series(root: &Path) -> (Option<RawSeriesSite>, Diagnostics) {
    let boundary = Boundary::new(root);
    let mut diags = Diagnostics::new();
    let content = root.join("content");
    let path = content.join(SERIES_FILE);
    let Some(text) = read_text(&boundary, &path, &mut diags) else {
        return (None, diags);
    };
    let file = relative(root, &path);
    let raw = match yaml::parse::<RawSeries>(&text, &file, 0) {
        Ok(raw) => raw,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let written_logo = raw.brand.as_ref().and_then(|b| b.logo.clone());
    let logo = written_logo.map(|w| logo::read(&boundary, &content, &w));
    let logo_entry = logo.as_ref().and_then(|l| logo::top_entry(&l.written));
    let years = year_folders(root, &boundary, &content, logo_entry.as_deref(), &mut diags);
    let site = RawSeriesSite {
        file,
        text,
        raw,
        years,
        logo,
    };
    (Some(site), diags)
}

/// The year folders of `content/`, oldest first. Anything else at the top
/// of a series is reported: a series holds one folder per year, and the
/// file or folder (`logo_entry`) holding the series' logo.
fn year_folders(
    root: &Path,
    boundary: &Boundary,
    content: &Path,
    logo_entry: Option<&str>,
    diags: &mut Diagnostics,
) -> Vec<RawYearFolder> {
    let entries = match std::fs::read_dir(content) {
        Ok(entries) => entries,
        Err(err) => {
            diags.push(Diagnostic::error(
                "content",
                0,
                0,
                format!("cannot read folder: {err}"),
            ));
            return Vec::new();
        }
    };
    let mut years: Vec<(u64, RawYearFolder)> = Vec::new();
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == SERIES_FILE
            || crate::load::discover::is_ignored(&name)
            || (logo_entry == Some(name.as_str()) && year_number(&name).is_none())
        {
            continue;
        }
        let rel = relative(root, &path);
        match boundary.kind(&path) {
            Err(refusal) => diags.push(refusal.diagnostic(&rel)),
            Ok(Kind::Dir) => match year_number(&name) {
                Some(number) => years.push((number, year_folder(root, boundary, &path, name))),
                None => {
                    let msg = format!(
                        "`{name}` is not a year: a series holds one report folder per year"
                    );
                    let hint = "name report folders by their year (content/2021/), or move this folder out of content/";
                    diags.push(Diagnostic::error(rel, 0, 0, msg).with_hint(hint));
                }
            },
            Ok(_) if name == "report.yaml" => {
                let msg = "content/ holds both series.yaml and report.yaml";
                let hint = "in a series each year's report.yaml is in its year folder (content/2020/report.yaml); `nianbao add-year --convert` finishes a conversion that was stopped";
                diags.push(Diagnostic::error(rel, 0, 0, msg).with_hint(hint));
            }
            Ok(_) => {
                let msg = "this file is not part of the series and is not copied";
                let hint = "put files to publish in a year's assets/ folder";
                diags.push(Diagnostic::warning(rel, 0, 0, msg).with_hint(hint));
            }
        }
    }
    years.sort_by_key(|(n, _)| *n);
    years.into_iter().map(|(_, y)| y).collect()
}

/// A year folder's name as a number: digits only, at most four.
fn year_number(name: &str) -> Option<u64> {
    let digits = !name.is_empty() && name.len() <= 4 && name.chars().all(|c| c.is_ascii_digit());
    digits.then(|| name.parse().ok()).flatten()
}

fn year_folder(root: &Path, boundary: &Boundary, dir: &Path, year: String) -> RawYearFolder {
    let report = dir.join("report.yaml");
    // Errors are the year's own build's to report, with everything else in it.
    let languages = read_text(boundary, &report, &mut Diagnostics::new())
        .and_then(|text| yaml::parse::<RawReport>(&text, &report, 0).ok())
        .and_then(|r| r.languages);
    RawYearFolder {
        year,
        dir: dir.to_path_buf(),
        report_file: relative(root, &report),
        languages,
    }
}
