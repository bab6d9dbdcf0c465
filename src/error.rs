//! Diagnostics: every problem a build finds, with the file, line and column
//! it points at. Problems are collected across the whole build and reported
//! together, so an author fixes them in one pass.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A suggestion from `check`; never fails a build, even `--strict`.
    Note,
    /// The build can go on; `--strict` turns it into an error.
    Warning,
    /// The build fails.
    Error,
}

/// One problem found in the input, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    /// What is wrong: what was expected and what was found.
    pub message: String,
    /// How to fix it, when there is a useful suggestion.
    pub hint: Option<String>,
    /// How many characters from `col` the problem spans; 0 for "the word
    /// at `col`".
    #[serde(skip_serializing_if = "is_zero")]
    pub len: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line,
            col,
            message: message.into(),
            hint: None,
            len: 0,
        }
    }

    /// A warning at a position.
    pub fn warning(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, line, col, message)
        }
    }

    /// A note at a position: a suggestion that fails nothing.
    pub fn note(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(file, line, col, message)
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets how many characters the problem spans from its column.
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = len;
        self
    }

    fn sort_key(&self) -> (Severity, u8, &Path, usize, usize) {
        let rank = if self.file.ends_with("report.yaml") {
            0
        } else if self.file.extension().is_some_and(|e| e == "yaml") {
            1
        } else {
            2
        };
        (self.severity, rank, &self.file, self.line, self.col)
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{kind}: {}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The problems of one build, in the order they were found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of notes: suggestions that fail nothing.
    pub fn note_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// All problems.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in self
            .0
            .iter_mut()
            .filter(|d| d.severity == Severity::Warning)
        {
            d.severity = Severity::Error;
        }
    }

    /// Sorts so the report reads like rustc's: warnings, then errors (the
    /// last thing on screen); within each, causes before consequences
    /// (report.yaml, then other YAML, then pages), then by position.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A failure that stops a command before or after content is read:
/// bad content (a list of diagnostics), an unsafe output folder, or IO.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; each is described by a diagnostic.
    #[error("the report has {} error(s)", .0.error_count())]
    Content(Diagnostics),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The output folder is not one nianbao may replace.
    #[error("refusing to write to {}: {reason}", path.display())]
    UnsafeOutput {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The git branch is not one nianbao may replace.
    #[error("refusing to publish to branch `{branch}`: {reason}")]
    UnsafeBranch {
        /// The branch name.
        branch: String,
        /// Why it is refused.
        reason: String,
    },
    /// A git command failed, or there is no repository.
    #[error("git: {0}")]
    Git(String),
    /// A program nianbao runs (Chromium for `--pdf`) is missing or failed.
    #[error("{0}")]
    Tool(String),
    /// The command was given arguments it cannot use (exit code 2).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An IO error that names its path.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Converts a byte offset in `text` into a 1-based (line, column), counting
/// columns in characters so CJK text points at the right place.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The known word closest to `word`, when it is close enough to be a
/// likely misspelling.
pub fn closest<'a>(word: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    // Short words tolerate fewer edits: `pie` is not a misspelt `line`.
    let allowed = match word.chars().count() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    known
        .map(|k| (strsim::damerau_levenshtein(word, k), k))
        .filter(|(d, _)| *d <= allowed)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\n红十字会 x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'x' comes after four CJK characters (3 bytes each) and a space.
        assert_eq!(line_col(text, 3 + 12 + 1), (2, 6));
        // Offsets inside a character or past the end do not panic.
        assert_eq!(line_col(text, 4), (2, 1));
        assert_eq!(line_col(text, 999), (2, 7));
    }

    #[test]
    fn display_names_file_line_and_column() {
        let d = Diagnostic::error("content/report.yaml", 3, 7, "expected a list")
            .with_hint("write [zh, en]");
        assert_eq!(
            d.to_string(),
            "error: content/report.yaml:3:7: expected a list\n  hint: write [zh, en]"
        );
    }
}
