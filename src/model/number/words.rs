//! The words a language puts around its numbers that CLDR does not have:
//! approximations ("over", 余), percentage points, and the choices a theme
//! makes for a language (how money is written, whether digits are
//! grouped). They come from the `numbers:` block of a theme's
//! `i18n/<lang>.yaml`; every other convention comes from CLDR.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

// The file format names it; formatting by it is this module's work.
pub use crate::load::yaml::Money;

/// Whether long numbers are written with a group separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// As CLDR says for the language ("22,959", "1234" in Spanish).
    #[default]
    Auto,
    /// Never: "22959人", as Chinese reports write.
    Never,
    /// Always, even where CLDR leaves four digits alone.
    Always,
}

/// A word in each CLDR plural category of a language; `{}` marks where the
/// number goes. Written as one text when the language does not inflect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PluralWords {
    /// The same text for every number.
    One(String),
    /// A text per plural category; `other` is required.
    Forms(PluralForms),
}

/// The plural forms of [`PluralWords`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluralForms {
    /// The form for zero where a language has one (Latvian, Arabic…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero: Option<String>,
    /// "1 project", "1,5 million" in French.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one: Option<String>,
    /// The dual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two: Option<String>,
    /// "few" (Polish, Czech, Russian…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub few: Option<String>,
    /// "many" (French and Spanish millions, Polish, Russian…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub many: Option<String>,
    /// Every other number.
    pub other: String,
}

impl PluralWords {
    /// The text for a CLDR plural category, falling back to `other`.
    pub fn get(&self, category: icu_plurals::PluralCategory) -> &str {
        use icu_plurals::PluralCategory as C;
        let forms = match self {
            Self::One(text) => return text,
            Self::Forms(forms) => forms,
        };
        let form = match category {
            C::Zero => &forms.zero,
            C::One => &forms.one,
            C::Two => &forms.two,
            C::Few => &forms.few,
            C::Many => &forms.many,
            C::Other => &None,
        };
        form.as_deref().unwrap_or(&forms.other)
    }

    /// Every text, for checking placeholders.
    fn texts(&self) -> Vec<&str> {
        match self {
            Self::One(text) => vec![text],
            Self::Forms(f) => [&f.zero, &f.one, &f.two, &f.few, &f.many]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .chain([f.other.as_str()])
                .collect(),
        }
    }
}

/// Text before and after a number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Affix {
    /// Written before the number ("USD\u{a0}", "近").
    pub before: String,
    /// Written after the number ("\u{a0}%", "元").
    pub after: String,
}

impl Affix {
    /// Splits a pattern at its `{}`: "over {}" → ("over ", "").
    pub fn from_pattern(pattern: &str) -> Option<Self> {
        let (before, after) = pattern.split_once("{}")?;
        Some(Self {
            before: before.to_string(),
            after: after.to_string(),
        })
    }

    /// True when nothing is written before or after.
    pub fn is_empty(&self) -> bool {
        self.before.is_empty() && self.after.is_empty()
    }
}

/// The units whose words a theme gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnitPatterns {
    /// Millilitres: "{} ml", "{}毫升".
    pub ml: String,
    /// Square metres: "{} m²", "{}平方米".
    pub m2: String,
}

impl Default for UnitPatterns {
    fn default() -> Self {
        Self {
            ml: "{} ml".into(),
            m2: "{} m²".into(),
        }
    }
}

/// The `numbers:` block of a theme's i18n file, over English defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NumberWords {
    /// "More than": "over {}", "plus de {}", "{}余".
    pub over: String,
    /// "Nearly": "nearly {}", "近{}".
    pub nearly: String,
    /// True when an approximation written after the number comes before
    /// the unit (Chinese 1200余名, 25362万余元); otherwise after the unit
    /// (Japanese 1,200人以上).
    pub approx_before_unit: bool,
    /// Percentage points: "{} percentage points", "{}个百分点".
    pub points: PluralWords,
    /// How this language writes money unless the report says otherwise.
    pub money: Money,
    /// Digit grouping.
    pub grouping: Grouping,
    /// Millilitres and square metres.
    pub units: UnitPatterns,
    /// A currency written the language's own way, replacing CLDR's code,
    /// symbol or name: `cny: "{}元"`. Keys are lower-case ISO codes.
    pub currencies: BTreeMap<String, String>,
}

impl Default for NumberWords {
    fn default() -> Self {
        Self {
            over: "over {}".into(),
            nearly: "nearly {}".into(),
            approx_before_unit: false,
            points: PluralWords::Forms(PluralForms {
                one: Some("{} percentage point".into()),
                other: "{} percentage points".into(),
                ..PluralForms::default()
            }),
            money: Money::Code,
            grouping: Grouping::Auto,
            units: UnitPatterns::default(),
            currencies: BTreeMap::new(),
        }
    }
}

impl NumberWords {
    /// The first text that lacks its `{}`, for a theme diagnostic.
    pub fn missing_placeholder(&self) -> Option<String> {
        let mut texts = vec![
            ("over", self.over.as_str()),
            ("nearly", self.nearly.as_str()),
            ("units.ml", self.units.ml.as_str()),
            ("units.m2", self.units.m2.as_str()),
        ];
        texts.extend(self.points.texts().into_iter().map(|t| ("points", t)));
        texts.extend(
            self.currencies
                .iter()
                .map(|(code, t)| (code.as_str(), t.as_str())),
        );
        texts
            .into_iter()
            .find(|(_, text)| !text.contains("{}"))
            .map(|(key, text)| format!("`{key}: {text}` has no `{{}}` where the number goes"))
    }
}
