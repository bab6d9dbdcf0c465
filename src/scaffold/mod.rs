//! `nianbao new`: writes a small report folder in the spec's layout that
//! builds and passes `check --strict` as it is: report.yaml, a foreword, one
//! chapter with two sections and a metrics.yaml with a chart, in every
//! language asked for, with comments and a README that explain each part;
//! with `--series`, the first year of a report series. [`add_year`](mod@add_year)
//! starts a series' next year from its latest one.

pub mod add_year;
mod files;
mod texts;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::lang::is_valid_code;
use crate::render::theme::default_theme_file;
use files::{Field, Plan};

pub use add_year::{AddYearOutcome, AddedYear, ConversionPlan, Converted, add_year};

/// What to create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The new report folder; it must not exist or be empty.
    pub dir: PathBuf,
    /// Language codes, the default first.
    pub languages: Vec<String>,
    /// `--title` values: `TEXT` for every language, or `LANG=TEXT` for one.
    pub titles: Vec<String>,
    /// The year the report covers (default: last year).
    pub year: Option<i32>,
    /// Start a report series: the report in `content/<year>/`, what the
    /// years share in `content/series.yaml`.
    pub series: bool,
}

/// What `new` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// The report folder.
    pub dir: PathBuf,
    /// The files written, relative to `dir`.
    pub files: Vec<PathBuf>,
    /// Languages whose text is an English placeholder to translate.
    pub placeholders: Vec<String>,
}

/// Writes the starter report.
pub fn new_report(options: &NewOptions) -> Result<Created, Error> {
    check_languages(&options.languages)?;
    let titles = parse_titles(&options.titles, &options.languages)?;
    check_empty(&options.dir)?;
    let year = options.year.unwrap_or_else(last_year).to_string();
    let plan = Plan {
        languages: &options.languages,
        titles: &titles,
        year,
    };
    let mut files = contents(&plan);
    if options.series {
        files = as_series(files, &plan.year)?;
    }
    for file in &files {
        write(&options.dir.join(&file.path), &file.text)?;
    }
    Ok(Created {
        dir: options.dir.clone(),
        files: files.into_iter().map(|f| f.path).collect(),
        placeholders: options
            .languages
            .iter()
            .filter(|l| !matches!(l.as_str(), "zh" | "en"))
            .cloned()
            .collect(),
    })
}

fn check_languages(languages: &[String]) -> Result<(), Error> {
    if languages.is_empty() {
        return Err(Error::Usage(
            "--languages needs at least one language code".into(),
        ));
    }
    for (i, code) in languages.iter().enumerate() {
        if !is_valid_code(code) {
            return Err(Error::Usage(format!(
                "`{code}` is not a language code; use lowercase ISO 639 codes such as zh,en,fr"
            )));
        }
        if languages[..i].contains(code) {
            return Err(Error::Usage(format!("language `{code}` is listed twice")));
        }
    }
    Ok(())
}

/// `--title "X"` is the title in every language; `--title en=X` in one.
fn parse_titles(
    values: &[String],
    languages: &[String],
) -> Result<BTreeMap<String, String>, Error> {
    let mut all = None;
    let mut own = BTreeMap::new();
    for value in values {
        match value
            .split_once('=')
            .filter(|(l, _)| languages.contains(&l.to_string()))
        {
            Some((lang, title)) => own.insert(lang.to_string(), title.trim().to_string()),
            None => all.replace(value.trim().to_string()),
        };
    }
    if all.iter().chain(own.values()).any(String::is_empty) {
        return Err(Error::Usage("--title needs a text".into()));
    }
    Ok(languages
        .iter()
        .filter_map(|l| own.get(l).or(all.as_ref()).map(|t| (l.clone(), t.clone())))
        .collect())
}

fn check_empty(dir: &Path) -> Result<(), Error> {
    let refuse = |reason: &str| Error::UnsafeOutput {
        path: dir.to_path_buf(),
        reason: reason.to_string(),
    };
    match fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(false) => Err(refuse(
            "it is not empty; `nianbao new` only writes into a new or empty folder",
        )),
        Ok(true) => Ok(()),
        Err(_) if dir.exists() => Err(refuse("it is not a folder")),
        Err(_) => Ok(()),
    }
}

/// A file of the starter report.
struct StarterFile {
    /// Relative to the report folder.
    path: PathBuf,
    text: String,
}

impl StarterFile {
    fn new(path: impl Into<PathBuf>, text: String) -> Self {
        Self {
            path: path.into(),
            text,
        }
    }
}

/// Every file of the starter report, in the order they are written.
fn contents(plan: &Plan<'_>) -> Vec<StarterFile> {
    let chapter = Path::new("content/01-our-year");
    let mut files = vec![
        StarterFile::new("README.md", readme(plan)),
        StarterFile::new(".gitignore", GITIGNORE.to_string()),
        StarterFile::new("content/report.yaml", plan.report_yaml()),
        StarterFile::new(chapter.join("metrics.yaml"), plan.metrics_yaml()),
    ];
    let title = |text| [Field { key: "title", text }];
    let chapter_front = [
        Field {
            key: "title",
            text: "chapter_title",
        },
        Field {
            key: "kicker",
            text: "chapter_kicker",
        },
        Field {
            key: "summary",
            text: "chapter_summary",
        },
    ];
    for lang in plan.languages {
        let page = |front: &[Field], body: &str| plan.page(lang, front, body);
        files.extend([
            StarterFile::new(
                format!("content/_index.{lang}.md"),
                page(&title("foreword_title"), "foreword"),
            ),
            StarterFile::new(
                chapter.join(format!("_index.{lang}.md")),
                page(&chapter_front, "chapter_lead"),
            ),
            StarterFile::new(
                chapter.join(format!("01-funds.{lang}.md")),
                page(&title("funds_title"), "funds"),
            ),
            StarterFile::new(
                chapter.join(format!("02-people.{lang}.md")),
                page(&title("people_title"), "people"),
            ),
        ]);
        if let Some(strings) = missing_ui_strings(lang) {
            let path = format!("themes/default/i18n/{lang}.yaml");
            files.push(StarterFile::new(path, strings));
        }
    }
    files
}

/// The starter report as the first year of a series: `content/` moves into
/// `content/<year>/`, and series.yaml takes the keys the years share.
fn as_series(files: Vec<StarterFile>, year: &str) -> Result<Vec<StarterFile>, Error> {
    let year_dir = Path::new("content").join(year);
    let mut out = Vec::with_capacity(files.len() + 1);
    for mut file in files {
        if file.path == Path::new("content/report.yaml") {
            let split = add_year::split_report(&file.text).map_err(Error::Usage)?;
            out.push(StarterFile::new("content/series.yaml", split.series_yaml));
            file.text = split.report_yaml;
        }
        if file.path == Path::new("README.md") {
            file.text.truncate(file.text.trim_end().len());
            file.text.push('\n');
            file.text.push_str(
                &README_SERIES.replace("{year}", year).replace(
                    "{next}",
                    &year
                        .parse::<i32>()
                        .map_or_else(|_| "<year>".into(), |y| (y + 1).to_string()),
                ),
            );
        }
        if let Ok(rest) = file.path.strip_prefix("content") {
            file.path = year_dir.join(rest);
        }
        out.push(file);
    }
    Ok(out)
}

const README_SERIES: &str = "
## A report series

This report is the first year of a series. `content/series.yaml` holds what
every year shares: languages, the series title, organisation, base_url,
theme, and `trends:` (metric ids drawn across the years). Each year is a
folder laid out as above: this one is `content/{year}/`, whose report.yaml
may leave out what series.yaml sets.

Start the next year with `nianbao add-year {next}`: the same chapters,
section texts kept as drafts to rewrite, every metric's value emptied (last
year's in a comment beside it). `nianbao check` lists the values still to
fill in and warns about texts still identical to last year's.
";

/// The default theme has UI strings for a few languages; for any other,
/// the English ones are written into the report's theme folder to translate
/// (without them every page would be labelled in English, with a warning).
fn missing_ui_strings(lang: &str) -> Option<String> {
    if default_theme_file(&format!("i18n/{lang}.yaml")).is_some() {
        return None;
    }
    let english = default_theme_file("i18n/en.yaml").map(String::from_utf8_lossy)?;
    Some(files::ui_strings(lang, &english))
}

fn readme(plan: &Plan<'_>) -> String {
    let languages = plan.languages.join(", ");
    let todo = plan
        .languages
        .iter()
        .filter(|l| !matches!(l.as_str(), "zh" | "en"))
        .map(|l| format!("- [ ] Translate the `{l}` text: search for `TODO({l})` (pages, YAML comments, themes/default/i18n/{l}.yaml).\n"))
        .collect::<String>();
    README
        .replace("{languages}", &languages)
        .replace("{year}", &plan.year)
        .replace("{todo}", &todo)
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// The year before the current one (UTC, from the system clock): an
/// annual report is almost always written the year after the one it covers.
fn last_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_before_day(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The year before the one of a day counted from 1970-01-01.
fn year_before_day(days: i64) -> i32 {
    year_of_day(days) - 1
}

/// The civil year of a day counted from 1970-01-01.
fn year_of_day(days: i64) -> i32 {
    let (year, _, _) = crate::pdf::document::civil_from_days(days);
    i32::try_from(year).unwrap_or(1970)
}

const GITIGNORE: &str = "# Built by `nianbao build`; publish with `nianbao publish`.\n/output/\n/.output.nianbao-*\n# Photos made for the web, kept so an unchanged one is not encoded again; safe to delete.\n/.nianbao-cache/\n";

const README: &str = include_str!("README.tmpl.md");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_days() {
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(364), 1970);
        assert_eq!(year_of_day(365), 1971);
        // 2024-12-31 and 2025-01-01.
        assert_eq!(year_of_day(20_088), 2024);
        assert_eq!(year_of_day(20_089), 2025);
    }

    #[test]
    fn the_default_year_is_the_one_before_today() {
        // 2025-01-01 and 2025-12-31: a report written in 2025 covers 2024.
        assert_eq!(year_before_day(20_089), 2024);
        assert_eq!(year_before_day(20_453), 2024);
        assert_eq!(year_before_day(20_454), 2025);
    }

    #[test]
    fn titles_for_all_or_one_language() {
        let langs = vec!["zh".to_string(), "en".to_string()];
        let t = parse_titles(&["Report".into(), "zh=年报".into()], &langs).unwrap();
        assert_eq!(t["zh"], "年报");
        assert_eq!(t["en"], "Report");
        let t = parse_titles(&["a=b".into()], &langs).unwrap();
        assert_eq!(t["en"], "a=b", "a prefix that is not a language is text");
        assert!(parse_titles(&["en=".into()], &langs).is_err());
    }

    #[test]
    fn languages_are_checked() {
        assert!(check_languages(&[]).is_err());
        assert!(check_languages(&["EN".into()]).is_err());
        assert!(check_languages(&["en".into(), "en".into()]).is_err());
        assert!(check_languages(&["zh".into(), "en".into(), "fr".into()]).is_ok());
    }
}
