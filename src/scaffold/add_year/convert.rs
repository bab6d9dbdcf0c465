//! A single-year `content/` made a series: every top-level entry moves into
//! `content/<year>/`, and `content/series.yaml` takes from report.yaml what
//! every year shares.
//!
//! Nothing is lost when it is stopped half-way: a journal listing every
//! move, the new report.yaml and series.yaml is written (atomically) before
//! anything moves; each move is a rename; the journal goes last. A run that
//! finds a journal finishes the conversion before anything else.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::edit::{self, parse, take_keys, without_year};
use super::{one, problem, write_atomic};
use crate::error::Error;
use crate::load::discover::MAX_FILE_BYTES;
use crate::load::fsguard::Boundary;
use crate::scaffold::files::quote;

/// The journal of a conversion, in `content/`.
pub(crate) const JOURNAL: &str = ".nianbao-convert.json";

/// The report.yaml keys series.yaml takes: the years inherit them.
pub(crate) const SERIES_KEYS: &[&str] =
    &["languages", "organization", "base_url", "theme", "domain"];

/// What a conversion does, written down before anything moves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Journal {
    /// The report's year: `content/` moves into `content/<year>/`.
    pub year: String,
    /// Names of the top-level entries of `content/` to move.
    pub moves: Vec<String>,
    /// The year's report.yaml once series.yaml has taken its keys.
    pub report_yaml: String,
    /// `content/series.yaml`.
    pub series_yaml: String,
    /// Files written again from their data (their comments lost), relative to `content/`.
    pub rewritten: Vec<String>,
    /// The keys series.yaml has, in order.
    pub series_keys: Vec<String>,
    /// The keys taken out of report.yaml.
    pub moved_keys: Vec<String>,
}

impl Journal {
    /// The journal of an interrupted conversion, if there is one.
    pub(crate) fn read(content: &Path) -> Result<Option<Journal>, Error> {
        let path = content.join(JOURNAL);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            problem(
                Path::new("content").join(JOURNAL),
                format!("the journal of an interrupted conversion cannot be read: {e}"),
                "compare content/ with content/<year>/ by hand, finish the moves, then delete this file",
            )
        })
    }

    /// Writes the journal (atomically: it is there whole or not at all).
    pub(crate) fn write(&self, content: &Path) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::io(&content.join(JOURNAL), std::io::Error::other(e)))?;
        write_atomic(&content.join(JOURNAL), &text)
    }
}

/// What a conversion did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The report's year: the folder `content/` moved into.
    pub year: String,
    /// Entries of `content/` moved by this run.
    pub moved: usize,
    /// True when an interrupted conversion was finished.
    pub resumed: bool,
    /// Files written again from their data, their comments lost (relative to the site root).
    pub rewritten: Vec<PathBuf>,
}

/// Plans the conversion of the single-year report in `root/content`.
pub(crate) fn plan(boundary: &Boundary, content: &Path) -> Result<Journal, Error> {
    let file = Path::new("content/report.yaml");
    let path = content.join("report.yaml");
    let bytes = boundary
        .read(&path, MAX_FILE_BYTES)
        .map_err(|r| Error::Content(one(r.diagnostic(file))))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        problem(
            file,
            "this file is not UTF-8 text".into(),
            "save it as UTF-8",
        )
    })?;
    let split = split_report(&text).map_err(|e| problem(file, e, HINT_REPORT))?;
    let moves = entries(content, &split.year)?;
    let mut rewritten = Vec::new();
    if split.report_rewritten {
        rewritten.push(format!("{}/report.yaml", split.year));
    }
    if split.series_rewritten {
        rewritten.push("series.yaml".to_string());
    }
    Ok(Journal {
        year: split.year,
        moves,
        report_yaml: split.report_yaml,
        series_yaml: split.series_yaml,
        rewritten,
        series_keys: split.series_keys,
        moved_keys: split.moved_keys,
    })
}

const HINT_REPORT: &str = "fix report.yaml (nianbao check shows where), then run add-year again";

/// The names of the top-level entries of `content/` that move (all but the
/// conversion's own files).
fn entries(content: &Path, year: &str) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for entry in fs::read_dir(content).map_err(|e| Error::io(content, e))? {
        let entry = entry.map_err(|e| Error::io(content, e))?;
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            return Err(problem(
                entry.path(),
                "this name is not UTF-8 text".into(),
                "rename it before converting",
            ));
        };
        if name == year {
            return Err(problem(
                Path::new("content").join(&name),
                format!("content/{name} exists already, so the report cannot move into it"),
                "rename or remove it, then run add-year --convert again",
            ));
        }
        if !is_own(&name) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Files add-year itself writes into `content/`, never moved.
fn is_own(name: &str) -> bool {
    name.starts_with(JOURNAL) || name.ends_with(".nianbao-part") || name.ends_with(".nianbao-tmp")
}

/// Carries out (or finishes) a conversion: the moves still pending, the
/// year's report.yaml, series.yaml, then the journal is removed.
pub(crate) fn apply(content: &Path, journal: &Journal, resumed: bool) -> Result<Converted, Error> {
    let dir = content.join(&journal.year);
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut moved = 0;
    for name in &journal.moves {
        let (from, to) = (content.join(name), dir.join(name));
        match (exists(&from), exists(&to)) {
            (true, false) => {
                fs::rename(&from, &to).map_err(|e| Error::io(&from, e))?;
                moved += 1;
            }
            (true, true) => {
                return Err(problem(
                    Path::new("content").join(name),
                    format!(
                        "both content/{name} and content/{}/{name} exist, so the conversion cannot finish",
                        journal.year
                    ),
                    "keep the one you want, remove the other, then run add-year again",
                ));
            }
            // Moved by the interrupted run (or removed since): nothing to do.
            _ => {}
        }
    }
    write_atomic(&dir.join("report.yaml"), &journal.report_yaml)?;
    write_atomic(&content.join("series.yaml"), &journal.series_yaml)?;
    let path = content.join(JOURNAL);
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Converted {
        year: journal.year.clone(),
        moved,
        resumed,
        rewritten: journal
            .rewritten
            .iter()
            .map(|f| Path::new("content").join(f))
            .collect(),
    })
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A report.yaml split into a year's report.yaml and series.yaml.
#[derive(Debug, Clone)]
pub(crate) struct SeriesSplit {
    /// The report's year, four digits.
    pub year: String,
    /// The year's report.yaml.
    pub report_yaml: String,
    /// series.yaml.
    pub series_yaml: String,
    /// report.yaml had to be written again from its data.
    pub report_rewritten: bool,
    /// series.yaml had to be written from its data.
    pub series_rewritten: bool,
    /// The keys of series.yaml, in order.
    pub series_keys: Vec<String>,
    /// The keys taken out of report.yaml.
    pub moved_keys: Vec<String>,
}

/// Splits a single-year report.yaml: the keys every year shares go to
/// series.yaml (with their comments), with a series title (the report's
/// without its year) and `trends:` (the report's highlights).
pub(crate) fn split_report(text: &str) -> Result<SeriesSplit, String> {
    let data = parse(text).map_err(|e| format!("report.yaml cannot be read: {e}"))?;
    let year = plain_year(data.get("year"))?;
    let split = take_keys(text, SERIES_KEYS)?;
    let taken = |key: &str| {
        split
            .taken
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t.clone())
    };
    let languages = languages_of(&data);
    let title = series_title(&data, &languages, &year);
    let trends = data
        .get("highlights")
        .cloned()
        .unwrap_or(Value::Sequence(Vec::new()));
    let mut text = String::from(SERIES_HEAD);
    let mut expected = Vec::new();
    let mut keys = Vec::new();
    let mut add = |key: &'static str, block: String, value: Value| {
        text.push('\n');
        text.push_str(&block);
        expected.push((key, value));
        keys.push(key.to_string());
    };
    for key in [
        "languages",
        "title",
        "organization",
        "base_url",
        "theme",
        "domain",
        "trends",
    ] {
        let found = data.get(key).cloned();
        match key {
            "title" => add(key, title_block(&title, &languages), title_value(&title)),
            "trends" => add(key, trends_block(&trends), trends.clone()),
            "base_url" | "theme" if found.is_none() => {
                let (default, written) = if key == "base_url" {
                    ("/", "\"/\"")
                } else {
                    ("default", "default")
                };
                add(key, format!("{key}: {written}\n"), Value::from(default));
            }
            _ => {
                if let (Some(block), Some(value)) = (taken(key), found) {
                    add(key, block, value);
                }
            }
        }
    }
    let expected = edit::mapping(expected);
    let series_rewritten = !parse(&text).is_ok_and(|v| v == expected);
    if series_rewritten {
        text = serde_yaml::to_string(&expected).map_err(|e| e.to_string())?;
    }
    Ok(SeriesSplit {
        year,
        report_yaml: split.rest.text,
        series_yaml: text,
        report_rewritten: split.rest.rewritten,
        series_rewritten,
        series_keys: keys,
        moved_keys: split.taken.into_iter().map(|(k, _)| k).collect(),
    })
}

const SERIES_HEAD: &str = "\
# series.yaml: what every year of this report series shares. Each year is a
# folder content/<year>/ that holds a report (report.yaml, foreword,
# chapters, assets); its report.yaml may leave out languages, organization,
# base_url, theme and domain, which come from here (a value it sets wins).
# Start a new year with `nianbao add-year <year>`.
";

/// The year as a folder name: a plain four-digit year.
fn plain_year(value: Option<&Value>) -> Result<String, String> {
    let text = match value {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
        None => String::new(),
    };
    if super::is_year(&text) {
        Ok(text)
    } else {
        Err(format!(
            "`year: {text}` is not a plain year such as 2021, so it cannot name the report's folder in a series (content/<year>/)"
        ))
    }
}

fn languages_of(data: &Value) -> Vec<String> {
    match data.get("languages") {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// A text of report.yaml in one language (a plain text is every language's).
fn text_in(value: Option<&Value>, lang: &str) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Mapping(map) => map.get(lang).and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

/// The series title per language: the report's title without its year,
/// else the organisation's name and "annual reports".
fn series_title(data: &Value, languages: &[String], year: &str) -> Vec<(String, String)> {
    languages
        .iter()
        .map(|lang| {
            let own = text_in(data.get("title"), lang)
                .map(|t| without_year(&t, year))
                .filter(|t| !t.is_empty());
            let title = own.unwrap_or_else(|| {
                let chinese = lang == "zh" || lang.starts_with("zh-");
                match (text_in(data.get("organization"), lang), chinese) {
                    (Some(org), true) => format!("{org}年度报告"),
                    (Some(org), false) => format!("{org} annual reports"),
                    (None, true) => "年度报告".to_string(),
                    (None, false) => "Annual reports".to_string(),
                }
            });
            (lang.clone(), title)
        })
        .collect()
}

fn title_block(title: &[(String, String)], languages: &[String]) -> String {
    let mut out = String::from("# The series' title, on the home page of all the years.\ntitle:\n");
    for (lang, text) in title {
        out.push_str(&format!("  {lang}: {}\n", quote(text)));
    }
    if languages.is_empty() {
        out = String::from("title: \"\"\n");
    }
    out
}

fn title_value(title: &[(String, String)]) -> Value {
    if title.is_empty() {
        return Value::from("");
    }
    let mut map = serde_yaml::Mapping::new();
    for (lang, text) in title {
        map.insert(Value::from(lang.as_str()), Value::from(text.as_str()));
    }
    Value::Mapping(map)
}

fn trends_block(trends: &Value) -> String {
    let ids: Vec<String> = match trends {
        Value::Sequence(items) => items
            .iter()
            .map(|v| match v.as_str() {
                Some(id) if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    id.to_string()
                }
                Some(other) => quote(other),
                None => serde_yaml::to_string(v)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    format!(
        "# Metric ids drawn across the years on the series home page (at first\n# the report's highlights).\ntrends: [{}]\n",
        ids.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "\
# The report.
languages: [zh, en]
year: 2021
title: { zh: \"绿洲基金会2021年度报告\", en: \"Oasis Foundation Annual Report 2021\" }
organization: { zh: \"绿洲基金会\", en: \"Oasis Foundation\" }
# Where it is published.
base_url: \"/report/\"
highlights: [funds_raised, volunteers]
";

    #[test]
    fn a_report_splits_into_a_year_and_a_series() {
        let split = split_report(REPORT).unwrap();
        assert_eq!(split.year, "2021");
        assert!(
            !split.report_rewritten && !split.series_rewritten,
            "{}",
            split.series_yaml
        );
        assert_eq!(
            split.report_yaml,
            "# The report.\nyear: 2021\ntitle: { zh: \"绿洲基金会2021年度报告\", en: \"Oasis Foundation Annual Report 2021\" }\nhighlights: [funds_raised, volunteers]\n"
        );
        let series = parse(&split.series_yaml).unwrap();
        assert_eq!(series["title"]["zh"], Value::from("绿洲基金会年度报告"));
        assert_eq!(
            series["title"]["en"],
            Value::from("Oasis Foundation Annual Report")
        );
        assert_eq!(series["base_url"], Value::from("/report/"));
        assert_eq!(series["theme"], Value::from("default"));
        assert_eq!(series["trends"][1], Value::from("volunteers"));
        assert!(
            split
                .series_yaml
                .contains("# Where it is published.\nbase_url")
        );
        assert_eq!(
            split.series_keys,
            [
                "languages",
                "title",
                "organization",
                "base_url",
                "theme",
                "trends"
            ]
        );
        assert_eq!(split.moved_keys, ["languages", "organization", "base_url"]);
    }

    #[test]
    fn only_a_plain_year_names_a_folder() {
        let text = REPORT.replace("year: 2021", "year: \"2020–2021\"");
        assert!(split_report(&text).unwrap_err().contains("2020–2021"));
        assert_eq!(
            split_report(&REPORT.replace("year: 2021", "year: \"2021\""))
                .unwrap()
                .year,
            "2021"
        );
    }

    #[test]
    fn an_interrupted_conversion_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir_all(content.join("01-a")).unwrap();
        fs::write(content.join("report.yaml"), REPORT).unwrap();
        fs::write(content.join("_index.zh.md"), "---\ntitle: x\n---\n").unwrap();
        fs::write(
            content.join("01-a/metrics.yaml"),
            "metrics:\n  - id: a\n    value: 1\n",
        )
        .unwrap();
        let boundary = Boundary::new(dir.path());
        let journal = plan(&boundary, &content).unwrap();
        journal.write(&content).unwrap();
        // Stopped after the first move.
        fs::create_dir_all(content.join("2021")).unwrap();
        let first = &journal.moves[0];
        fs::rename(content.join(first), content.join("2021").join(first)).unwrap();
        let outcome = super::super::add_year(dir.path(), "2022", false).unwrap();
        let super::super::AddYearOutcome::Added(added) = outcome else {
            panic!("not added")
        };
        let converted = added.converted.unwrap();
        assert!(converted.resumed);
        assert_eq!(converted.moved, journal.moves.len() - 1);
        assert!(!content.join(JOURNAL).exists());
        assert!(content.join("series.yaml").exists());
        assert!(content.join("2021/01-a/metrics.yaml").exists());
        assert!(content.join("2022/01-a/metrics.yaml").exists());
        assert!(!content.join("report.yaml").exists());
    }
}
