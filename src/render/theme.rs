//! Themes: tera templates, static files, UI strings per language and chart
//! colours. Layers, last wins: the default theme embedded in the binary,
//! the site's `themes/default/`, then the theme named in report.yaml. So a
//! report folder without `themes/` builds, and a custom theme only needs the
//! files it changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::{MAX_FILE_BYTES, is_ignored, relative};
use crate::load::fsguard::{Boundary, Kind, Refusal};
use crate::load::yaml;
use crate::model::number::NumberWords;
use crate::render::charts::ChartStyle;

/// A file of a theme, with where it came from for messages.
#[derive(Debug, Clone)]
struct ThemeFile {
    origin: PathBuf,
    bytes: Vec<u8>,
}

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
    "templates/chapter.html",
    "templates/404.html",
    "templates/print.html",
    "templates/partials/cards.html",
    "templates/partials/opening.html",
    "templates/partials/header.html",
    "templates/partials/footer.html",
    "i18n/zh.yaml",
    "i18n/en.yaml",
    "static/style.css",
];

/// A file of the built-in default theme by its path (`i18n/en.yaml`).
pub fn default_theme_file(path: &str) -> Option<&'static [u8]> {
    EMBEDDED
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, bytes)| *bytes)
}

/// UI strings and number words of one language.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    /// UI strings by key ("next_chapter").
    pub strings: BTreeMap<String, String>,
    /// How numbers are written.
    pub numbers: NumberWords,
}

/// `theme.yaml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeConfig {
    chart: ChartStyle,
}

/// A loaded theme.
pub struct Theme {
    /// Compiled templates.
    pub tera: Tera,
    /// UI strings by language code.
    pub i18n: BTreeMap<String, I18n>,
    /// Static files by path below `static/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Chart colours and fonts.
    pub chart: ChartStyle,
    /// Where each template came from, for messages.
    pub origins: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Turns a rendering error into a diagnostic at the template's position.
    pub fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        template_diagnostic_at(err, |name| {
            self.origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from("templates").join(name))
        })
    }
}

/// Loads the theme `name` for the report's languages.
pub fn load(
    root: &Path,
    name: &str,
    languages: &[String],
    diags: &mut Diagnostics,
) -> Option<Theme> {
    let mut files: BTreeMap<String, ThemeFile> = EMBEDDED
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
    let config = theme_config(&files, diags)?;
    let i18n = i18n(&files, languages, diags);
    let tera = templates(&files, diags)?;
    let static_files = files
        .iter()
        .filter_map(|(path, f)| {
            path.strip_prefix("static/")
                .map(|p| (p.to_string(), f.bytes.clone()))
        })
        .collect();
    let origins = files
        .iter()
        .filter_map(|(path, f)| {
            path.strip_prefix("templates/")
                .map(|p| (p.to_string(), f.origin.clone()))
        })
        .collect();
    Some(Theme {
        tera,
        i18n,
        static_files,
        chart: config.chart,
        origins,
    })
}

/// Theme files are read whole and kept in memory (fonts included); a theme
/// never needs more per file.
const MAX_THEME_FILE_BYTES: u64 = 4 * MAX_FILE_BYTES;

fn overlay(
    files: &mut BTreeMap<String, ThemeFile>,
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) {
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

fn text_of<'a>(file: &'a ThemeFile, diags: &mut Diagnostics) -> Option<&'a str> {
    match std::str::from_utf8(&file.bytes) {
        Ok(text) => Some(text),
        Err(_) => {
            diags.push(Diagnostic::error(
                &file.origin,
                0,
                0,
                "the file is not valid UTF-8 text",
            ));
            None
        }
    }
}

fn theme_config(
    files: &BTreeMap<String, ThemeFile>,
    diags: &mut Diagnostics,
) -> Option<ThemeConfig> {
    let file = files.get("theme.yaml")?;
    let text = text_of(file, diags)?;
    match yaml::parse::<ThemeConfig>(text, &file.origin, 0) {
        Ok(config) if config.chart.palette.is_empty() => {
            diags.push(Diagnostic::error(
                &file.origin,
                0,
                0,
                "chart.palette must list at least one colour",
            ));
            None
        }
        Ok(config) => Some(config),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

fn i18n(
    files: &BTreeMap<String, ThemeFile>,
    languages: &[String],
    diags: &mut Diagnostics,
) -> BTreeMap<String, I18n> {
    let english = files
        .get("i18n/en.yaml")
        .and_then(|f| i18n_file(f, "en", diags))
        .unwrap_or_default();
    languages
        .iter()
        .map(|lang| {
            let own = files.get(&format!("i18n/{lang}.yaml")).and_then(|f| i18n_file(f, lang, diags));
            let mut merged = english.clone();
            merged.numbers = NumberWords::for_language(lang);
            match own {
                Some(own) => {
                    merged.strings.extend(own.strings);
                    merged.numbers = own.numbers;
                }
                None if lang != "en" => {
                    let msg = format!("the theme has no UI strings for `{lang}`; English labels are used");
                    let hint = format!("add themes/<theme>/i18n/{lang}.yaml (copy i18n/en.yaml from the default theme and translate it)");
                    diags.push(Diagnostic::warning("content/report.yaml", 0, 0, msg).with_hint(hint));
                }
                None => {}
            }
            (lang.clone(), merged)
        })
        .collect()
}

fn i18n_file(file: &ThemeFile, lang: &str, diags: &mut Diagnostics) -> Option<I18n> {
    let text = text_of(file, diags)?;
    let value: serde_yaml::Mapping = match yaml::parse(text, &file.origin, 0) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut strings = BTreeMap::new();
    let mut numbers = NumberWords::for_language(lang);
    for (key, value) in value {
        let key = key.as_str().unwrap_or_default().to_string();
        if key == "numbers" {
            numbers = merge_numbers(numbers, value, file, diags);
        } else if let Some(text) = yaml::scalar_text(&value) {
            strings.insert(key, text);
        } else {
            diags.push(Diagnostic::error(
                &file.origin,
                0,
                0,
                format!("UI string `{key}` must be text"),
            ));
        }
    }
    Some(I18n { strings, numbers })
}

/// Overlays the `numbers:` keys a theme gives onto the language's defaults.
fn merge_numbers(
    defaults: NumberWords,
    overrides: serde_yaml::Value,
    file: &ThemeFile,
    diags: &mut Diagnostics,
) -> NumberWords {
    let mut base = match serde_yaml::to_value(&defaults) {
        Ok(serde_yaml::Value::Mapping(m)) => m,
        _ => return defaults,
    };
    if let serde_yaml::Value::Mapping(over) = overrides {
        base.extend(over);
    }
    serde_yaml::from_value(serde_yaml::Value::Mapping(base)).unwrap_or_else(|err| {
        diags.push(Diagnostic::error(
            &file.origin,
            0,
            0,
            format!("numbers: {err}"),
        ));
        defaults
    })
}

fn templates(files: &BTreeMap<String, ThemeFile>, diags: &mut Diagnostics) -> Option<Tera> {
    let mut tera = Tera::default();
    let mut sources = Vec::new();
    for (path, file) in files {
        let Some(name) = path.strip_prefix("templates/") else {
            continue;
        };
        sources.push((name.to_string(), text_of(file, diags)?.to_string()));
    }
    match tera.add_raw_templates(sources) {
        Ok(()) => Some(tera),
        Err(err) => {
            diags.push(template_diagnostic(&err, files));
            None
        }
    }
}

/// Turns a tera error into a diagnostic at the template's file, line and column.
pub fn template_diagnostic_at(
    err: &tera::Error,
    origin_of: impl Fn(&str) -> PathBuf,
) -> Diagnostic {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let msg = format!("template error: {}", report.message());
            Diagnostic::error(
                origin_of(report.filename()),
                span.start_line,
                span.start_col + 1,
                msg,
            )
        }
        _ => Diagnostic::error(origin_of(""), 0, 0, format!("template error: {err}")),
    }
}

fn template_diagnostic(err: &tera::Error, files: &BTreeMap<String, ThemeFile>) -> Diagnostic {
    template_diagnostic_at(err, |name| origin(files, name))
}

fn origin(files: &BTreeMap<String, ThemeFile>, template: &str) -> PathBuf {
    files.get(&format!("templates/{template}")).map_or_else(
        || PathBuf::from("themes").join(template),
        |f| f.origin.clone(),
    )
}
