//! Splitting a Markdown file into YAML front matter and body, keeping the
//! line numbers of both right.

use std::path::Path;

use crate::error::Diagnostic;
use crate::load::yaml::{self, RawFrontMatter};

/// A Markdown file split into front matter and body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The YAML between the `---` lines ("" when there is none).
    pub yaml: &'a str,
    /// Line (1-based) on which the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `text` at its front matter. A file that opens with `---` but never
/// closes it is an error pointing at the opening line.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let Some(after_open) = strip_delimiter(rest) else {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: rest,
            body_offset: bom,
        });
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(file, 1, 1, "front matter opened with `---` is never closed")
            .with_hint("add a line with only `---` after the front matter"),
    )
}

fn strip_delimiter(text: &str) -> Option<&str> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    (text[..first_line_end].trim_end() == "---").then(|| &text[first_line_end..])
}

/// Parses the front matter of a split file.
pub fn parse(split: &Split<'_>, file: &Path) -> Result<RawFrontMatter, Diagnostic> {
    yaml::parse(split.yaml, file, split.yaml_line - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_offsets() {
        let text = "---\ntitle: 你好\n---\nBody\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.yaml, "title: 你好\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
        assert_eq!(
            parse(&s, Path::new("a.md")).unwrap().title.as_deref(),
            Some("你好")
        );
    }

    #[test]
    fn errors_in_front_matter_count_from_the_file_start() {
        let text = "---\ntitle: ok\nsummary: [unclosed\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let err = parse(&s, Path::new("a.md")).unwrap_err();
        assert!(err.line >= 3, "{err}");
    }

    #[test]
    fn unclosed_front_matter() {
        let err = split("---\ntitle: x\n", Path::new("a.md")).unwrap_err();
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn no_front_matter_and_bom() {
        let s = split("\u{feff}# Hi", Path::new("a.md")).unwrap();
        assert_eq!(s.body, "# Hi");
        assert_eq!(s.yaml, "");
    }
}
