//! `nianbao add-year`: starts the next year of a report series from the
//! latest one: the same chapters, section files (their text kept as a draft
//! to rewrite), metric ids, labels, units and charts, with every metric's
//! `value` emptied (last year's kept in a comment beside it) and the
//! `previous:` / `change:` a series computes from the years' data removed.
//!
//! The new year is written into a hidden sibling folder and renamed into
//! place, so an interrupted run leaves no half-made year (the next run
//! removes its leftover). A single-year `content/` is made a series first
//! with `--convert` (the `convert` submodule, interruption-safe through a
//! journal); without it, the conversion is only described.

mod convert;
mod edit;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::load::discover::{MAX_FILE_BYTES, is_ignored};
use crate::load::fsguard::{Boundary, Kind};

pub use convert::Converted;
pub(crate) use convert::split_report;

/// What `add-year` did.
#[derive(Debug, Clone)]
pub enum AddYearOutcome {
    /// `content/` holds a single-year report and `--convert` was not given:
    /// what the conversion would do. Nothing was changed.
    WouldConvert(ConversionPlan),
    /// The new year was created.
    Added(AddedYear),
}

/// What converting a single-year `content/` into a series would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionPlan {
    /// The report's year: `content/` would move into `content/<year>/`.
    pub year: String,
    /// The top-level entries of `content/` that would move, by name.
    pub moves: Vec<String>,
    /// The keys `content/series.yaml` would have, in order.
    pub series_keys: Vec<String>,
    /// The keys that would move out of report.yaml into series.yaml.
    pub moved_keys: Vec<String>,
    /// The year that would then be added.
    pub new_year: String,
}

/// The year `add-year` created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedYear {
    /// The new year.
    pub year: String,
    /// The year it was made from (the latest before it).
    pub from: String,
    /// Its folder, relative to the site root (`content/2022`).
    pub dir: PathBuf,
    /// How many files were written into it.
    pub files: usize,
    /// How many metric values were emptied.
    pub emptied: usize,
    /// Files written again from their data, their comments and layout lost
    /// (relative to the site root): YAML the line-by-line edit could not
    /// handle, such as flow-style metrics (`- { id: x, value: 3 }`).
    pub rewritten: Vec<PathBuf>,
    /// The conversion of a single-year `content/` done (or finished) first.
    pub converted: Option<Converted>,
    /// True when the leftover of an interrupted add-year was removed.
    pub leftover_removed: bool,
}

/// Adds `year` to the report series at `root` (the site folder holding
/// `content/`), copied from its latest year.
///
/// `year` must be four digits, later than every year of the series, and
/// not exist yet. At a single-year root (`content/report.yaml`, no
/// `content/series.yaml`) it returns [`AddYearOutcome::WouldConvert`]
/// and changes nothing unless `convert` is true; then the report moves
/// into `content/<its year>/` and `content/series.yaml` is written before
/// the year is added. An interrupted conversion is always finished first.
///
/// Errors: [`Error::Usage`] for a `year` that is not a year or is before
/// the latest one; [`Error::Content`] for a year that exists, a root with
/// no report or no year to start from, files that cannot be copied
/// (symlinks leading out of the report, special files) and YAML that
/// cannot be read.
pub fn add_year(root: &Path, year: &str, convert: bool) -> Result<AddYearOutcome, Error> {
    if !is_year(year) {
        return Err(Error::Usage(format!(
            "`{year}` is not a year: give four digits, such as 2022"
        )));
    }
    let content = root.join("content");
    let boundary = Boundary::new(root);
    let mut converted = None;
    if let Some(journal) = convert::Journal::read(&content)? {
        let mut years = year_folders(&boundary, &content);
        years.push(journal.year.clone());
        latest_before(&years, year)?;
        converted = Some(convert::apply(&content, &journal, true)?);
    } else if !content.join("series.yaml").exists() {
        if !content.join("report.yaml").exists() {
            return Err(problem(
                "content",
                format!(
                    "no report here: {} has neither series.yaml nor report.yaml",
                    content.display()
                ),
                "run add-year at the root of a report (the folder holding content/), or give --root",
            ));
        }
        let journal = convert::plan(&boundary, &content)?;
        latest_before(std::slice::from_ref(&journal.year), year)?;
        let (_, refused) = boundary.files_below(&content, is_ignored);
        if refused.has_errors() {
            return Err(Error::Content(refused));
        }
        if !convert {
            return Ok(AddYearOutcome::WouldConvert(ConversionPlan {
                year: journal.year,
                moves: journal.moves,
                series_keys: journal.series_keys,
                moved_keys: journal.moved_keys,
                new_year: year.to_string(),
            }));
        }
        journal.write(&content)?;
        converted = Some(convert::apply(&content, &journal, false)?);
    }
    let from = latest_before(&year_folders(&boundary, &content), year)?;
    let mut added = copy_year(&boundary, &content, &from, year)?;
    added.converted = converted;
    Ok(AddYearOutcome::Added(added))
}

/// True for a plain year: four ASCII digits, not starting with 0.
pub(crate) fn is_year(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0')
}

/// The years of the series: folders of `content/` named by a year.
fn year_folders(boundary: &Boundary, content: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(content) else {
        return Vec::new();
    };
    let mut years: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let dir = matches!(boundary.kind(&e.path()), Ok(Kind::Dir));
            (is_year(&name) && dir).then_some(name)
        })
        .collect();
    years.sort();
    years
}

/// The latest of `years`, checking that `year` can follow it.
fn latest_before(years: &[String], year: &str) -> Result<String, Error> {
    let Some(latest) = years.iter().max() else {
        return Err(problem(
            "content",
            "the series has no year to start from: no folder of content/ is named by a year".into(),
            "a series keeps each year in a folder such as content/2021/",
        ));
    };
    if years.iter().any(|y| y == year) {
        return Err(problem(
            Path::new("content").join(year),
            format!("{year} exists already (content/{year}/)"),
            "add-year only starts a new year; edit this one, or remove it to start it again",
        ));
    }
    if year < latest.as_str() {
        return Err(Error::Usage(format!(
            "{year} is before {latest}, the latest year: add-year starts a year after the latest one"
        )));
    }
    Ok(latest.clone())
}

/// Copies `content/<from>` to `content/<to>` through a hidden sibling folder.
fn copy_year(
    boundary: &Boundary,
    content: &Path,
    from: &str,
    to: &str,
) -> Result<AddedYear, Error> {
    let target = content.join(to);
    let temp = content.join(format!(".{to}.nianbao-tmp"));
    let leftover_removed = remove_leftover(&temp)?;
    let (files, refused) = boundary.files_below(&content.join(from), is_ignored);
    if refused.has_errors() {
        return Err(Error::Content(refused));
    }
    let mut added = AddedYear {
        year: to.to_string(),
        from: from.to_string(),
        dir: Path::new("content").join(to),
        files: 0,
        emptied: 0,
        rewritten: Vec::new(),
        converted: None,
        leftover_removed,
    };
    let copied = files
        .iter()
        .try_for_each(|(source, rel)| copy_file(boundary, source, rel, &temp, &mut added));
    if let Err(err) =
        copied.and_then(|()| fs::rename(&temp, &target).map_err(|e| Error::io(&target, e)))
    {
        // Best effort: the next run removes what is left anyway.
        let _ = fs::remove_dir_all(&temp);
        return Err(err);
    }
    Ok(added)
}

/// Removes the folder an interrupted add-year left; true when there was one.
fn remove_leftover(temp: &Path) -> Result<bool, Error> {
    match fs::symlink_metadata(temp) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(temp),
        Ok(_) => fs::remove_file(temp),
        Err(_) => return Ok(false),
    }
    .map_err(|e| Error::io(temp, e))?;
    Ok(true)
}

/// One file of the year: metrics.yaml and report.yaml edited, the rest
/// copied byte for byte.
fn copy_file(
    boundary: &Boundary,
    source: &Path,
    rel: &Path,
    temp: &Path,
    added: &mut AddedYear,
) -> Result<(), Error> {
    let dest = temp.join(rel);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let shown = added.dir.join(rel);
    let is_metrics = rel.file_name().is_some_and(|n| n == "metrics.yaml")
        && rel.components().count() <= 2
        && !rel.starts_with("assets");
    if rel == Path::new("report.yaml") || is_metrics {
        let text = read_text(boundary, source)?;
        let edited = if is_metrics {
            edit::empty_metrics(&text, &added.from)
        } else {
            edit::next_report(&text, &added.from, &added.year)
        }
        .map_err(|e| {
            let file = boundary.relative(source);
            problem(
                file,
                format!("this YAML cannot be read: {e}"),
                "fix it (nianbao check shows where), then run add-year again",
            )
        })?;
        added.emptied += edited.emptied;
        if edited.rewritten {
            added.rewritten.push(shown);
        }
        fs::write(&dest, edited.text).map_err(|e| Error::io(&dest, e))?;
    } else {
        let (mut file, _) = boundary
            .open(source)
            .map_err(|r| Error::Content(one(r.diagnostic(&boundary.relative(source)))))?;
        let mut out = fs::File::create(&dest).map_err(|e| Error::io(&dest, e))?;
        io::copy(&mut file, &mut out).map_err(|e| Error::io(source, e))?;
    }
    added.files += 1;
    Ok(())
}

fn read_text(boundary: &Boundary, path: &Path) -> Result<String, Error> {
    let file = boundary.relative(path);
    let bytes = boundary
        .read(path, MAX_FILE_BYTES)
        .map_err(|r| Error::Content(one(r.diagnostic(&file))))?;
    String::from_utf8(bytes).map_err(|_| {
        problem(
            file,
            "this file is not UTF-8 text".into(),
            "save it as UTF-8",
        )
    })
}

/// A content problem: one error about a file, with a hint.
pub(crate) fn problem(file: impl Into<PathBuf>, message: String, hint: &str) -> Error {
    Error::Content(one(Diagnostic::error(file, 0, 0, message).with_hint(hint)))
}

fn one(diagnostic: Diagnostic) -> Diagnostics {
    let mut diags = Diagnostics::new();
    diags.push(diagnostic);
    diags
}

/// Writes a file whole or not at all: into a hidden sibling, then renamed.
pub(crate) fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let part = path.with_file_name(format!(".{name}.nianbao-part"));
    fs::write(&part, text).map_err(|e| Error::io(&part, e))?;
    fs::rename(&part, path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits() {
        for ok in ["2021", "1999", "9999"] {
            assert!(is_year(ok), "{ok}");
        }
        for bad in ["21", "20210", "0999", "２０２１", "2021a", ""] {
            assert!(!is_year(bad), "{bad}");
        }
    }

    #[test]
    fn a_new_year_follows_the_latest() {
        let years = vec!["2020".to_string(), "2021".to_string()];
        assert_eq!(latest_before(&years, "2022").unwrap(), "2021");
        assert_eq!(latest_before(&years, "2030").unwrap(), "2021");
        assert!(matches!(
            latest_before(&years, "2021"),
            Err(Error::Content(_))
        ));
        assert!(matches!(
            latest_before(&years, "2019"),
            Err(Error::Usage(_))
        ));
        assert!(matches!(latest_before(&[], "2019"), Err(Error::Content(_))));
    }
}
