//! Languages are data: the list comes from report.yaml, the first is the
//! default. Nothing in nianbao assumes that `zh` or `en` exist.

use std::collections::BTreeMap;

use serde::Serialize;

// A code is part of every file name, so `load` checks it first.
pub use crate::load::discover::is_valid_code;

/// One language of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    /// Code as used in file names and URLs (`zh`, `en`, `fr`).
    pub code: String,
    /// BCP 47 tag for `lang=""` and hreflang (`zh-Hans` for `zh`).
    pub tag: String,
}

impl Language {
    /// A language from its code.
    pub fn new(code: &str) -> Self {
        // Plain `zh` means Simplified Chinese here (mainland reports); a report
        // can say `zh-Hant` explicitly.
        let tag = if code == "zh" {
            "zh-Hans".to_string()
        } else {
            code.to_string()
        };
        Self {
            code: code.to_string(),
            tag,
        }
    }
}

/// Text in every language of the report (validated: all present).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// The text in `lang`, or empty when absent (validation prevents that).
    pub fn get(&self, lang: &str) -> &str {
        self.0.get(lang).map_or("", String::as_str)
    }
}

/// True for characters between which Chinese and Japanese put no space:
/// ideographs, kana and full-width punctuation. Korean uses spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'   // radicals
        | '\u{3000}'..='\u{303F}' // CJK symbols and punctuation 。、「」
        | '\u{3040}'..='\u{30FF}' // kana
        | '\u{3100}'..='\u{312F}' // bopomofo
        | '\u{31C0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}' // full-width forms ，：（）
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3134F}'
        | '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for ok in ["en", "zh", "fil", "zh-hant", "pt-BR"] {
            assert!(is_valid_code(ok), "{ok}");
        }
        for bad in ["", "e", "EN", "english", "en_US", "../x", "en-", "zh/en"] {
            assert!(!is_valid_code(bad), "{bad}");
        }
        assert_eq!(Language::new("zh").tag, "zh-Hans");
        assert_eq!(Language::new("en").tag, "en");
    }
}
