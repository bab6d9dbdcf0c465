//! Text edits of a year's YAML files that keep their comments and layout:
//! every metric's value emptied (last year's kept in a comment), the year
//! and the title moved on, keys taken out of report.yaml for series.yaml.
//!
//! Each edit works line by line on block-style YAML, then checks itself:
//! the edited text must parse to exactly the data the edit means. When it
//! does not (flow-style items, anchors, unusual layouts), the data is
//! written again with serde_yaml instead, losing the comments, and the
//! caller says so.

use serde_yaml::{Mapping, Value};

/// The result of an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edited {
    /// The new text of the file.
    pub text: String,
    /// How many metric values were emptied (metrics.yaml only).
    pub emptied: usize,
    /// True when the text edit could not be used and the file was written
    /// again from its data: its comments and layout are lost.
    pub rewritten: bool,
}

/// Parses YAML text into a value; `Err` holds serde_yaml's message.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string())
}

/// A line split into indentation and the rest.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// True for a line that holds no data: blank or a comment.
fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// `key: rest` at the start of `text` (a plain key), as (key, rest after
/// the colon).
fn key_of(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = text.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (plain && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some((key, rest))
}

/// The value and the comment of what follows a key's colon:
/// ` 123  # note` → (`123`, `  # note`).
fn value_and_comment(rest: &str) -> (&str, &str) {
    let at = rest
        .match_indices('#')
        .find(|(i, _)| *i == 0 || rest[..*i].ends_with([' ', '\t']))
        .map_or(rest.len(), |(i, _)| i);
    let value = rest[..at].trim();
    let comment_start = rest[..at].trim_end().len();
    (value, &rest[comment_start..])
}

/// Empties every metric's `value:` in a metrics.yaml, with last year's value
/// in a comment (`value:  # 2021: 253620000`), and removes `previous:` and
/// `change:` (a series computes them from the years' data).
pub(crate) fn empty_metrics(text: &str, old_year: &str) -> Result<Edited, String> {
    let original = parse(text)?;
    let (expected, emptied) = metrics_without_values(original);
    let edited = empty_metrics_text(text, old_year);
    Ok(checked(edited, &expected, emptied))
}

/// The data of a metrics file with every value emptied, and how many were.
fn metrics_without_values(mut data: Value) -> (Value, usize) {
    let mut emptied = 0;
    if let Some(Value::Sequence(items)) = data.get_mut("metrics") {
        for item in items.iter_mut() {
            if let Value::Mapping(map) = item {
                if let Some(value) = map.get_mut("value")
                    && !value.is_null()
                {
                    *value = Value::Null;
                    emptied += 1;
                }
                map.remove("previous");
                map.remove("change");
            }
        }
    }
    (data, emptied)
}

/// The line-by-line edit of [`empty_metrics`].
fn empty_metrics_text(text: &str, old_year: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut in_metrics = false;
    // The indentation of the keys of the metric being read.
    let mut item_keys: Option<usize> = None;
    // Lines deeper than this belong to a removed key.
    let mut dropping: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let indent = indent_of(body);
        if let Some(depth) = dropping {
            if !body.trim().is_empty() && indent > depth {
                continue;
            }
            dropping = None;
        }
        if is_blank_or_comment(body) {
            out.push_str(line);
            continue;
        }
        let rest = &body[indent..];
        if indent == 0 && !rest.starts_with('-') {
            in_metrics = key_of(rest).is_some_and(|(k, _)| k == "metrics");
            item_keys = None;
            out.push_str(line);
            continue;
        }
        if !in_metrics {
            out.push_str(line);
            continue;
        }
        // `- key: …` opens a metric; its keys line up after the dash.
        let (prefix, keyed, keys_at) = match rest.strip_prefix('-') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                let spaces = after.len() - after.trim_start_matches(' ').len();
                let at = indent + 1 + spaces;
                item_keys = Some(at);
                (&body[..at], &body[at..], at)
            }
            _ if item_keys == Some(indent) => (&body[..indent], rest, indent),
            _ => {
                out.push_str(line);
                continue;
            }
        };
        match key_of(keyed) {
            Some(("value", after)) => {
                let (value, comment) = value_and_comment(after);
                if value.is_empty() || value == "~" || value == "null" {
                    out.push_str(line);
                } else {
                    out.push_str(&format!(
                        "{prefix}value:  # {old_year}: {value}{comment}{ending}"
                    ));
                }
            }
            Some(("previous" | "change", _)) if prefix.len() == indent => {
                dropping = Some(keys_at);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Moves a report.yaml on to the new year: `year:` becomes the new year
/// (where it is written), and the old year becomes the new one in the
/// `title:` and `subtitle:` texts.
pub(crate) fn next_report(text: &str, old_year: &str, new_year: &str) -> Result<Edited, String> {
    let mut expected = parse(text)?;
    if let Value::Mapping(map) = &mut expected {
        if let Some(year) = map.get_mut("year") {
            *year = Value::Number(new_year.parse::<u64>().unwrap_or_default().into());
        }
        for key in YEAR_TEXTS {
            if let Some(value) = map.get_mut(*key) {
                replace_in_strings(value, old_year, new_year);
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut block: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let top = indent_of(body) == 0 && !is_blank_or_comment(body);
        if top {
            block = key_of(body).map(|(k, _)| k);
        }
        match block {
            Some("year") if top => {
                let after = key_of(body).map_or("", |(_, after)| after);
                let (_, comment) = value_and_comment(after);
                out.push_str(&format!("year: {new_year}{comment}{ending}"));
            }
            Some(key) if YEAR_TEXTS.contains(&key) => {
                out.push_str(&replace_year(line, old_year, new_year));
            }
            _ => out.push_str(line),
        }
    }
    Ok(checked(out, &expected, 0))
}

/// The report.yaml texts that name the year and move on with it.
const YEAR_TEXTS: &[&str] = &["title", "subtitle"];

fn replace_in_strings(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::String(s) => *s = replace_year(s, old, new),
        Value::Mapping(map) => map
            .iter_mut()
            .for_each(|(_, v)| replace_in_strings(v, old, new)),
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|v| replace_in_strings(v, old, new)),
        _ => {}
    }
}

/// `text` with each `old` year that is not part of a longer number
/// replaced by `new` (`2021年` and `of 2021` change, `120215` does not).
pub(crate) fn replace_year(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in year_matches(text, old) {
        out.push_str(&text[last..at]);
        out.push_str(new);
        last = at + old.len();
    }
    out.push_str(&text[last..]);
    out
}

/// Where `year` occurs in `text` on its own (no digit just before or after).
fn year_matches<'a>(text: &'a str, year: &'a str) -> impl Iterator<Item = (usize, &'a str)> {
    text.match_indices(year).filter(move |(at, _)| {
        let before = text[..*at].chars().next_back();
        let after = text[at + year.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// A text with the year taken out, for a series title made from a year's:
/// `绿洲基金会2021年度报告` → `绿洲基金会年度报告`, `Annual Report 2021` →
/// `Annual Report`, `2021年工作报告` → `工作报告`.
pub(crate) fn without_year(text: &str, year: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in year_matches(text, year) {
        out.push_str(&text[last..at]);
        let mut end = at + year.len();
        // `2021年` goes with its year, but not the 年 of 年度 (annual).
        let rest = &text[end..];
        if rest.starts_with('年') && !rest['年'.len_utf8()..].starts_with('度') {
            end += '年'.len_utf8();
        }
        last = end;
    }
    out.push_str(&text[last..]);
    let out = out.replace("()", "").replace("（）", "").replace("[]", "");
    let words: Vec<&str> = out.split_whitespace().collect();
    words
        .join(" ")
        .trim_matches(|c: char| c.is_whitespace() || "-–—:：,，·|/".contains(c))
        .to_string()
}

/// A report.yaml split in two for a series: the blocks of `keys` (each
/// with the comment lines right above it, unless they open the file)
/// taken out, and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    /// What stays in the year's report.yaml.
    pub rest: Edited,
    /// The text of each key taken out, in the file's order: (key, text).
    pub taken: Vec<(String, String)>,
}

/// Takes the top-level `keys` out of a YAML file, keeping the rest as
/// written.
pub(crate) fn take_keys(text: &str, keys: &[&str]) -> Result<Split, String> {
    let mut expected = parse(text)?;
    if let Value::Mapping(map) = &mut expected {
        for key in keys {
            map.remove(*key);
        }
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut keep = vec![true; lines.len()];
    let mut taken = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let body = lines[i].trim_end_matches(['\n', '\r']);
        let key = (indent_of(body) == 0 && !is_blank_or_comment(body))
            .then(|| key_of(body).map(|(k, _)| k))
            .flatten();
        let Some(key) = key.filter(|k| keys.contains(k)) else {
            i += 1;
            continue;
        };
        // The comment lines right above it go with it.
        let mut start = i;
        while start > 0 && keep[start - 1] && lines[start - 1].trim_start().starts_with('#') {
            start -= 1;
        }
        // A comment block that opens the file is the file's, not the key's.
        if start == 0 {
            start = i;
        }
        // Then every deeper line after it, up to the last one with data.
        let mut end = i + 1;
        let mut j = i + 1;
        while j < lines.len() {
            let b = lines[j].trim_end_matches(['\n', '\r']);
            if b.trim().is_empty() {
                j += 1;
                continue;
            }
            if indent_of(b) == 0 {
                break;
            }
            j += 1;
            end = j;
        }
        let mut block: String = lines[start..end].concat();
        if !block.ends_with('\n') {
            block.push('\n');
        }
        taken.push((key.to_string(), block));
        keep[start..end].iter_mut().for_each(|k| *k = false);
        i = end;
    }
    let mut rest = String::with_capacity(text.len());
    let mut blank_run = 0;
    for (line, kept) in lines.iter().zip(&keep) {
        if !kept {
            continue;
        }
        // Taking a block out can leave two blank lines in a row.
        blank_run = if line.trim().is_empty() {
            blank_run + 1
        } else {
            0
        };
        if blank_run < 2 {
            rest.push_str(line);
        }
    }
    Ok(Split {
        rest: checked(rest, &expected, 0),
        taken,
    })
}

/// `text` when it parses to `expected`, else `expected` written again.
fn checked(text: String, expected: &Value, emptied: usize) -> Edited {
    if parse(&text).is_ok_and(|v| &v == expected) {
        return Edited {
            text,
            emptied,
            rewritten: false,
        };
    }
    Edited {
        text: serde_yaml::to_string(expected).unwrap_or_default(),
        emptied,
        rewritten: true,
    }
}

/// A mapping from its entries (for series.yaml checks).
pub(crate) fn mapping(entries: Vec<(&str, Value)>) -> Value {
    let mut map = Mapping::new();
    for (k, v) in entries {
        map.insert(Value::String(k.to_string()), v);
    }
    Value::Mapping(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const METRICS: &str = "\
# The chapter's numbers.
metrics:
  - id: funds_raised
    label: { zh: \"募集资金\", en: \"Funds raised\" }
    value: 253620000   # audited
    unit: cny
    change: 0.124                     # +12.4%
    previous: 11174000
  - value: 3000
    id: kits
    label:
      zh: \"救灾包\"
      en: \"Relief kits\"
    previous:
      12
    approx: over
  - id: empty
    label: x
    value:
    unit: cny
charts:
  - id: fund_use
    type: donut
    value: 3
    series: [funds_raised, kits]
";

    #[test]
    fn values_are_emptied_with_last_years_in_a_comment() {
        let edited = empty_metrics(METRICS, "2021").unwrap();
        assert!(!edited.rewritten, "{}", edited.text);
        assert_eq!(edited.emptied, 2);
        let text = &edited.text;
        assert!(text.starts_with("# The chapter's numbers.\n"));
        assert!(
            text.contains("\n    value:  # 2021: 253620000   # audited\n"),
            "{text}"
        );
        assert!(
            text.contains("\n  - value:  # 2021: 3000\n    id: kits\n"),
            "{text}"
        );
        assert!(!text.contains("previous"), "{text}");
        assert!(!text.contains("change"), "{text}");
        assert!(!text.contains("      12\n"), "{text}");
        assert!(text.contains("    approx: over\n"), "{text}");
        // A chart's keys are not a metric's.
        assert!(text.contains("    type: donut\n    value: 3\n"), "{text}");
        let data = parse(text).unwrap();
        assert!(data["metrics"][0]["value"].is_null());
        assert_eq!(data["metrics"][0]["unit"], Value::from("cny"));
    }

    #[test]
    fn a_sequence_at_column_zero_is_edited_too() {
        let text = "metrics:\n- id: a\n  value: 1\n  previous: 2\n- id: b\n  value: 2.5\n";
        let edited = empty_metrics(text, "2020").unwrap();
        assert!(!edited.rewritten);
        assert_eq!(
            edited.text,
            "metrics:\n- id: a\n  value:  # 2020: 1\n- id: b\n  value:  # 2020: 2.5\n"
        );
    }

    #[test]
    fn flow_style_metrics_are_written_again() {
        let text = "# gone\nmetrics:\n  - { id: a, value: 3, unit: cny, previous: 2 }\n";
        let edited = empty_metrics(text, "2021").unwrap();
        assert!(edited.rewritten);
        assert_eq!(edited.emptied, 1);
        let data = parse(&edited.text).unwrap();
        assert!(data["metrics"][0]["value"].is_null());
        assert!(data["metrics"][0].get("previous").is_none());
        assert_eq!(data["metrics"][0]["id"], Value::from("a"));
    }

    #[test]
    fn a_metrics_file_that_does_not_parse_is_an_error() {
        assert!(empty_metrics("metrics: [", "2021").is_err());
    }

    #[test]
    fn the_report_moves_on_a_year() {
        let text = "# Report\nyear: 2021   # the year\ntitle: { zh: \"2021年度报告\", en: \"Report 2021\" }\nsubtitle:\n  zh: \"2021年工作回顾\"\n  en: \"A review of 2021\"\ndescription: \"2021 in 120215 words\"\n";
        let edited = next_report(text, "2021", "2022").unwrap();
        assert!(!edited.rewritten, "{}", edited.text);
        assert_eq!(
            edited.text,
            "# Report\nyear: 2022   # the year\ntitle: { zh: \"2022年度报告\", en: \"Report 2022\" }\nsubtitle:\n  zh: \"2022年工作回顾\"\n  en: \"A review of 2022\"\ndescription: \"2021 in 120215 words\"\n"
        );
        let without = next_report("title: T\n", "2021", "2022").unwrap();
        assert_eq!(without.text, "title: T\n");
    }

    #[test]
    fn years_are_replaced_only_on_their_own() {
        assert_eq!(
            replace_year("2021年, 120215, 2021", "2021", "2022"),
            "2022年, 120215, 2022"
        );
    }

    #[test]
    fn series_titles_lose_the_year() {
        assert_eq!(
            without_year("绿洲基金会2021年度报告", "2021"),
            "绿洲基金会年度报告"
        );
        assert_eq!(without_year("2021年工作报告", "2021"), "工作报告");
        assert_eq!(without_year("Annual Report 2021", "2021"), "Annual Report");
        assert_eq!(
            without_year("Annual Report (2021)", "2021"),
            "Annual Report"
        );
        assert_eq!(
            without_year("2021 — Annual Report", "2021"),
            "Annual Report"
        );
        assert_eq!(without_year("2021", "2021"), "");
    }

    #[test]
    fn keys_are_taken_out_with_their_comments() {
        let text = "# Header.\n\n# Languages.\nlanguages: [zh, en]\n\nyear: 2021\n\n# Where.\nbase_url: \"/\"\n\norganization:\n  zh: 绿洲\n\n  en: Oasis\ntheme: default\nhighlights: [a]\n";
        let split = take_keys(text, &["languages", "base_url", "organization", "theme"]).unwrap();
        assert!(!split.rest.rewritten);
        assert_eq!(
            split.rest.text,
            "# Header.\n\nyear: 2021\n\nhighlights: [a]\n"
        );
        let keys: Vec<&str> = split.taken.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["languages", "base_url", "organization", "theme"]);
        assert_eq!(split.taken[0].1, "# Languages.\nlanguages: [zh, en]\n");
        assert_eq!(
            split.taken[2].1,
            "organization:\n  zh: 绿洲\n\n  en: Oasis\n"
        );
    }
}
