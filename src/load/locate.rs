//! Finding where a valid-but-wrong YAML value sits in its file.
//!
//! serde_yaml gives positions for syntax and type errors only; a duplicate
//! id or an unknown metric reference is well-formed YAML, so its position is
//! found in the text: a key as `key:` at the start of a line, a value as a
//! whole word, both outside comments.
//!
//! A metrics file can hold tens of thousands of ids, each located at least
//! once, so a file is scanned once into [`Positions`] and every lookup is a
//! map access plus a binary search; rescanning the text per lookup made
//! `check` quadratic in the size of the file.

use std::collections::HashMap;

/// Converts byte offsets into 1-based (line, column) in one text, columns
/// counted in characters, as [`crate::error::line_col`] does, in
/// logarithmic time instead of a scan from the start per offset.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// Characters that start before byte `k * CHAR_BLOCK`, for each k: a
    /// column on a very long line is counted from the nearest block, not
    /// from the line start.
    chars_before_block: Vec<usize>,
}

const CHAR_BLOCK: usize = 256;

impl<'a> LineIndex<'a> {
    /// Indexes the line starts (and character counts) of `text` in one pass.
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let starts = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let mut chars_before_block = Vec::with_capacity(bytes.len() / CHAR_BLOCK + 1);
        let mut chars = 0;
        for block in bytes.chunks(CHAR_BLOCK) {
            chars_before_block.push(chars);
            chars += count_chars(block);
        }
        chars_before_block.push(chars);
        LineIndex {
            text,
            starts,
            chars_before_block,
        }
    }

    /// The 1-based (line, column) of byte `offset`; an offset inside a
    /// character counts as that character, one past the end as the end.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|start| *start <= offset);
        let line_start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = self.chars_before(offset) - self.chars_before(line_start) + 1;
        (line, col)
    }

    /// The 0-based line (index into the line starts) holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }

    /// Characters that start before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHAR_BLOCK;
        let counted = self.chars_before_block.get(block).copied().unwrap_or(0);
        let from = (block * CHAR_BLOCK).min(offset);
        counted + count_chars(&self.text.as_bytes()[from..offset])
    }
}

/// UTF-8 characters in `bytes`: the bytes that are not continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every `key:` and every whole word of one YAML file, found in one pass,
/// so ids, references and keys are located without rescanning the text.
pub struct Positions<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    /// Per line (0-based): the byte offset where its code ends (the
    /// comment, if any, starts there).
    code_ends: Vec<usize>,
    /// Each maximal run of word characters in code → its byte offsets, in
    /// text order.
    words: HashMap<&'a str, Vec<usize>>,
    /// Each key written as `key:` → the byte offsets where it starts.
    keys: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Positions<'a> {
    /// Scans `text` once.
    pub fn new(text: &'a str) -> Self {
        let lines = LineIndex::new(text);
        let mut positions = Positions {
            text,
            code_ends: Vec::with_capacity(lines.starts.len()),
            lines,
            words: HashMap::new(),
            keys: HashMap::new(),
        };
        for (start, line) in line_spans(text) {
            positions.index_line(start, line);
        }
        positions
    }

    fn index_line(&mut self, start: usize, line: &'a str) {
        let code = strip_comment(line);
        self.code_ends.push(start + code.len());
        let head = head_word(code);
        if let Some(col) = key_column(code, head).filter(|_| !head.is_empty()) {
            self.keys.entry(head).or_default().push(start + col);
        }
        for (at, word) in word_runs(code) {
            self.words.entry(word).or_default().push(start + at);
        }
    }

    /// The (line, column) of the `nth` (0-based) `key:`; (1, 1) when there
    /// are fewer.
    pub fn key(&self, key: &str, nth: usize) -> (usize, usize) {
        self.keys_named(key)
            .nth(nth)
            .map_or((1, 1), |at| self.lines.line_col(at))
    }

    /// The position of the first `key:` at or below 1-based `from_line`;
    /// `from_line` itself (column 1) when there is none.
    pub fn key_from(&self, key: &str, from_line: usize) -> (usize, usize) {
        let from_line = from_line.max(1);
        let from = self.lines.starts.get(from_line - 1).copied();
        let found = match (self.keys.get(key), from) {
            (_, None) => None,
            (Some(offsets), Some(from)) if is_word(key) => {
                let first = offsets.partition_point(|at| *at < from);
                offsets.get(first).copied()
            }
            (_, Some(from)) => self.keys_named(key).find(|at| *at >= from),
        };
        found.map_or((from_line, 1), |at| self.lines.line_col(at))
    }

    /// Byte offsets of `key:` in text order: from the index for a key made
    /// of word characters (every key nianbao knows), else by a scan.
    fn keys_named<'s>(&'s self, key: &'s str) -> Box<dyn Iterator<Item = usize> + 's> {
        if is_word(key) {
            let offsets = self.keys.get(key).map_or(&[][..], Vec::as_slice);
            return Box::new(offsets.iter().copied());
        }
        Box::new(
            line_spans(self.text).filter_map(move |(start, line)| {
                Some(start + key_column(strip_comment(line), key)?)
            }),
        )
    }

    /// The position of the `nth` occurrence of `value` as a whole scalar (an
    /// id, a metric reference): outside comments, not part of a longer word.
    pub fn value(&self, value: &str, nth: usize) -> Option<(usize, usize)> {
        let at = self.values(value, 0).nth(nth)?;
        Some(self.lines.line_col(at))
    }

    /// The first occurrence of `value` on a line below 1-based `line`.
    pub fn value_after(&self, value: &str, line: usize) -> Option<(usize, usize)> {
        let from = self.lines.starts.get(line).copied()?;
        let at = self.values(value, from).next()?;
        Some(self.lines.line_col(at))
    }

    /// Byte offsets of whole-word occurrences of `value` at or after byte
    /// `from`, in text order.
    ///
    /// A value with a word character is found through its first run of
    /// word characters: wherever the value stands as a whole word, that run
    /// stands as a whole word too, at a fixed distance, so only those
    /// places are compared. A value without one (`-`) is scanned for.
    ///
    /// Unlike a left-to-right scan this also finds an occurrence that
    /// overlaps a rejected one (`a-a` at the end of `ba-a-a`); only ids
    /// that repeat their own start and end can tell the difference.
    fn values<'s>(&'s self, value: &'s str, from: usize) -> Box<dyn Iterator<Item = usize> + 's> {
        let Some((skip, run)) = word_runs(value).next() else {
            return Box::new(self.scan_values(value).filter(move |at| *at >= from));
        };
        let candidates = self.words.get(run).map_or(&[][..], Vec::as_slice);
        let first = candidates.partition_point(|at| *at < from + skip);
        Box::new(
            candidates[first..]
                .iter()
                .filter_map(move |at| at.checked_sub(skip))
                .filter(move |start| self.stands_alone(value, *start)),
        )
    }

    /// Whether `value` is written at byte `start`, within the code of one
    /// line, with no word character touching it.
    fn stands_alone(&self, value: &str, start: usize) -> bool {
        let end = start + value.len();
        let line = self.lines.line_of(start);
        let line_start = self.lines.starts.get(line).copied().unwrap_or(0);
        let code_end = self.code_ends.get(line).copied().unwrap_or(0);
        if start < line_start || end > code_end || self.text.get(start..end) != Some(value) {
            return false;
        }
        let before = self.text[line_start..start].chars().next_back();
        let after = self.text[end..code_end].chars().next();
        !is_word_char(before) && !is_word_char(after)
    }

    /// Whole-word occurrences of a value without word characters, line by
    /// line (a left-to-right search that does not revisit a match).
    fn scan_values<'s>(&'s self, value: &'s str) -> impl Iterator<Item = usize> + 's {
        line_spans(self.text)
            .filter(move |_| !value.is_empty())
            .flat_map(move |(line_start, line)| {
                let code = strip_comment(line);
                let mut from = 0;
                std::iter::from_fn(move || {
                    while let Some(found) = code[from..].find(value) {
                        let start = from + found;
                        let end = start + value.len();
                        from = end;
                        let before = code[..start].chars().next_back();
                        let after = code[end..].chars().next();
                        if !is_word_char(before) && !is_word_char(after) {
                            return Some(line_start + start);
                        }
                    }
                    None
                })
            })
    }
}

/// The 1-based (line, column) of the `nth` (0-based) occurrence of `key:`
/// as a mapping key, skipping comments; (1, 1) when there are fewer. One
/// scan of the text: for a single lookup (several go through
/// [`Positions`]).
pub fn key(text: &str, key: &str, nth: usize) -> (usize, usize) {
    line_spans(text)
        .filter_map(|(start, line)| Some(start + key_column(strip_comment(line), key)?))
        .nth(nth)
        .map_or((1, 1), |at| crate::error::line_col(text, at))
}

/// Each line of `text` (as `str::lines` splits it: without `\n` or `\r\n`)
/// with the byte offset where it starts.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |start, line| {
        let at = *start;
        *start += line.len();
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some((at, line.strip_suffix('\r').unwrap_or(line)))
    })
}

/// The byte column where `key:` starts in a line of code (after
/// indentation and list dashes; the key may be quoted).
fn key_column(code: &str, key: &str) -> Option<usize> {
    let trimmed = code.trim_start_matches([' ', '-', '\t']);
    let start = code.len() - trimmed.len();
    let rest = trimmed.strip_prefix(key)?;
    let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    rest.trim_start().starts_with(':').then_some(start)
}

/// The run of word characters a line of code starts with, after
/// indentation and list dashes: the only key of the line that
/// [`key_column`] can match, among keys made of word characters.
fn head_word(code: &str) -> &str {
    let trimmed = code.trim_start_matches([' ', '-', '\t']);
    let end = trimmed
        .find(|c: char| !is_word_char(Some(c)))
        .unwrap_or(trimmed.len());
    &trimmed[..end]
}

/// Maximal runs of word characters in `text`, with their byte offsets.
fn word_runs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.find(|(_, c)| is_word_char(Some(*c)))?;
        let mut end = text.len();
        while let Some((i, c)) = rest.peek() {
            if !is_word_char(Some(*c)) {
                end = *i;
                break;
            }
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// A non-empty text made of word characters only.
fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| is_word_char(Some(c)))
}

fn strip_comment(line: &str) -> &str {
    // A '#' starts a comment at the line start or after a space, outside quotes.
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str =
        "metrics:\n  - id: a # id: b\n    label: x\n  - id: b\n    value: 3\n  - id: b\n";

    #[test]
    fn finds_keys_and_values_outside_comments() {
        let p = Positions::new(YAML);
        assert_eq!(p.key("label", 0), (3, 5));
        assert_eq!(key(YAML, "label", 0), (3, 5));
        assert_eq!(p.key("id", 1), (4, 5));
        assert_eq!(key(YAML, "id", 1), (4, 5));
        assert_eq!(p.key("id", 3), (1, 1));
        assert_eq!(p.value("b", 0), Some((4, 9)));
        assert_eq!(p.value("b", 1), Some((6, 9)));
        assert_eq!(p.value("c", 0), None);
        assert_eq!(p.value_after("b", 4), Some((6, 9)));
        assert_eq!(p.value_after("b", 6), None);
    }

    #[test]
    fn whole_words_only() {
        let p = Positions::new("series: [ab, a_b, a]");
        assert_eq!(p.value("a", 0), Some((1, 19)));
        assert_eq!(p.value("a_b", 0), Some((1, 14)));
        assert_eq!(p.value("", 0), None);
    }

    #[test]
    fn values_with_other_characters() {
        let p = Positions::new("ids: [x-1, ax-1, x-12, 指标-1, \"-\", 'x-1']\n# x-1\n");
        assert_eq!(p.value("x-1", 0), Some((1, 7)));
        assert_eq!(p.value("x-1", 1), Some((1, 36)));
        assert_eq!(p.value("x-1", 2), None);
        assert_eq!(p.value("-1", 0), None);
        assert_eq!(p.value("指标-1", 0), Some((1, 24)));
        assert_eq!(p.value("-", 0), Some((1, 31)));
    }

    #[test]
    fn key_from_takes_the_first_key_at_or_below_a_line() {
        let p = Positions::new(YAML);
        assert_eq!(p.key_from("id", 3), (4, 5));
        assert_eq!(p.key_from("id", 4), (4, 5));
        assert_eq!(p.key_from("label", 4), (4, 1));
        assert_eq!(p.key_from("label", 0), (3, 5));
        assert_eq!(p.key_from("value", 99), (99, 1));
        // Keys that are not plain words are found by a scan.
        let p = Positions::new("a: 1\nb-c: 2\n\"d\": 3\n");
        assert_eq!(p.key_from("b-c", 1), (2, 1));
        assert_eq!(p.key("b-c", 0), (2, 1));
    }

    #[test]
    fn quoted_keys_and_crlf_lines() {
        let text = "title\": x\r\n  label : y\r\nvalue: \"a # b\" # c\r\n";
        let p = Positions::new(text);
        assert_eq!(p.key("title", 0), (1, 1));
        assert_eq!(p.key("label", 0), (2, 3));
        assert_eq!(p.value("b", 0), Some((3, 13)));
        assert_eq!(p.value("c", 0), None);
    }

    /// The per-lookup scans that `Positions` replaced, kept as the
    /// reference its answers must equal.
    mod reference {
        use super::super::{key, strip_comment};

        pub(super) fn value(text: &str, value: &str, nth: usize) -> Option<(usize, usize)> {
            if value.is_empty() {
                return None;
            }
            let mut seen = 0;
            for (index, line) in text.lines().enumerate() {
                let code = strip_comment(line);
                let mut from = 0;
                while let Some(found) = code[from..].find(value) {
                    let start = from + found;
                    let end = start + value.len();
                    let before = code[..start].chars().next_back();
                    let after = code[end..].chars().next();
                    let is_word =
                        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    if !is_word(before) && !is_word(after) {
                        if seen == nth {
                            return Some((index + 1, code[..start].chars().count() + 1));
                        }
                        seen += 1;
                    }
                    from = end;
                }
            }
            None
        }

        pub(super) fn key_from(text: &str, key_name: &str, from_line: usize) -> (usize, usize) {
            let skip = from_line.saturating_sub(1);
            let rest: String = text.lines().skip(skip).collect::<Vec<_>>().join("\n");
            let (line, col) = key(&rest, key_name, 0);
            let found = rest
                .lines()
                .nth(line - 1)
                .is_some_and(|l| l.contains(key_name));
            if found {
                (line + skip, col)
            } else {
                (from_line.max(1), 1)
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn positions_agree_with_scanning_the_text(
            text in "([ab_:\\- \"'#\n]|红|\r\n){0,60}",
            // Words, signs, and the two mixed without overlapping itself
            // (`a-a` in `a-a-a`: the scan stops at the first, see `values`).
            value in "([ab_]|红){1,3}|[-:]{1,2}|[ab_]{1,2}[-:]|[-:][ab_]{1,2}",
            from_line in 0usize..8,
        ) {
            let p = Positions::new(&text);
            for nth in 0..4 {
                proptest::prop_assert_eq!(p.value(&value, nth), reference::value(&text, &value, nth));
                proptest::prop_assert_eq!(p.key(&value, nth), key(&text, &value, nth));
            }
            proptest::prop_assert_eq!(
                p.key_from(&value, from_line),
                reference::key_from(&text, &value, from_line)
            );
            let after = (0..).map_while(|nth| reference::value(&text, &value, nth))
                .find(|(line, _)| *line > from_line);
            proptest::prop_assert_eq!(p.value_after(&value, from_line), after);
        }
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let long = format!("{}é{}", "红".repeat(600), "x".repeat(700));
        let texts = ["", "ab\n红十字会 x", "\n\n", "a\r\nb", long.as_str()];
        for text in texts {
            let index = LineIndex::new(text);
            for offset in 0..text.len() + 3 {
                assert_eq!(
                    index.line_col(offset),
                    crate::error::line_col(text, offset),
                    "{offset} in {text:?}"
                );
            }
        }
    }
}
