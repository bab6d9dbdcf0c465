//! Finding where a valid-but-wrong YAML value sits in its file.
//!
//! serde_yaml gives positions for syntax and type errors only; a duplicate
//! id or an unknown metric reference is well-formed YAML, so its position is
//! found by scanning the text for the key or value.

/// The 1-based (line, column) of the `nth` (0-based) occurrence of `key:` as
/// a mapping key, skipping comments. Falls back to (1, 1).
pub fn key(text: &str, key: &str, nth: usize) -> (usize, usize) {
    find(text, nth, |line| {
        let code = strip_comment(line);
        let trimmed = code.trim_start_matches([' ', '-', '\t']);
        let start = code.len() - trimmed.len();
        let rest = trimmed.strip_prefix(key)?;
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        rest.trim_start().starts_with(':').then_some(start)
    })
    .unwrap_or((1, 1))
}

/// The position of the `nth` occurrence of `value` as a whole scalar (an id,
/// a metric reference), skipping comments and longer words that contain it.
pub fn value(text: &str, value: &str, nth: usize) -> Option<(usize, usize)> {
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
            let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
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

fn find(
    text: &str,
    nth: usize,
    mut column_of: impl FnMut(&str) -> Option<usize>,
) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| column_of(line).map(|col| (i + 1, line[..col].chars().count() + 1)))
        .nth(nth)
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

/// The position of the first `key:` at or below 1-based `from_line`;
/// `from_line` itself (column 1) when there is none.
pub fn key_from(text: &str, key_name: &str, from_line: usize) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str =
        "metrics:\n  - id: a # id: b\n    label: x\n  - id: b\n    value: 3\n  - id: b\n";

    #[test]
    fn finds_keys_and_values_outside_comments() {
        assert_eq!(key(YAML, "label", 0), (3, 5));
        assert_eq!(key(YAML, "id", 1), (4, 5));
        assert_eq!(value(YAML, "b", 0), Some((4, 9)));
        assert_eq!(value(YAML, "b", 1), Some((6, 9)));
        assert_eq!(value(YAML, "c", 0), None);
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(value("series: [ab, a_b, a]", "a", 0), Some((1, 19)));
    }
}
