//! Where a broken link was written: the Markdown files of `content/` are
//! searched for the link in Markdown syntax, so the message can point the
//! author at their own file rather than only at the generated page.

use std::path::{Path, PathBuf};

use crate::error::line_col;
use crate::load::discover::{is_ignored, relative};

/// A Markdown file of the report, with its text.
pub(super) struct Source {
    file: PathBuf,
    text: String,
}

/// Every readable `.md` file under `root/content`, in path order.
pub(super) fn markdown_files(root: &Path) -> Vec<Source> {
    walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some(Source {
                file: relative(root, e.path()),
                text,
            })
        })
        .collect()
}

/// Where the first link to `href` (Markdown `](href` or `]: href`, or an
/// HTML `src=`/`href=` attribute) is
/// written: the file, line and column of the link target.
pub(super) fn find_link(sources: &[Source], href: &str) -> Option<(PathBuf, usize, usize)> {
    if href.is_empty() {
        return None;
    }
    let patterns = [
        format!("]({href}"),
        format!("]: {href}"),
        format!("](<{href}"),
        format!("src=\"{href}\""),
        format!("href=\"{href}\""),
    ];
    sources.iter().find_map(|s| {
        let offset = patterns
            .iter()
            .filter_map(|p| s.text.find(p.as_str()).map(|i| i + p.len() - href.len()))
            .min()?;
        let (line, col) = line_col(&s.text, offset);
        Some((s.file.clone(), line, col))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_reference_links() {
        let sources = vec![
            Source {
                file: "content/a.en.md".into(),
                text: "---\ntitle: A\n---\nSee [x](../nope/ \"t\").\n".into(),
            },
            Source {
                file: "content/b.en.md".into(),
                text: "[y][r]\n\n[r]: #gone\n".into(),
            },
        ];
        assert_eq!(
            find_link(&sources, "../nope/"),
            Some(("content/a.en.md".into(), 4, 9))
        );
        assert_eq!(
            find_link(&sources, "#gone"),
            Some(("content/b.en.md".into(), 3, 6))
        );
        assert_eq!(find_link(&sources, "../elsewhere/"), None);
    }
}
