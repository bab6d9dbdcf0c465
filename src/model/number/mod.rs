//! Locale formatting of metric values, by the Unicode CLDR conventions of
//! each language (grouping, decimal separator, percent sign, compact words
//! such as million, Millionen, 万 and 億, currencies, plural rules) with the
//! words CLDR lacks (approximations, percentage points) from the theme.
//!
//! Values are exact decimals ([`Decimal`]): switching to 万 or million only
//! moves the decimal point, so every digit the author gave is kept unless
//! the report asks for money rounded in prose (`precision:`).

mod cldr;
mod decimal;
mod words;

use std::sync::Arc;

use serde::Serialize;

pub use self::cldr::{Cldr, is_currency};
pub use self::decimal::Decimal;
pub use self::words::{Affix, Grouping, Money, NumberWords, PluralForms, PluralWords};
// The file format names these; formatting them is this module's work.
pub use crate::load::yaml::{Approx, Style};
use crate::model::lang::is_cjk;

/// A noun unit's words in one language ("child" / "children").
pub type Noun = PluralWords;

/// How one language writes numbers: CLDR's conventions, the theme's words,
/// and the report's choices for money.
#[derive(Debug, Clone)]
pub struct Numbers {
    cldr: Arc<Cldr>,
    words: NumberWords,
    over: Affix,
    nearly: Affix,
    money: Money,
    precision: Option<u8>,
}

impl Default for Numbers {
    /// English.
    fn default() -> Self {
        Self::new("en", NumberWords::default())
    }
}

impl Numbers {
    /// The conventions of language `code` with a theme's words.
    pub fn new(code: &str, words: NumberWords) -> Self {
        let pattern = |p: &str| Affix::from_pattern(p).unwrap_or_default();
        Self {
            cldr: Arc::new(Cldr::new(code, words.grouping)),
            over: pattern(&words.over),
            nearly: pattern(&words.nearly),
            money: words.money,
            precision: None,
            words,
        }
    }

    /// The same language with a report's choices: how money is written
    /// (the theme's default when `None`) and to how many decimals of its
    /// compact unit money is rounded in prose.
    pub fn for_report(&self, money: Option<Money>, precision: Option<u8>) -> Self {
        Self {
            money: money.unwrap_or(self.words.money),
            precision,
            ..self.clone()
        }
    }

    /// The theme's words.
    pub fn words(&self) -> &NumberWords {
        &self.words
    }

    fn approx(&self, approx: Option<Approx>) -> Affix {
        match approx {
            Some(Approx::Over) => self.over.clone(),
            Some(Approx::Nearly) => self.nearly.clone(),
            None => Affix::default(),
        }
    }

    /// True when the language counts in myriads (万, 億): two decimals of
    /// 万 are as fine as three of a million.
    fn max_compact_decimals(&self, exponents: &[u8]) -> usize {
        if exponents.contains(&4) { 2 } else { 3 }
    }
}

/// The unit of a metric, resolved for one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitWords<'a> {
    /// A currency by its lower-case ISO 4217 code.
    Currency(&'a str),
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
pub fn format_parts(q: &Quantity<'_>, n: &Numbers) -> Parts {
    if q.unit == UnitWords::Percent {
        return percent_parts(q.value, q.approx, n);
    }
    let (scaled, exponent) = scale(q, n);
    let magnitude = match exponent {
        0 => Affix::default(),
        e => n.cldr.compact_word(e, &scaled).unwrap_or_default(),
    };
    let unit = unit_affix(&q.unit, n, &scaled, exponent);
    let approx = n.approx(q.approx);
    let number = n.cldr.digits(&scaled);
    // 1000余万元 but 3万余人: a trailing approximation follows the place
    // that is approximate.
    let approx_before_magnitude = !magnitude.after.is_empty() && scaled.int_ends_in_zero();
    let mut after = String::new();
    if !n.words.approx_before_unit {
        after.push_str(&magnitude.after);
        after.push_str(&unit.after);
        after.push_str(&approx.after);
    } else if approx_before_magnitude {
        after.push_str(&approx.after);
        after.push_str(&magnitude.after);
        after.push_str(&unit.after);
    } else {
        after.push_str(&magnitude.after);
        after.push_str(&approx.after);
        after.push_str(&unit.after);
    }
    Parts {
        before: [approx.before, unit.before, magnitude.before].concat(),
        number,
        after,
    }
}

/// True when the quantity is written in a compact unit (million, 万).
pub fn is_compact(q: &Quantity<'_>, n: &Numbers) -> bool {
    q.unit != UnitWords::Percent && scale(q, n).1 > 0
}

/// Formats a quantity for a language as one string.
pub fn format_quantity(q: &Quantity<'_>, n: &Numbers) -> String {
    format_parts(q, n).joined()
}

/// Formats only the number (with its magnitude word and approximation), no
/// unit: `{{ metric:ID | number }}` and chart axes.
pub fn format_number(
    value: &Decimal,
    approx: Option<Approx>,
    style: Option<Style>,
    n: &Numbers,
) -> String {
    let noun = PluralWords::One(String::new());
    let q = Quantity {
        value,
        unit: UnitWords::Noun(&noun),
        approx,
        style,
    };
    format_quantity(&q, n).trim_end().to_string()
}

/// Formats a ratio as a percentage: 0.401 → "40.1%", "40,1 %".
pub fn format_percent(ratio: &Decimal, n: &Numbers) -> String {
    percent_parts(ratio, None, n).joined()
}

/// Formats a share in percent to one decimal, trailing zero kept:
/// 54.0 → "54.0%", "54,0 %".
pub fn format_share(percent: f64, n: &Numbers) -> String {
    let sign = n.cldr.percent();
    let digits = n.cldr.digits_of_text(&format!("{percent:.1}"));
    [sign.before.as_str(), &digits, &sign.after].concat()
}

/// Formats a difference of two ratios in percentage points, unsigned:
/// 0.021 → "2.1 percentage points", "2.1个百分点", "2,1 points".
pub fn format_points(difference: &Decimal, n: &Numbers) -> String {
    let points = difference.abs().times_pow10(2);
    let pattern = n.words.points.get(n.cldr.plural(Cldr::operands(&points)));
    let affix = Affix::from_pattern(pattern).unwrap_or_default();
    [affix.before, n.cldr.digits(&points), affix.after].concat()
}

/// `text` with its first letter capitalised, for a value that opens a
/// sentence ("Over 1,200 volunteers", "Plus de 1 200 bénévoles").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn percent_parts(ratio: &Decimal, approx: Option<Approx>, n: &Numbers) -> Parts {
    let approx = n.approx(approx);
    let sign = n.cldr.percent();
    Parts {
        before: [approx.before.as_str(), &sign.before].concat(),
        number: n.cldr.digits(&ratio.times_pow10(2)),
        after: [sign.after.as_str(), &approx.after].concat(),
    }
}

/// The value divided for the chosen magnitude, and that magnitude's
/// exponent (0 for all digits).
fn scale(q: &Quantity<'_>, n: &Numbers) -> (Decimal, u8) {
    let exponents = n.cldr.compact_exponents();
    let exponent = match q.style {
        Some(style) => style_exponent(style).filter(|e| exponents.contains(e)),
        None => auto_exponent(q.value, &exponents, n.max_compact_decimals(&exponents)),
    };
    let precision = match (&q.unit, q.style) {
        (UnitWords::Currency(_), None) => n.precision,
        _ => None,
    };
    let Some(precision) = precision else {
        return match exponent {
            Some(e) => (q.value.div_pow10(usize::from(e)), e),
            None => (q.value.clone(), 0),
        };
    };
    // Money rounded in prose: in the largest compact unit it reaches.
    let e = exponent.or_else(|| {
        exponents
            .iter()
            .rev()
            .copied()
            .find(|&e| q.value.at_least_pow10(usize::from(e)))
    });
    let e = e.unwrap_or(0);
    (
        q.value
            .div_pow10(usize::from(e))
            .rounded(usize::from(precision)),
        e,
    )
}

/// The plural operands of an amount as shown: "14.23 million" is plural
/// the way millions are (French "de" after millions).
fn amount_operands(scaled: &Decimal, exponent: u8) -> icu_plurals::PluralOperands {
    match exponent {
        0 => Cldr::operands(scaled),
        e => Cldr::compact_operands(scaled, e),
    }
}

fn style_exponent(style: Style) -> Option<u8> {
    match style {
        Style::Plain => None,
        Style::Wan => Some(4),
        Style::Yi => Some(8),
        Style::Million => Some(6),
        Style::Billion => Some(9),
    }
}

/// The largest compact unit that keeps every digit within a few decimals.
fn auto_exponent(value: &Decimal, exponents: &[u8], max_decimals: usize) -> Option<u8> {
    exponents.iter().rev().copied().find(|&e| {
        let e = usize::from(e);
        value.at_least_pow10(e) && value.div_pow10(e).decimals() <= max_decimals
    })
}

fn unit_affix(unit: &UnitWords<'_>, n: &Numbers, scaled: &Decimal, exponent: u8) -> Affix {
    let pattern = |p: &str| Affix::from_pattern(p).unwrap_or_default();
    match unit {
        UnitWords::Currency(code) => match n.words.currencies.get(*code) {
            Some(own) => pattern(own),
            None => n
                .cldr
                .currency(code, n.money, amount_operands(scaled, exponent)),
        },
        UnitWords::Percent => n.cldr.percent().clone(),
        UnitWords::Ml => pattern(&n.words.units.ml),
        UnitWords::M2 => pattern(&n.words.units.m2),
        UnitWords::Noun(noun) => {
            let category = n.cldr.plural(amount_operands(scaled, exponent));
            let word = noun.get(category);
            let after = match word.chars().next() {
                None => String::new(),
                Some(c) if is_cjk(c) => word.to_string(),
                Some(_) => format!(" {word}"),
            };
            Affix {
                before: String::new(),
                after,
            }
        }
    }
}

/// The numbers of `lang` with the default theme's words, for tests.
#[cfg(test)]
pub(crate) fn test_numbers(lang: &str) -> Numbers {
    let path = format!("i18n/{lang}.yaml");
    let words = crate::load::theme::default_theme_file(&path)
        .and_then(|bytes| serde_yaml::from_slice::<serde_yaml::Mapping>(bytes).ok())
        .and_then(|file| file.get("numbers").cloned())
        .and_then(|block| serde_yaml::from_value::<NumberWords>(block).ok())
        .unwrap_or_default();
    Numbers::new(lang, words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NBSP: char = '\u{a0}';
    const NNBSP: char = '\u{202f}';

    fn forms(one: &str, other: &str) -> Noun {
        PluralWords::Forms(PluralForms {
            one: Some(one.into()),
            other: other.into(),
            ..PluralForms::default()
        })
    }

    fn fmt_with(value: &str, unit: UnitWords<'_>, approx: Option<Approx>, n: &Numbers) -> String {
        let value = Decimal::parse(value).unwrap();
        let q = Quantity {
            value: &value,
            unit,
            approx,
            style: None,
        };
        format_quantity(&q, n)
    }

    fn fmt(value: &str, unit: UnitWords<'_>, approx: Option<Approx>, lang: &str) -> String {
        fmt_with(value, unit, approx, &test_numbers(lang))
    }

    fn usd(lang: &str, value: &str) -> String {
        fmt(value, UnitWords::Currency("usd"), None, lang)
    }

    // Every row of the spec's locale table (the 2020 report's output).
    #[test]
    fn spec_table_cny() {
        let cny = |v: &str, lang: &str| fmt(v, UnitWords::Currency("cny"), None, lang);
        assert_eq!(cny("253620000", "zh"), "25362万元");
        assert_eq!(cny("253620000", "en"), "CNY 253.62 million");
        assert_eq!(cny("126000000", "zh"), "1.26亿元");
        assert_eq!(cny("126000000", "en"), "CNY 126 million");
        assert_eq!(cny("8959000", "zh"), "895.9万元");
        assert_eq!(cny("8959000", "en"), "CNY 8.959 million");
    }

    #[test]
    fn spec_table_nouns_and_percent() {
        let people = PluralWords::One("人".into());
        let people_en = forms("person", "people");
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
        let tents = PluralWords::One("顶（包）".into());
        let tents_en = PluralWords::One("tents and kits".into());
        let over = Some(Approx::Over);
        assert_eq!(
            fmt("3000", UnitWords::Noun(&tents), over, "zh"),
            "3000余顶（包）"
        );
        assert_eq!(
            fmt("3000", UnitWords::Noun(&tents_en), over, "en"),
            "over 3,000 tents and kits"
        );
        let visits = PluralWords::One("人次".into());
        let visits_en = forms("person-time", "person-times");
        let nearly = Some(Approx::Nearly);
        assert_eq!(
            fmt("10000", UnitWords::Noun(&visits), nearly, "zh"),
            "近1万人次"
        );
        assert_eq!(
            fmt("10000", UnitWords::Noun(&visits_en), nearly, "en"),
            "nearly 10,000 person-times"
        );
    }

    // One row per language and unit kind: money (code and name), a count,
    // a percentage, an approximation, percentage points.
    #[test]
    fn table_per_language() {
        let children = |lang: &str| match lang {
            "en" => forms("child", "children"),
            "fr" => forms("enfant", "enfants"),
            "de" => forms("Kind", "Kinder"),
            "es" => forms("niño", "niños"),
            "ja" => PluralWords::One("人".into()),
            _ => PluralWords::One("名儿童".into()),
        };
        let rows: [(&str, [&str; 10]); 6] = [
            (
                "en",
                [
                    "USD\u{a0}14.23 million",
                    "EUR\u{a0}3.5 million",
                    "128,400 children",
                    "1 child",
                    "8.3%",
                    "over 1,200 children",
                    "2.1 percentage points",
                    "USD\u{a0}79,412,900",
                    "8,400 ml",
                    "15.4 million m²",
                ],
            ),
            (
                "zh",
                [
                    "1423万美元",
                    "350万欧元",
                    "12.84万名儿童",
                    "1名儿童",
                    "8.3%",
                    "1200余名儿童",
                    "2.1个百分点",
                    "7941.29万美元",
                    "8400毫升",
                    "1540万平方米",
                ],
            ),
            (
                "fr",
                [
                    "14,23 millions\u{a0}USD",
                    "3,5 millions\u{a0}EUR",
                    "128\u{202f}400 enfants",
                    "1 enfant",
                    "8,3\u{a0}%",
                    "plus de 1\u{202f}200 enfants",
                    "2,1 points",
                    "79\u{202f}412\u{202f}900\u{a0}USD",
                    "8\u{202f}400\u{a0}ml",
                    "15,4 millions\u{a0}m²",
                ],
            ),
            (
                "de",
                [
                    "14,23 Millionen\u{a0}USD",
                    "3,5 Millionen\u{a0}EUR",
                    "128.400 Kinder",
                    "1 Kind",
                    "8,3\u{a0}%",
                    "über 1.200 Kinder",
                    "2,1 Prozentpunkte",
                    "79.412.900\u{a0}USD",
                    "8.400 ml",
                    "15,4 Millionen m²",
                ],
            ),
            (
                "es",
                [
                    "14,23 millones\u{a0}USD",
                    "3,5 millones\u{a0}EUR",
                    "128.400 niños",
                    "1 niño",
                    "8,3\u{a0}%",
                    "más de 1200 niños",
                    "2,1 puntos porcentuales",
                    "79.412.900\u{a0}USD",
                    "8400 ml",
                    "15,4 millones m²",
                ],
            ),
            (
                "ja",
                [
                    "1,423万米ドル",
                    "350万ユーロ",
                    "12.84万人",
                    "1人",
                    "8.3%",
                    "1,200人以上",
                    "2.1ポイント",
                    "7,941.29万米ドル",
                    "8,400mL",
                    "1,540万m²",
                ],
            ),
        ];
        for (lang, want) in rows {
            let n = test_numbers(lang);
            let noun = children(lang);
            let got = [
                fmt_with("14230000", UnitWords::Currency("usd"), None, &n),
                fmt_with("3500000", UnitWords::Currency("eur"), None, &n),
                fmt_with("128400", UnitWords::Noun(&noun), None, &n),
                fmt_with("1", UnitWords::Noun(&noun), None, &n),
                fmt_with("0.083", UnitWords::Percent, None, &n),
                fmt_with("1200", UnitWords::Noun(&noun), Some(Approx::Over), &n),
                format_points(&Decimal::parse("0.021").unwrap(), &n),
                fmt_with("79412900", UnitWords::Currency("usd"), None, &n),
                fmt_with("8400", UnitWords::Ml, None, &n),
                fmt_with("15400000", UnitWords::M2, None, &n),
            ];
            assert_eq!(got, want, "{lang}");
        }
    }

    #[test]
    fn french_compact_words_agree_with_their_number() {
        assert_eq!(usd("fr", "1500000"), format!("1,5 million{NBSP}USD"));
        assert_eq!(usd("fr", "2000000"), format!("2 millions{NBSP}USD"));
        assert_eq!(usd("fr", "2500000000"), format!("2,5 milliards{NBSP}USD"));
        assert_eq!(usd("de", "1000000"), format!("1 Million{NBSP}USD"));
        assert_eq!(
            usd("es", "2500000000"),
            format!("2,5 mil millones{NBSP}USD")
        );
    }

    #[test]
    fn money_styles() {
        let en = test_numbers("en");
        let symbol = en.for_report(Some(Money::Symbol), None);
        let name = en.for_report(Some(Money::Name), None);
        let q = |n: &Numbers| fmt_with("14230000", UnitWords::Currency("usd"), None, n);
        assert_eq!(q(&symbol), "US$14.23 million");
        assert_eq!(q(&name), "14.23 million US dollars");
        let fr = test_numbers("fr").for_report(Some(Money::Name), None);
        // CLDR has no "de" for after millions: French reports keep codes.
        assert_eq!(q(&fr), "14,23 millions dollars des États-Unis");
        assert_eq!(
            fmt_with("2", UnitWords::Currency("usd"), None, &fr),
            "2 dollars des États-Unis"
        );
        assert_eq!(usd("zh", "72088"), "72088美元");
        assert_eq!(
            fmt("1200000", UnitWords::Currency("jpy"), None, "ja"),
            "120万円"
        );
        assert_eq!(
            fmt("1250000", UnitWords::Currency("chf"), None, "zh"),
            "125万瑞士法郎"
        );
    }

    #[test]
    fn precision_rounds_money_in_its_compact_unit() {
        let en = test_numbers("en").for_report(None, Some(2));
        let money = |v: &str| fmt_with(v, UnitWords::Currency("usd"), None, &en);
        assert_eq!(money("79412900"), "USD\u{a0}79.41 million");
        assert_eq!(money("126150000"), "USD\u{a0}126.15 million");
        assert_eq!(money("8959000"), "USD\u{a0}8.96 million");
        assert_eq!(money("72088.456"), "USD\u{a0}72,088.46");
        // Counts keep every digit.
        let people = PluralWords::One("people".into());
        assert_eq!(
            fmt_with("79412900", UnitWords::Noun(&people), None, &en),
            "79,412,900 people"
        );
        let zh = test_numbers("zh").for_report(None, Some(1));
        assert_eq!(
            fmt_with("79412900", UnitWords::Currency("usd"), None, &zh),
            "7941.3万美元"
        );
    }

    #[test]
    fn grouping_follows_cldr() {
        let people = PluralWords::One("personas".into());
        // Spanish leaves four digits alone.
        assert_eq!(
            fmt("1234", UnitWords::Noun(&people), None, "es"),
            "1234 personas"
        );
        assert_eq!(
            fmt("12345", UnitWords::Noun(&people), None, "es"),
            "12.345 personas"
        );
        assert_eq!(
            fmt("1234", UnitWords::Noun(&people), None, "fr"),
            format!("1{NNBSP}234 personas")
        );
    }

    #[test]
    fn japanese_approximations_follow_the_counter() {
        let people = PluralWords::One("人".into());
        assert_eq!(
            fmt(
                "10000",
                UnitWords::Noun(&people),
                Some(Approx::Nearly),
                "ja"
            ),
            "1万人近く"
        );
    }

    #[test]
    fn capitalises_the_first_letter_only() {
        assert_eq!(
            capitalised("over 1,200 volunteers"),
            "Over 1,200 volunteers"
        );
        assert_eq!(capitalised("über 1.200"), "Über 1.200");
        assert_eq!(capitalised("1200余名"), "1200余名");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn over_goes_before_wan_after_a_round_number() {
        let over = Some(Approx::Over);
        assert_eq!(
            fmt("10000000", UnitWords::Currency("cny"), over, "zh"),
            "1000余万元"
        );
        let people = PluralWords::One("人".into());
        assert_eq!(
            fmt("30000", UnitWords::Noun(&people), over, "zh"),
            "3万余人"
        );
        assert_eq!(
            fmt("2166000", UnitWords::Noun(&people), over, "zh"),
            "216.6万余人"
        );
        assert_eq!(
            fmt("250000", UnitWords::Noun(&people), over, "zh"),
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
        let projects = forms("project", "projects");
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
        let cny = UnitWords::Currency("cny");
        assert_eq!(fmt("79412900", cny.clone(), None, "zh"), "7941.29万元");
        assert_eq!(fmt("79412900", cny.clone(), None, "en"), "CNY 79,412,900");
        assert_eq!(fmt("72088", cny.clone(), None, "zh"), "72088元");
        assert_eq!(
            fmt("1234567891", cny.clone(), None, "en"),
            "CNY 1,234,567,891"
        );
        assert_eq!(fmt("2500000000", cny, None, "en"), "CNY 2.5 billion");
    }

    #[test]
    fn display_override() {
        let v = Decimal::parse("10000").unwrap();
        let cases = PluralWords::One("例".into());
        let q = Quantity {
            value: &v,
            unit: UnitWords::Noun(&cases),
            approx: None,
            style: Some(Style::Plain),
        };
        assert_eq!(format_quantity(&q, &test_numbers("zh")), "10000例");
        let v = Decimal::parse("253620000").unwrap();
        let q = Quantity {
            value: &v,
            unit: UnitWords::Currency("cny"),
            approx: None,
            style: Some(Style::Yi),
        };
        assert_eq!(format_quantity(&q, &test_numbers("zh")), "2.5362亿元");
    }

    #[test]
    fn parts_split_number_from_words() {
        let v = Decimal::parse("253620000").unwrap();
        let q = Quantity {
            value: &v,
            unit: UnitWords::Currency("cny"),
            approx: Some(Approx::Over),
            style: None,
        };
        let en = format_parts(&q, &test_numbers("en"));
        assert_eq!(
            (en.before.as_str(), en.number.as_str(), en.after.as_str()),
            ("over CNY ", "253.62", " million")
        );
        let zh = format_parts(&q, &test_numbers("zh"));
        assert_eq!(
            (zh.before.as_str(), zh.number.as_str(), zh.after.as_str()),
            ("", "25362", "万余元")
        );
    }

    #[test]
    fn decimal_parsing_and_rounding() {
        assert_eq!(
            Decimal::parse("0.401").unwrap().times_pow10(2).to_string(),
            "40.1"
        );
        assert_eq!(Decimal::parse("1e6").unwrap().to_string(), "1000000");
        assert_eq!(Decimal::parse("-2.50").unwrap().to_string(), "-2.5");
        assert_eq!(Decimal::parse("-0").unwrap().to_string(), "0");
        assert_eq!(Decimal::parse("007").unwrap().to_string(), "7");
        for bad in ["", "1.2.3", "abc", "1e999", ".", "inf"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        let r = |v: &str, d: usize| Decimal::parse(v).unwrap().rounded(d).to_string();
        assert_eq!(r("79.4129", 2), "79.41");
        assert_eq!(r("79.415", 2), "79.42");
        assert_eq!(r("9.995", 2), "10");
        assert_eq!(r("-0.004", 2), "0");
        assert_eq!(r("-1.005", 2), "-1.01");
        assert_eq!(r("12", 2), "12");
    }

    #[test]
    fn unknown_currencies_are_refused() {
        for code in ["cny", "usd", "eur", "chf", "hkd", "gbp", "jpy"] {
            assert!(is_currency(code), "{code}");
        }
        for code in ["usb", "xyz", "USD", "us", "dollar", ""] {
            assert!(!is_currency(code), "{code}");
        }
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

    const LANGUAGES: [&str; 7] = ["zh", "en", "fr", "de", "es", "ja", "pt-BR"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        // No digit the author gave is ever lost, in any language, in any
        // style the formatter picks.
        #[test]
        fn no_digit_is_lost(int in 0u64..10_000_000_000_000, frac in 0u32..1000, has_frac in any::<bool>()) {
            let text = if has_frac { format!("{int}.{frac:03}") } else { int.to_string() };
            for lang in LANGUAGES {
                let n = test_numbers(lang);
                for unit in [UnitWords::Currency("usd"), UnitWords::Currency("cny"), UnitWords::Percent, UnitWords::Ml] {
                    let out = fmt_with(&text, unit, Some(Approx::Over), &n);
                    prop_assert_eq!(significant(&out), significant(&text), "{} {} -> {}", lang, text, out);
                }
            }
        }

        // With `precision:`, money keeps the digits it asks for and no more.
        #[test]
        fn precision_drops_only_what_it_says(int in 0u64..10_000_000_000_000, precision in 0u8..4) {
            let value = Decimal::parse(&int.to_string()).unwrap();
            let en = test_numbers("en").for_report(None, Some(precision));
            let out = fmt_with(&int.to_string(), UnitWords::Currency("usd"), None, &en);
            let number: String = out.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            let exponent = if out.contains("trillion") { 12 } else if out.contains("billion") { 9 } else if out.contains("million") { 6 } else { 0 };
            let shown = Decimal::parse(&number).unwrap();
            prop_assert!(shown.decimals() <= usize::from(precision), "{}", out);
            prop_assert_eq!(shown, value.div_pow10(exponent).rounded(usize::from(precision)), "{}", out);
        }

        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = Decimal::parse(&s);
        }

        #[test]
        fn any_language_code_formats(code in "[a-z]{2,3}(-[A-Z]{2})?", v in 0u64..u64::MAX) {
            let n = Numbers::new(&code, NumberWords::default());
            let out = fmt_with(&v.to_string(), UnitWords::Currency("eur"), Some(Approx::Nearly), &n);
            prop_assert!(!out.is_empty());
        }
    }
}
