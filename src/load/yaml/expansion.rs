//! A bound on what YAML aliases make of a file.
//!
//! An alias (`*name`) stands for a copy of what its anchor (`&name`) holds,
//! and serde_yaml makes that copy each time the alias is read: a 4 MiB
//! string aliased 2,000 times is 8 GB of `String`s from a 4 MB file.
//! Before the typed parse, the document is walked the way serde_yaml reads
//! it, aliases followed, counting the bytes of every scalar and every node
//! without keeping any; past a budget the file is refused, and the alias
//! that crossed it is pointed at.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use crate::error::Diagnostic;

const MIB: usize = 1024 * 1024;

/// A file may expand to 16 MiB (the largest file nianbao reads) or to four
/// times its own size, whichever is more, in whole MiB: room for every
/// sensible use of anchors (a unit shared by all metrics), none for a bomb.
pub(super) fn budget(text: &str) -> usize {
    (16 * MIB).max(text.len().saturating_mul(4)).div_ceil(MIB) * MIB
}

/// Why a walk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    /// More bytes and nodes than the budget.
    Size,
    /// serde_yaml's own limit on alias replays (100 per event) was hit
    /// first: aliases inside anchors that are aliased again.
    Repetitions,
}

/// The message serde_yaml carries back from the walk when the budget runs
/// out, to tell it from the file's own errors.
const OVER_BUDGET: &str = "nianbao: alias expansion over budget";

/// Refuses `text` when reading it would follow aliases beyond [`budget`].
/// Files without both an anchor sign and an alias sign are not walked: no
/// alias can be in them, and the walk would double the time spent on YAML.
pub(super) fn check(text: &str, file: &Path, line_offset: usize) -> Result<(), Diagnostic> {
    if !(text.contains('&') && text.contains('*')) {
        return Ok(());
    }
    let budget = budget(text);
    let Err((over, mark)) = walk(text, budget) else {
        return Ok(());
    };
    let (line, col) = culprit(text, budget).unwrap_or(mark);
    let message = match over {
        Over::Size => format!(
            "this alias expands the file beyond {} MiB: a YAML alias (*name) is a copy of what its anchor (&name) holds, made each time it is used",
            budget / MIB
        ),
        Over::Repetitions => "this alias is expanded too many times: aliases inside an anchor are copied again each time that anchor is used".to_string(),
    };
    Err(
        Diagnostic::error(file, line + line_offset, col, message).with_hint(
            "write large or nested values once, where they are needed, instead of through aliases",
        ),
    )
}

/// Walks the first document of `text` as serde_yaml reads it. `Err` holds
/// why it stopped and serde_yaml's position then (the anchored value being
/// copied, not the alias). Other errors are the typed parse's to report.
fn walk(text: &str, budget: usize) -> Result<(), (Over, (usize, usize))> {
    let mut left = budget;
    let Err(err) = Walk { left: &mut left }.deserialize(serde_yaml::Deserializer::from_str(text))
    else {
        return Ok(());
    };
    let mark = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = err.to_string();
    if message.contains(OVER_BUDGET) {
        Err((Over::Size, mark))
    } else if message.contains("repetition limit exceeded") {
        Err((Over::Repetitions, mark))
    } else {
        Ok(())
    }
}

/// The (line, column) of the alias that takes the file over the budget:
/// the text is walked again with the aliases after the first k replaced by
/// `~` (null), for the smallest k that still goes over, by bisection.
///
/// Aliases are recognised in the text by a simple rule (see
/// [`alias_starts`]); a `*` that only looks like one changes a value, not
/// whether the file is refused, and `None` (use serde_yaml's position)
/// when even without them the walk goes over.
fn culprit(text: &str, budget: usize) -> Option<(usize, usize)> {
    let aliases = alias_starts(text);
    let over = |kept: usize| walk(&neutralised(text, &aliases[kept..]), budget).is_err();
    if over(0) {
        return None;
    }
    let (mut fits, mut exceeds) = (0, aliases.len());
    while exceeds - fits > 1 {
        let mid = fits + (exceeds - fits) / 2;
        if over(mid) {
            exceeds = mid;
        } else {
            fits = mid;
        }
    }
    let (start, _) = aliases.get(exceeds.checked_sub(1)?)?;
    Some(crate::error::line_col(text, *start))
}

/// `text` with each alias in `aliases` (start, length) replaced by `~`
/// and spaces, so lines and columns stay where they were.
fn neutralised(text: &str, aliases: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, len) in aliases {
        out.push_str(&text[copied..*start]);
        out.push('~');
        out.extend(std::iter::repeat_n(' ', len - 1));
        copied = start + len;
    }
    out.push_str(&text[copied..]);
    out
}

/// The byte offset and length of every `*name` that starts a node: at a
/// line's start or after `[ { , - : ?`, outside quotes and comments. Block
/// scalars are not followed, so a line of one that starts with `*` counts.
fn alias_starts(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut quote = None;
        let mut last = None; // The last character before the current token.
        let mut previous = ' ';
        for (i, c) in line.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '#' && previous.is_whitespace() => break,
                None if (c == '"' || c == '\'') && opens_node(previous, last) => quote = Some(c),
                None if c == '*' && opens_node(previous, last) => {
                    let name = line[i + 1..]
                        .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                        .unwrap_or(line.len() - i - 1);
                    found.push((line_start + i, name + 1));
                }
                None => {}
            }
            if !c.is_whitespace() {
                last = Some(c);
            }
            previous = c;
        }
        line_start += line.len();
    }
    found
}

/// Whether a token starting after `previous` (the character just before)
/// and `last` (the last non-space one on the line) starts a node.
fn opens_node(previous: char, last: Option<char>) -> bool {
    match last {
        None => true,
        Some('[' | '{' | ',') => true,
        Some('-' | ':' | '?') => previous.is_whitespace(),
        Some(_) => false,
    }
}

/// A visitor and seed that reads any value and keeps nothing, spending one
/// unit per node and one per byte of text from `left`.
struct Walk<'b> {
    left: &'b mut usize,
}

impl Walk<'_> {
    fn spend<E: de::Error>(&mut self, units: usize) -> Result<(), E> {
        *self.left = self
            .left
            .checked_sub(units)
            .ok_or_else(|| E::custom(OVER_BUDGET))?;
        Ok(())
    }

    fn inner(&mut self) -> Walk<'_> {
        Walk {
            left: &mut *self.left,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(mut self, _: bool) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_i64<E: de::Error>(mut self, _: i64) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_u64<E: de::Error>(mut self, _: u64) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_i128<E: de::Error>(mut self, _: i128) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_u128<E: de::Error>(mut self, _: u128) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_f64<E: de::Error>(mut self, _: f64) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_str<E: de::Error>(mut self, text: &str) -> Result<(), E> {
        self.spend(1 + text.len())
    }

    fn visit_bytes<E: de::Error>(mut self, bytes: &[u8]) -> Result<(), E> {
        self.spend(1 + bytes.len())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_none<E: de::Error>(mut self) -> Result<(), E> {
        self.spend(1)
    }

    fn visit_some<D: Deserializer<'de>>(mut self, deserializer: D) -> Result<(), D::Error> {
        self.spend(1)?;
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        mut self,
        deserializer: D,
    ) -> Result<(), D::Error> {
        self.spend(1)?;
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.spend(1)?;
        while seq.next_element_seed(self.inner())?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.spend(1)?;
        while map.next_key_seed(self.inner())?.is_some() {
            map.next_value_seed(self.inner())?;
        }
        Ok(())
    }

    /// A tagged value (`!tag value`): the tag, then the value.
    fn visit_enum<A: EnumAccess<'de>>(mut self, data: A) -> Result<(), A::Error> {
        self.spend(1)?;
        let ((), variant) = data.variant_seed(self.inner())?;
        de::VariantAccess::newtype_variant_seed(variant, self.inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(anchor_bytes: usize, aliases: usize) -> String {
        let refs = vec!["*s"; aliases].join(", ");
        format!(
            "languages: [en]\ndomain: &s \"{}\"\nhighlights: [{refs}]\n",
            "x".repeat(anchor_bytes)
        )
    }

    #[test]
    fn the_budget_is_16_mib_or_four_times_the_file() {
        assert_eq!(budget("a: 1"), 16 * MIB);
        assert_eq!(budget(&"x".repeat(5 * MIB)), 20 * MIB);
        assert_eq!(budget(&"x".repeat(5 * MIB + 1)), 21 * MIB);
    }

    #[test]
    fn copies_of_a_large_anchor_are_refused_at_the_alias_that_crosses() {
        // 1 MiB copied: the anchor and 15 copies pass 16 MiB.
        let text = bomb(MIB, 40);
        let err = check(&text, Path::new("content/report.yaml"), 0).unwrap_err();
        assert!(err.message.contains("beyond 16 MiB"), "{}", err.message);
        assert_eq!(err.line, 3);
        let sixteenth = text.lines().nth(2).unwrap().match_indices("*s").nth(14);
        assert_eq!(Some(err.col - 1), sixteenth.map(|(i, _)| i));
        assert!(
            err.hint
                .unwrap_or_default()
                .contains("instead of through aliases")
        );
        // Within the budget, aliases are fine.
        assert!(check(&bomb(MIB, 10), Path::new("r.yaml"), 0).is_ok());
    }

    #[test]
    fn the_alias_is_found_on_its_own_line_in_block_lists() {
        let items: String = (0..40).map(|_| "  - *big\n").collect();
        let text = format!("anchor: &big \"{}\"\nlist:\n{items}", "y".repeat(MIB));
        let err = check(&text, Path::new("m.yaml"), 10).unwrap_err();
        assert_eq!((err.line, err.col), (10 + 2 + 15, 5), "{}", err.message);
    }

    #[test]
    fn nested_aliases_hit_the_repetition_limit_with_a_clear_message() {
        let mut text = String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (name, inner) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{inner}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let err = check(&text, Path::new("m.yaml"), 0).unwrap_err();
        assert!(
            err.message
                .starts_with("this alias is expanded too many times")
                || err.message.contains("beyond 16 MiB"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("repetition limit"), "{}", err.message);
        assert!(err.line > 1, "{}:{}", err.line, err.message);
    }

    #[test]
    fn sensible_aliases_and_look_alikes_pass() {
        let text = "unit: &people { zh: 人, en: people }\nmetrics:\n  - unit: *people\n  - note: \"*not an alias\" # *nor this\n    label: a *b c\n";
        assert!(check(text, Path::new("m.yaml"), 0).is_ok());
        assert_eq!(
            alias_starts(text),
            vec![(text.find("*people\n").unwrap(), 7)]
        );
        // Syntax errors are left to the typed parse.
        assert!(check("a: &x [1, 2\nb: *x\n", Path::new("m.yaml"), 0).is_ok());
    }

    #[test]
    fn neutralising_keeps_positions() {
        let text = "a: &x 1\nb: [*x, *x]\n";
        let out = neutralised(text, &alias_starts(text)[1..]);
        assert_eq!(out, "a: &x 1\nb: [*x, ~ ]\n");
    }
}
