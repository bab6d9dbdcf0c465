//! Stale translations: the source changed since the translation was made.
//! (Missing and orphan translations are found while the model is built.)
//!
//! A translation records the source it was made from with a stamp in its
//! front matter, `translated_from: "3f9a1c07e2"` (quoted: a stamp of
//! digits alone would otherwise be read as a number). The stamp is a fingerprint
//! of the default-language file; `nianbao check` prints the current one
//! whenever they differ, so an author who has brought a translation up to
//! date pastes the new stamp and the warning goes away.

use crate::error::{Diagnostic, Diagnostics};
use crate::load::discover::Page;
use crate::load::locate;
use crate::model::Report;
use crate::model::report::Pages;
use crate::render::fingerprint;

/// The front-matter key holding a translation's source stamp.
pub const STAMP_KEY: &str = "translated_from";

/// Checks every page of the report in every language but the default.
pub fn check(report: &Report, diags: &mut Diagnostics) {
    let default = report.default_lang();
    let mut items: Vec<&Pages> = vec![&report.home];
    for chapter in &report.chapters {
        items.push(&chapter.index);
        items.extend(chapter.sections.iter().map(|s| &s.pages));
    }
    for pages in items {
        check_item(pages, default, diags);
    }
}

/// The stamp of a source page: a fingerprint of its text with line endings
/// and trailing spaces normalised, so an editor's whitespace habits do not
/// make every translation stale.
pub fn stamp(source: &Page) -> String {
    let normalised: String = source
        .text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    fingerprint(normalised.trim_end().as_bytes())
}

fn check_item(pages: &Pages, default: &str, diags: &mut Diagnostics) {
    let Some(source) = pages.0.get(default) else {
        return;
    };
    for (_, page) in pages.0.iter().filter(|(lang, _)| *lang != default) {
        stale(page, source, diags);
    }
}

fn stale(page: &Page, source: &Page, diags: &mut Diagnostics) {
    let Some(recorded) = page.front.translated_from.as_deref() else {
        return;
    };
    let current = stamp(source);
    if recorded.trim() == current {
        return;
    }
    let (line, col) = locate::key(&page.text, STAMP_KEY, 0);
    let msg = format!(
        "stale translation: {} changed since this translation was made ({STAMP_KEY}: {recorded}, the source is now {current})",
        source.file.display()
    );
    let hint = format!(
        "bring this page up to date with {}, then set `{STAMP_KEY}: \"{current}\"`",
        source.file.display()
    );
    diags.push(
        Diagnostic::warning(&page.file, line, col, msg)
            .with_hint(hint)
            .with_len(STAMP_KEY.len()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::RawFrontMatter;

    fn page(file: &str, text: &str, stamp: Option<&str>) -> Page {
        Page {
            file: file.into(),
            text: text.into(),
            front: RawFrontMatter {
                translated_from: stamp.map(String::from),
                ..RawFrontMatter::default()
            },
            body_offset: 0,
        }
    }

    fn pages(list: Vec<(&str, Page)>) -> Pages {
        Pages(list.into_iter().map(|(l, p)| (l.to_string(), p)).collect())
    }

    #[test]
    fn stamp_ignores_trailing_spaces_and_line_endings() {
        let a = page("a.zh.md", "---\ntitle: 甲\n---\n正文\n", None);
        let b = page("a.zh.md", "---\r\ntitle: 甲  \r\n---\r\n正文\r\n\r\n", None);
        let c = page("a.zh.md", "---\ntitle: 甲\n---\n正文。\n", None);
        assert_eq!(stamp(&a), stamp(&b));
        assert_ne!(stamp(&a), stamp(&c));
    }

    #[test]
    fn flags_stale_translations_with_the_new_stamp() {
        let source = page("c/a.zh.md", "---\ntitle: 甲\n---\n新的正文\n", None);
        let current = stamp(&source);
        let old = "---\ntitle: A\ntranslated_from: 0000000000\n---\nText\n";
        let fresh = format!("---\ntitle: A\ntranslated_from: {current}\n---\nText\n");
        let mut diags = Diagnostics::new();
        let item = pages(vec![
            ("zh", source.clone()),
            ("en", page("c/a.en.md", old, Some("0000000000"))),
            ("fr", page("c/a.fr.md", &fresh, Some(&current))),
            ("de", page("c/a.de.md", "no stamp", None)),
        ]);
        check_item(&item, "zh", &mut diags);
        let list: Vec<_> = diags.iter().collect();
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].file.to_str(), Some("c/a.en.md"));
        assert_eq!((list[0].line, list[0].col), (3, 1));
        assert!(list[0].message.contains("stale translation"));
        assert!(
            list[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.contains(&current))
        );
    }
}
