//! Prints diagnostics the way rustc does: the file, line and column, the
//! source line, a caret under the problem and a hint; in colour on a
//! terminal, plain otherwise; or as JSON for editors and CI.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};
use nianbao::{Diagnostic, Diagnostics, Severity};

/// Longest stretch a label underlines: enough for a key or a word, short
/// enough that a caret never runs across a long paragraph.
const MAX_LABEL_CHARS: usize = 40;

/// Writes every diagnostic to stderr with its source line. `root` is the
/// site folder the diagnostics' paths are relative to.
pub(crate) fn print_human(diags: &Diagnostics, root: &Path) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let choice = if color {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let stream = termcolor::StandardStream::stderr(choice);
    let mut out = stream.lock();
    let _ = out.write_all(render_human(diags, root, color).as_bytes());
    let _ = out.flush();
}

/// Renders diagnostics as text (ANSI colours when `color`).
pub(crate) fn render_human(diags: &Diagnostics, root: &Path, color: bool) -> String {
    let mut sources = Sources::new(root);
    let config = Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diags.iter() {
        let report = sources.report(d);
        if term::emit_to_write_style(&mut buffer, &config, &sources.files, &report).is_err() {
            // The source changed under us: fall back to the one-line form.
            let _ = writeln!(buffer, "{d}\n");
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Renders diagnostics as one JSON document for editors and CI.
pub(crate) fn render_json(diags: &Diagnostics) -> String {
    let list: Vec<&Diagnostic> = diags.iter().collect();
    let doc = serde_json::json!({
        "errors": diags.error_count(),
        "warnings": diags.warning_count(),
        "diagnostics": list,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string())
}

/// The source files diagnostics point into, each read once.
struct Sources<'a> {
    root: &'a Path,
    files: SimpleFiles<String, String>,
    ids: HashMap<PathBuf, Option<usize>>,
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path) -> Self {
        Self {
            root,
            files: SimpleFiles::new(),
            ids: HashMap::new(),
        }
    }

    /// The file's id and text, when it is a readable file.
    fn source(&mut self, file: &Path) -> Option<(usize, &str)> {
        let root = self.root;
        let files = &mut self.files;
        let id = *self.ids.entry(file.to_path_buf()).or_insert_with(|| {
            // Only a file of the report, bounded: a diagnostic may be about a FIFO.
            let boundary = nianbao::load::fsguard::Boundary::new(root);
            let bytes = boundary
                .read(&root.join(file), nianbao::load::discover::MAX_FILE_BYTES)
                .ok()?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Some(files.add(file.display().to_string(), text))
        });
        let id = id?;
        let text = self.files.get(id).ok()?.source().as_str();
        Some((id, text))
    }

    /// The codespan form of one diagnostic: a label at its position when
    /// it has one, the file name in the message when it concerns a whole
    /// file.
    fn report(&mut self, d: &Diagnostic) -> Report<usize> {
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Note => Level::Note,
        };
        let notes = d.hint.iter().map(|h| format!("hint: {h}")).collect();
        let located = (d.line > 0)
            .then(|| self.source(&d.file))
            .flatten()
            .map(|(id, text)| (id, span(text, d.line, d.col, d.len)));
        match located {
            Some((id, range)) => Report::new(level)
                .with_message(&d.message)
                .with_labels(vec![Label::primary(id, range)])
                .with_notes(notes),
            None => Report::new(level)
                .with_message(format!("{}: {}", d.file.display(), d.message))
                .with_notes(notes),
        }
    }
}

/// The byte range a caret underlines: `len` characters from `line:col`
/// (1-based, columns in characters) or, when `len` is 0, the word there;
/// never past the end of the line.
fn span(text: &str, line: usize, col: usize, len: usize) -> std::ops::Range<usize> {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let rest = &text[line_start..];
    let line_text = rest.split('\n').next().unwrap_or("");
    let start = line_text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let chars = line_text[start..].chars();
    let len: usize = if len > 0 {
        chars.take(len).map(char::len_utf8).sum()
    } else {
        chars
            .take_while(|c| !c.is_whitespace())
            .take(MAX_LABEL_CHARS)
            .map(char::len_utf8)
            .sum()
    };
    let begin = line_start + start;
    begin..begin + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_covers_the_word_at_the_column() {
        let text = "a: 1\nvalue: 12x4 more\n";
        assert_eq!(&text[span(text, 2, 8, 0)], "12x4");
        assert_eq!(&text[span(text, 2, 8, 9)], "12x4 more");
        assert_eq!(&text[span(text, 2, 8, 99)], "12x4 more");
        // Columns count characters, so CJK text is underlined right.
        let cjk = "标题：红十字 会\n";
        assert_eq!(&cjk[span(cjk, 1, 4, 0)], "红十字");
        assert_eq!(&cjk[span(cjk, 1, 4, 2)], "红十");
        // Past the end of a line or the file: an empty range, no panic.
        assert!(span(text, 2, 99, 0).is_empty());
        assert!(span(text, 99, 1, 3).is_empty());
        assert!(span("", 1, 1, 0).is_empty());
    }

    #[test]
    fn human_form_shows_the_line_a_caret_and_the_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.yaml"), "metrics:\n  - id: Bad-Id\n").unwrap();
        let mut diags = Diagnostics::new();
        diags.push(
            Diagnostic::error("m.yaml", 2, 9, "`Bad-Id` is not a valid id")
                .with_hint("use a-z, 0-9 and _"),
        );
        diags.push(Diagnostic::warning("gone.md", 0, 0, "whole file"));
        let text = render_human(&diags, dir.path(), false);
        assert!(text.contains("error: `Bad-Id` is not a valid id"), "{text}");
        assert!(text.contains("m.yaml:2:9"), "{text}");
        assert!(text.contains("  - id: Bad-Id"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("= hint: use a-z, 0-9 and _"), "{text}");
        assert!(text.contains("warning: gone.md: whole file"), "{text}");
        assert!(!text.contains('\u{1b}'), "no colour codes when plain");
        let coloured = render_human(&diags, dir.path(), true);
        assert!(coloured.contains("\u{1b}["), "colour on a terminal");
        assert!(coloured.contains("Bad-Id"), "{coloured}");
    }

    #[test]
    fn json_form_lists_every_diagnostic() {
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::error("a.md", 3, 4, "bad").with_hint("fix"));
        diags.push(Diagnostic::warning("b.md", 0, 0, "meh"));
        let doc: serde_json::Value = serde_json::from_str(&render_json(&diags)).unwrap();
        assert_eq!(doc["errors"], 1);
        assert_eq!(doc["warnings"], 1);
        assert_eq!(doc["diagnostics"][0]["file"], "a.md");
        assert_eq!(doc["diagnostics"][0]["line"], 3);
        assert_eq!(doc["diagnostics"][0]["col"], 4);
        assert_eq!(doc["diagnostics"][0]["severity"], "error");
        assert_eq!(doc["diagnostics"][0]["hint"], "fix");
        assert_eq!(doc["diagnostics"][1]["severity"], "warning");
    }
}
