//! Themes: tera templates, static files, UI strings per language and chart
//! colours, compiled from the files [`crate::load::theme`] read (which
//! layers the built-in default theme, the site's `themes/default/` and the
//! theme named in report.yaml). Nothing here reads the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::error::{Diagnostic, Diagnostics};
pub use crate::load::theme::default_theme_file;
use crate::load::theme::{ThemeFile, ThemeFiles};
use crate::load::yaml;
use crate::model::number::{NumberWords, Numbers};
use crate::render::charts::ChartStyle;

/// UI strings and number words of one language.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    /// UI strings by key ("next_chapter").
    pub strings: BTreeMap<String, String>,
    /// How numbers are written.
    pub numbers: Numbers,
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

/// Compiles the theme files read by [`crate::load::theme::read`] for the
/// report's languages: templates, UI strings, chart style, static files.
pub fn compile(files: ThemeFiles, languages: &[String], diags: &mut Diagnostics) -> Option<Theme> {
    let config = theme_config(&files, diags)?;
    let i18n = i18n(&files, languages, diags);
    let tera = templates(&files, diags)?;
    let origins = files
        .iter()
        .filter_map(|(path, f)| {
            path.strip_prefix("templates/")
                .map(|p| (p.to_string(), f.origin.clone()))
        })
        .collect();
    let static_files = files
        .into_iter()
        .filter_map(|(path, f)| {
            path.strip_prefix("static/")
                .map(|p| (p.to_string(), f.bytes))
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

fn theme_config(files: &ThemeFiles, diags: &mut Diagnostics) -> Option<ThemeConfig> {
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
    files: &ThemeFiles,
    languages: &[String],
    diags: &mut Diagnostics,
) -> BTreeMap<String, I18n> {
    let english = files
        .get("i18n/en.yaml")
        .and_then(|f| i18n_file(f, diags))
        .unwrap_or_default();
    languages
        .iter()
        .map(|lang| {
            let path = format!("i18n/{lang}.yaml");
            let file = files.get(&path);
            let own = file.and_then(|f| i18n_file(f, diags));
            let mut strings = english.strings.clone();
            if let Some(own) = &own {
                strings.extend(own.strings.clone());
            } else if lang != "en" {
                let msg = format!("the theme has no UI strings for `{lang}`; English labels are used");
                let hint = format!("add themes/<theme>/i18n/{lang}.yaml (copy i18n/en.yaml from the default theme and translate it)");
                diags.push(Diagnostic::warning("content/report.yaml", 0, 0, msg).with_hint(hint));
            }
            // The default theme's number words for the language, under the
            // theme's own: a theme that translates the UI need not repeat them.
            let built_in = default_theme_file(&path)
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .and_then(|text| yaml::parse::<serde_yaml::Mapping>(text, Path::new(&path), 0).ok())
                .map(|m| numbers_block(&m))
                .unwrap_or_default();
            let theirs = own.map(|o| o.numbers).unwrap_or_default();
            let words = number_words(built_in, theirs, file, diags);
            let i18n = I18n {
                strings,
                numbers: Numbers::new(lang, words),
            };
            (lang.clone(), i18n)
        })
        .collect()
}

/// An i18n file as read: its UI strings and its `numbers:` block.
#[derive(Default)]
struct I18nFile {
    strings: BTreeMap<String, String>,
    numbers: serde_yaml::Mapping,
}

fn i18n_file(file: &ThemeFile, diags: &mut Diagnostics) -> Option<I18nFile> {
    let text = text_of(file, diags)?;
    let value: serde_yaml::Mapping = match yaml::parse(text, &file.origin, 0) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut strings = BTreeMap::new();
    for (key, value) in &value {
        let key = key.as_str().unwrap_or_default().to_string();
        if key == "numbers" {
            continue;
        } else if let Some(text) = yaml::scalar_text(value) {
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
    let numbers = numbers_block(&value);
    Some(I18nFile { strings, numbers })
}

fn numbers_block(file: &serde_yaml::Mapping) -> serde_yaml::Mapping {
    match file.get("numbers") {
        Some(serde_yaml::Value::Mapping(m)) => m.clone(),
        _ => serde_yaml::Mapping::new(),
    }
}

/// The number words of a language: a theme's `numbers:` keys over the
/// default theme's (a theme's `currencies:` and `units:` add to the
/// default's), over English.
fn number_words(
    mut base: serde_yaml::Mapping,
    overrides: serde_yaml::Mapping,
    file: Option<&ThemeFile>,
    diags: &mut Diagnostics,
) -> NumberWords {
    for (key, value) in overrides {
        match (base.get_mut(&key), value) {
            (Some(serde_yaml::Value::Mapping(inner)), serde_yaml::Value::Mapping(more)) => {
                inner.extend(more);
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
    let origin = file.map_or_else(|| PathBuf::from("i18n"), |f| f.origin.clone());
    let words = serde_yaml::from_value::<NumberWords>(serde_yaml::Value::Mapping(base))
        .map_err(|err| format!("numbers: {err}"))
        .and_then(|w| match w.missing_placeholder() {
            Some(problem) => Err(format!("numbers: {problem}")),
            None => Ok(w),
        });
    words.unwrap_or_else(|msg| {
        diags.push(Diagnostic::error(&origin, 0, 0, msg));
        NumberWords::default()
    })
}

fn templates(files: &ThemeFiles, diags: &mut Diagnostics) -> Option<Tera> {
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

fn template_diagnostic(err: &tera::Error, files: &ThemeFiles) -> Diagnostic {
    template_diagnostic_at(err, |name| origin(files, name))
}

fn origin(files: &ThemeFiles, template: &str) -> PathBuf {
    files.get(&format!("templates/{template}")).map_or_else(
        || PathBuf::from("themes").join(template),
        |f| f.origin.clone(),
    )
}
