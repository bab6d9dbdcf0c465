//! Locale formatting of metric values: 万/亿 for Chinese, thousands
//! separators and million/billion for English and other languages, with
//! approximation words (余/近, over/nearly) and units.
//!
//! Values are kept as exact decimal strings, never as floats: switching to
//! 万 or million only moves the decimal point, so every digit the author gave
//! is kept.

use serde::{Deserialize, Serialize};

// The file format names these; formatting them is this module's work.
pub use crate::load::yaml::{Approx, Style};

/// An exact decimal number, as the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    /// Integer digits, no leading zeros ("0" for zero).
    int: String,
    /// Fraction digits, no trailing zeros.
    frac: String,
}

impl Decimal {
    /// Parses a plain decimal such as `253620000`, `-3.5` or `0.401`.
    /// Exponents are accepted (`1e6`, `2.5E-3`), as YAML allows them.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(i) => (&unsigned[..i], unsigned[i + 1..].parse::<i32>().ok()?),
            None => (unsigned, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        if exponent.unsigned_abs() > 64 {
            return None;
        }
        let number = Self::normalized(negative, int, frac);
        Some(if exponent >= 0 {
            number.times_pow10(exponent as usize)
        } else {
            number.div_pow10(exponent.unsigned_abs() as usize)
        })
    }

    fn normalized(negative: bool, int: &str, frac: &str) -> Self {
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let zero = int == "0" && frac.is_empty();
        Self {
            negative: negative && !zero,
            int: int.to_string(),
            frac: frac.to_string(),
        }
    }

    /// This number divided by 10^n (exact).
    pub fn div_pow10(&self, n: usize) -> Self {
        let padded = format!("{:0>width$}", self.int, width = n + 1);
        let split = padded.len() - n;
        let frac = format!("{}{}", &padded[split..], self.frac);
        Self::normalized(self.negative, &padded[..split], &frac)
    }

    /// This number multiplied by 10^n (exact).
    pub fn times_pow10(&self, n: usize) -> Self {
        let frac = format!("{:0<width$}", self.frac, width = n);
        let int = format!("{}{}", self.int, &frac[..n]);
        Self::normalized(self.negative, &int, &frac[n..])
    }

    /// Number of digits after the decimal point.
    pub fn decimals(&self) -> usize {
        self.frac.len()
    }

    /// True when the absolute value is at least 10^n.
    pub fn at_least_pow10(&self, n: usize) -> bool {
        self.int != "0" && self.int.len() > n
    }

    /// True when the value is exactly one.
    pub fn is_one(&self) -> bool {
        !self.negative && self.int == "1" && self.frac.is_empty()
    }

    /// True when the value is zero.
    pub fn is_zero(&self) -> bool {
        self.int == "0" && self.frac.is_empty()
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The absolute value.
    pub fn abs(&self) -> Self {
        Self {
            negative: false,
            ..self.clone()
        }
    }

    /// True when the integer part ends in 0 (1000, 20): Chinese puts 余
    /// before 万 then (1000余万), after it otherwise (3万余).
    fn int_ends_in_zero(&self) -> bool {
        self.frac.is_empty() && self.int.len() > 1 && self.int.ends_with('0')
    }

    /// Writes the number with a thousands separator (none when empty) and a
    /// decimal mark.
    pub fn to_grouped(&self, separator: &str, decimal_mark: &str) -> String {
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        let digits = self.int.len();
        for (i, c) in self.int.chars().enumerate() {
            if i > 0 && (digits - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        if !self.frac.is_empty() {
            out.push_str(decimal_mark);
            out.push_str(&self.frac);
        }
        out
    }

    /// An `f64` approximation, for drawing charts only.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }
}

impl Default for Decimal {
    /// Zero.
    fn default() -> Self {
        Self {
            negative: false,
            int: "0".to_string(),
            frac: String::new(),
        }
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_grouped("", "."))
    }
}

/// Which family of number words a language uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NumberSystem {
    /// Chinese: 万 and 亿, no thousands separator.
    Myriad,
    /// Thousands separators, million and billion.
    Western,
}

/// Text before and after a number for one unit in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Affix {
    /// Written before the number ("CNY ").
    pub before: String,
    /// Written after the number ("元", " ml").
    pub after: String,
}

impl Affix {
    fn new(before: &str, after: &str) -> Self {
        Self {
            before: before.to_string(),
            after: after.to_string(),
        }
    }
}

/// The words and marks a language uses for numbers; comes from the theme's
/// `i18n/<lang>.yaml` (`numbers:`), with built-in defaults for Chinese and
/// for everything else (English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NumberWords {
    /// 万/亿 or thousands/millions.
    pub system: NumberSystem,
    /// Thousands separator (Western only).
    pub group_separator: String,
    /// Decimal mark.
    pub decimal_mark: String,
    /// "over" (Western: before the number; Myriad: 余 after it).
    pub over: String,
    /// "nearly" (before the number in both systems).
    pub nearly: String,
    /// Word for 10⁶.
    pub million: String,
    /// Word for 10⁹.
    pub billion: String,
    /// Word for 10⁴ (Myriad).
    pub wan: String,
    /// Word for 10⁸ (Myriad).
    pub yi: String,
    /// Chinese yuan.
    pub cny: Affix,
    /// Millilitres.
    pub ml: Affix,
    /// Square metres.
    pub m2: Affix,
    /// Percent.
    pub percent: Affix,
}

impl Default for NumberWords {
    fn default() -> Self {
        Self::western()
    }
}

impl NumberWords {
    /// English conventions, the default for any language but Chinese.
    pub fn western() -> Self {
        Self {
            system: NumberSystem::Western,
            group_separator: ",".into(),
            decimal_mark: ".".into(),
            over: "over".into(),
            nearly: "nearly".into(),
            million: "million".into(),
            billion: "billion".into(),
            wan: String::new(),
            yi: String::new(),
            cny: Affix::new("CNY ", ""),
            ml: Affix::new("", " ml"),
            m2: Affix::new("", " m²"),
            percent: Affix::new("", "%"),
        }
    }

    /// Chinese conventions.
    pub fn chinese() -> Self {
        Self {
            system: NumberSystem::Myriad,
            group_separator: String::new(),
            decimal_mark: ".".into(),
            over: "余".into(),
            nearly: "近".into(),
            million: String::new(),
            billion: String::new(),
            wan: "万".into(),
            yi: "亿".into(),
            cny: Affix::new("", "元"),
            ml: Affix::new("", "毫升"),
            m2: Affix::new("", "平方米"),
            percent: Affix::new("", "%"),
        }
    }

    /// The built-in defaults for a language code.
    pub fn for_language(code: &str) -> Self {
        if code == "zh" || code.starts_with("zh-") {
            Self::chinese()
        } else {
            Self::western()
        }
    }
}

/// A noun unit word in one language, with an optional singular.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noun {
    /// Used for the value 1.
    pub one: String,
    /// Used for every other value.
    pub other: String,
}

/// The unit of a metric, resolved for one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitWords<'a> {
    /// Chinese yuan.
    Cny,
    /// A ratio shown as a percentage.
    Percent,
    /// Millilitres.
    Ml,
    /// Square metres.
    M2,
    /// A counted noun ("people", 人).
    Noun(&'a Noun),
}

/// A formatted value split into the part before the number, the number, and
/// the part after, so a highlight card can set the number large.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Parts {
    /// Approximation word and unit prefix ("over CNY").
    pub before: String,
    /// The number itself ("253.62", "25362").
    pub number: String,
    /// Magnitude word and unit ("million", "万元").
    pub after: String,
}

impl Parts {
    /// The whole text, with spaces where the language wants them.
    pub fn joined(&self) -> String {
        let mut out = self.before.clone();
        out.push_str(&self.number);
        out.push_str(&self.after);
        out
    }
}

/// What to format: a value with its unit, approximation and style override.
pub struct Quantity<'a> {
    /// The exact value in base units.
    pub value: &'a Decimal,
    /// Its unit.
    pub unit: UnitWords<'a>,
    /// 余 / 近, if any.
    pub approx: Option<Approx>,
    /// The metric's `display` override for this language.
    pub style: Option<Style>,
}

/// Formats a quantity for a language, split into parts.
pub fn format_parts(q: &Quantity<'_>, words: &NumberWords) -> Parts {
    if q.unit == UnitWords::Percent {
        return format_percent_parts(q.value, q.approx, words);
    }
    let style = q.style.unwrap_or_else(|| auto_style(q.value, words.system));
    let (scaled, magnitude) = scale(q.value, style, words);
    let number = scaled.to_grouped(group_separator(words, style), &words.decimal_mark);
    let plain_one = style == Style::Plain && q.value.is_one();
    match words.system {
        NumberSystem::Myriad => myriad_parts(q, words, &scaled, number, magnitude, plain_one),
        NumberSystem::Western => western_parts(q, words, number, magnitude, plain_one),
    }
}

/// Formats a quantity for a language as one string.
pub fn format_quantity(q: &Quantity<'_>, words: &NumberWords) -> String {
    format_parts(q, words).joined()
}

/// Formats only the number (with its magnitude word and approximation), no
/// unit: `{{ metric:ID | number }}` and chart axes.
pub fn format_number(
    value: &Decimal,
    approx: Option<Approx>,
    style: Option<Style>,
    words: &NumberWords,
) -> String {
    let noun = Noun {
        one: String::new(),
        other: String::new(),
    };
    let q = Quantity {
        value,
        unit: UnitWords::Noun(&noun),
        approx,
        style,
    };
    format_quantity(&q, words).trim_end().to_string()
}

/// Formats a ratio as a percentage: 0.401 → "40.1%".
pub fn format_percent(ratio: &Decimal, words: &NumberWords) -> String {
    format_percent_parts(ratio, None, words).joined()
}

fn format_percent_parts(ratio: &Decimal, approx: Option<Approx>, words: &NumberWords) -> Parts {
    let number = ratio
        .times_pow10(2)
        .to_grouped(&words.group_separator, &words.decimal_mark);
    let before = match approx {
        Some(Approx::Nearly) => prefix_word(&words.nearly, words.system),
        Some(Approx::Over) if words.system == NumberSystem::Western => {
            prefix_word(&words.over, words.system)
        }
        _ => String::new(),
    };
    let mut after = words.percent.after.clone();
    if approx == Some(Approx::Over) && words.system == NumberSystem::Myriad {
        after.push_str(&words.over);
    }
    Parts {
        before: before + &words.percent.before,
        number,
        after,
    }
}

fn auto_style(value: &Decimal, system: NumberSystem) -> Style {
    let fits = |power: usize, max_decimals: usize| {
        value.at_least_pow10(power) && value.div_pow10(power).decimals() <= max_decimals
    };
    match system {
        NumberSystem::Myriad if fits(8, 2) => Style::Yi,
        NumberSystem::Myriad if fits(4, 2) => Style::Wan,
        NumberSystem::Western if fits(9, 3) => Style::Billion,
        NumberSystem::Western if fits(6, 3) => Style::Million,
        _ => Style::Plain,
    }
}

/// The value divided for the style, and the magnitude word to write.
fn scale<'w>(value: &Decimal, style: Style, words: &'w NumberWords) -> (Decimal, &'w str) {
    match style {
        Style::Plain => (value.clone(), ""),
        Style::Wan => (value.div_pow10(4), &words.wan),
        Style::Yi => (value.div_pow10(8), &words.yi),
        Style::Million => (value.div_pow10(6), &words.million),
        Style::Billion => (value.div_pow10(9), &words.billion),
    }
}

fn group_separator(words: &NumberWords, style: Style) -> &str {
    // 万/亿 numbers are short; Chinese writes them without separators.
    match (words.system, style) {
        (NumberSystem::Myriad, _) => "",
        _ => &words.group_separator,
    }
}

fn prefix_word(word: &str, system: NumberSystem) -> String {
    match system {
        NumberSystem::Myriad => word.to_string(),
        NumberSystem::Western if word.is_empty() => String::new(),
        NumberSystem::Western => format!("{word} "),
    }
}

fn myriad_parts(
    q: &Quantity<'_>,
    words: &NumberWords,
    scaled: &Decimal,
    number: String,
    magnitude: &str,
    plain_one: bool,
) -> Parts {
    let (unit_before, unit_after) = unit_affixes(&q.unit, words, plain_one);
    let mut before = String::new();
    if q.approx == Some(Approx::Nearly) {
        before.push_str(&words.nearly);
    }
    before.push_str(&unit_before);
    let mut after = String::new();
    let over = q.approx == Some(Approx::Over);
    // 1000余万元 but 3万余人: 余 follows the place that is approximate.
    if over && !magnitude.is_empty() && scaled.int_ends_in_zero() {
        after.push_str(&words.over);
        after.push_str(magnitude);
    } else {
        after.push_str(magnitude);
        if over {
            after.push_str(&words.over);
        }
    }
    after.push_str(&unit_after);
    Parts {
        before,
        number,
        after,
    }
}

fn western_parts(
    q: &Quantity<'_>,
    words: &NumberWords,
    number: String,
    magnitude: &str,
    plain_one: bool,
) -> Parts {
    let (unit_before, unit_after) = unit_affixes(&q.unit, words, plain_one);
    let mut before = match q.approx {
        Some(Approx::Over) => prefix_word(&words.over, words.system),
        Some(Approx::Nearly) => prefix_word(&words.nearly, words.system),
        None => String::new(),
    };
    before.push_str(&unit_before);
    let mut after = String::new();
    if !magnitude.is_empty() {
        after.push(' ');
        after.push_str(magnitude);
    }
    after.push_str(&unit_after);
    Parts {
        before,
        number,
        after,
    }
}

fn unit_affixes(unit: &UnitWords<'_>, words: &NumberWords, one: bool) -> (String, String) {
    let affix = match unit {
        UnitWords::Cny => &words.cny,
        UnitWords::Ml => &words.ml,
        UnitWords::M2 => &words.m2,
        UnitWords::Percent => &words.percent,
        UnitWords::Noun(noun) => {
            let word = if one { &noun.one } else { &noun.other };
            let after = match (words.system, word.is_empty()) {
                (_, true) => String::new(),
                (NumberSystem::Myriad, false) => word.clone(),
                (NumberSystem::Western, false) => format!(" {word}"),
            };
            return (String::new(), after);
        }
    };
    (affix.before.clone(), affix.after.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn noun(one: &str, other: &str) -> Noun {
        Noun {
            one: one.into(),
            other: other.into(),
        }
    }

    fn fmt(value: &str, unit: UnitWords<'_>, approx: Option<Approx>, lang: &str) -> String {
        let value = Decimal::parse(value).unwrap();
        let q = Quantity {
            value: &value,
            unit,
            approx,
            style: None,
        };
        format_quantity(&q, &NumberWords::for_language(lang))
    }

    // Every row of the spec's locale table.
    #[test]
    fn spec_table_cny() {
        assert_eq!(fmt("253620000", UnitWords::Cny, None, "zh"), "25362万元");
        assert_eq!(
            fmt("253620000", UnitWords::Cny, None, "en"),
            "CNY 253.62 million"
        );
        assert_eq!(fmt("126000000", UnitWords::Cny, None, "zh"), "1.26亿元");
        assert_eq!(
            fmt("126000000", UnitWords::Cny, None, "en"),
            "CNY 126 million"
        );
        assert_eq!(fmt("8959000", UnitWords::Cny, None, "zh"), "895.9万元");
        assert_eq!(
            fmt("8959000", UnitWords::Cny, None, "en"),
            "CNY 8.959 million"
        );
    }

    #[test]
    fn spec_table_nouns_and_percent() {
        let people = Noun {
            one: "人".into(),
            other: "人".into(),
        };
        let people_en = noun("person", "people");
        assert_eq!(
            fmt("22959", UnitWords::Noun(&people), None, "zh"),
            "22959人"
        );
        assert_eq!(
            fmt("22959", UnitWords::Noun(&people_en), None, "en"),
            "22,959 people"
        );
        assert_eq!(fmt("0.401", UnitWords::Percent, None, "zh"), "40.1%");
        assert_eq!(fmt("0.401", UnitWords::Percent, None, "en"), "40.1%");
        let tents = noun("顶（包）", "顶（包）");
        let tents_en = noun("tents and kits", "tents and kits");
        assert_eq!(
            fmt("3000", UnitWords::Noun(&tents), Some(Approx::Over), "zh"),
            "3000余顶（包）"
        );
        assert_eq!(
            fmt("3000", UnitWords::Noun(&tents_en), Some(Approx::Over), "en"),
            "over 3,000 tents and kits"
        );
        let visits = noun("人次", "人次");
        let visits_en = noun("person-time", "person-times");
        assert_eq!(
            fmt(
                "10000",
                UnitWords::Noun(&visits),
                Some(Approx::Nearly),
                "zh"
            ),
            "近1万人次"
        );
        assert_eq!(
            fmt(
                "10000",
                UnitWords::Noun(&visits_en),
                Some(Approx::Nearly),
                "en"
            ),
            "nearly 10,000 person-times"
        );
    }

    #[test]
    fn over_goes_before_wan_after_a_round_number() {
        let yuan = UnitWords::Cny;
        assert_eq!(
            fmt("10000000", yuan, Some(Approx::Over), "zh"),
            "1000余万元"
        );
        let people = noun("人", "人");
        assert_eq!(
            fmt("30000", UnitWords::Noun(&people), Some(Approx::Over), "zh"),
            "3万余人"
        );
        assert_eq!(
            fmt(
                "2166000",
                UnitWords::Noun(&people),
                Some(Approx::Over),
                "zh"
            ),
            "216.6万余人"
        );
        assert_eq!(
            fmt("250000", UnitWords::Noun(&people), Some(Approx::Over), "zh"),
            "25万余人"
        );
    }

    #[test]
    fn units_and_singular() {
        assert_eq!(fmt("8400", UnitWords::Ml, None, "zh"), "8400毫升");
        assert_eq!(fmt("8400", UnitWords::Ml, None, "en"), "8,400 ml");
        assert_eq!(fmt("15400000", UnitWords::M2, None, "zh"), "1540万平方米");
        assert_eq!(
            fmt("15400000", UnitWords::M2, None, "en"),
            "15.4 million m²"
        );
        let projects = noun("project", "projects");
        assert_eq!(
            fmt("1", UnitWords::Noun(&projects), None, "en"),
            "1 project"
        );
        assert_eq!(
            fmt("4", UnitWords::Noun(&projects), None, "en"),
            "4 projects"
        );
    }

    #[test]
    fn keeps_digits_when_a_magnitude_would_lose_them() {
        assert_eq!(fmt("79412900", UnitWords::Cny, None, "zh"), "7941.29万元");
        assert_eq!(
            fmt("79412900", UnitWords::Cny, None, "en"),
            "CNY 79,412,900"
        );
        assert_eq!(fmt("72088", UnitWords::Cny, None, "zh"), "72088元");
        assert_eq!(
            fmt("1234567891", UnitWords::Cny, None, "en"),
            "CNY 1,234,567,891"
        );
        assert_eq!(
            fmt("2500000000", UnitWords::Cny, None, "en"),
            "CNY 2.5 billion"
        );
    }

    #[test]
    fn display_override() {
        let v = Decimal::parse("10000").unwrap();
        let cases = noun("例", "例");
        let q = Quantity {
            value: &v,
            unit: UnitWords::Noun(&cases),
            approx: None,
            style: Some(Style::Plain),
        };
        assert_eq!(format_quantity(&q, &NumberWords::chinese()), "10000例");
        let v = Decimal::parse("253620000").unwrap();
        let q = Quantity {
            value: &v,
            unit: UnitWords::Cny,
            approx: None,
            style: Some(Style::Yi),
        };
        assert_eq!(format_quantity(&q, &NumberWords::chinese()), "2.5362亿元");
    }

    #[test]
    fn parts_split_number_from_words() {
        let v = Decimal::parse("253620000").unwrap();
        let q = Quantity {
            value: &v,
            unit: UnitWords::Cny,
            approx: Some(Approx::Over),
            style: None,
        };
        let en = format_parts(&q, &NumberWords::western());
        assert_eq!(
            (en.before.as_str(), en.number.as_str(), en.after.as_str()),
            ("over CNY ", "253.62", " million")
        );
        let zh = format_parts(&q, &NumberWords::chinese());
        assert_eq!(
            (zh.before.as_str(), zh.number.as_str(), zh.after.as_str()),
            ("", "25362", "万余元")
        );
    }

    #[test]
    fn decimal_parsing() {
        assert_eq!(
            Decimal::parse("0.401").unwrap().times_pow10(2).to_string(),
            "40.1"
        );
        assert_eq!(Decimal::parse("1e6").unwrap().to_string(), "1000000");
        assert_eq!(Decimal::parse("-2.50").unwrap().to_string(), "-2.5");
        assert_eq!(Decimal::parse("-0").unwrap().to_string(), "0");
        assert_eq!(Decimal::parse("007").unwrap().to_string(), "7");
        assert!(Decimal::parse("").is_none());
        assert!(Decimal::parse("1.2.3").is_none());
        assert!(Decimal::parse("abc").is_none());
        assert!(Decimal::parse("1e999").is_none());
        assert!(Decimal::parse(".").is_none());
        assert!(Decimal::parse("inf").is_none());
    }

    #[test]
    fn format_number_and_percent() {
        let v = Decimal::parse("4100000").unwrap();
        assert_eq!(
            format_number(&v, None, None, &NumberWords::chinese()),
            "410万"
        );
        assert_eq!(
            format_number(&v, Some(Approx::Over), None, &NumberWords::western()),
            "over 4.1 million"
        );
        let r = Decimal::parse("1.001").unwrap();
        assert_eq!(format_percent(&r, &NumberWords::western()), "100.1%");
    }

    fn digits_of(s: &str) -> String {
        s.chars().filter(char::is_ascii_digit).collect::<String>()
    }

    fn significant(s: &str) -> String {
        digits_of(s)
            .trim_start_matches('0')
            .trim_end_matches('0')
            .to_string()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        // No digit the author gave is ever lost, in any style the formatter picks.
        #[test]
        fn no_digit_is_lost(int in 0u64..10_000_000_000_000, frac in 0u32..1000, has_frac in any::<bool>()) {
            let text = if has_frac { format!("{int}.{frac:03}") } else { int.to_string() };
            let value = Decimal::parse(&text).unwrap();
            for words in [NumberWords::chinese(), NumberWords::western()] {
                let out = format_number(&value, None, None, &words);
                prop_assert_eq!(significant(&out), significant(&text), "{} -> {}", text, out);
                // And the formatted number reads back to the same value.
                let scaled = if out.contains('万') { 4 } else if out.contains('亿') { 8 }
                    else if out.contains("million") { 6 } else if out.contains("billion") { 9 } else { 0 };
                let number: String = out.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
                prop_assert_eq!(Decimal::parse(&number).unwrap().times_pow10(scaled), value.clone());
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = Decimal::parse(&s);
        }
    }
}
