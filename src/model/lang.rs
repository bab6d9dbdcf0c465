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
