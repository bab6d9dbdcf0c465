//! The number conventions of one language from the Unicode CLDR, through
//! ICU4X's compiled data: digit grouping and decimal separator, the percent
//! sign and its spacing, the long compact words (million, Millionen, 万,
//! 億…), plural rules, and currency codes, symbols and names.
//!
//! nianbao picks the magnitude itself (so no digit is lost, and 25362万 can
//! stand where CLDR would say 2.5362亿) and asks CLDR only for the words
//! and marks, so the compact patterns are read from the data rather than
//! through ICU4X's compact formatter, which rounds.

use std::str::FromStr;

use fixed_decimal::Decimal as FixedDecimal;
use icu_decimal::DecimalFormatter;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::provider::{Baked, DecimalCompactLongV1};
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_experimental::dimension::provider::currency::extended::CurrencyExtendedDataV1;
use icu_experimental::dimension::provider::currency::patterns::CurrencyPatternsDataV1;
use icu_experimental::provider::Baked as Experimental;
use icu_locale::Locale;
use icu_plurals::{PluralCategory, PluralOperands, PluralRules};
use icu_provider::prelude::*;
use writeable::Writeable;

use super::decimal::Decimal;
use super::words::{Affix, Grouping, Money};

/// The CLDR conventions of one language.
#[derive(Debug)]
pub struct Cldr {
    locale: Locale,
    decimal: DecimalFormatter,
    plurals: PluralRules,
    compact: Option<DataPayload<DecimalCompactLongV1>>,
    percent: Affix,
}

impl Cldr {
    /// The conventions for a language code of the report (`en`, `zh`,
    /// `pt-BR`); a code CLDR does not know gets CLDR's root conventions.
    pub fn new(code: &str, grouping: Grouping) -> Self {
        let locale = Locale::from_str(code).unwrap_or(Locale::UNKNOWN);
        let mut options = DecimalFormatterOptions::default();
        options.grouping_strategy = Some(match grouping {
            Grouping::Auto => GroupingStrategy::Auto,
            Grouping::Never => GroupingStrategy::Never,
            Grouping::Always => GroupingStrategy::Always,
        });
        let decimal = DecimalFormatter::try_new((&locale).into(), options)
            .or_else(|_| DecimalFormatter::try_new(Default::default(), options));
        let plurals = PluralRules::try_new_cardinal((&locale).into())
            .or_else(|_| PluralRules::try_new_cardinal(Default::default()));
        let (Ok(decimal), Ok(plurals)) = (decimal, plurals) else {
            // Compiled data has the root locale; this cannot fail.
            unreachable!("ICU4X compiled data lacks the root locale")
        };
        let compact = load_compact(&locale);
        let percent = PercentFormatter::try_new((&locale).into(), Default::default())
            .map(|f| split_at_digits(&f.format(&FixedDecimal::from(1)).write_to_string()))
            .unwrap_or_else(|_| Affix {
                before: String::new(),
                after: "%".into(),
            });
        Self {
            locale,
            decimal,
            plurals,
            compact,
            percent,
        }
    }

    /// The digits of `value` with the language's separators: "128,400",
    /// "128 400", "14,23".
    pub fn digits(&self, value: &Decimal) -> String {
        let mut out = self
            .decimal
            .format(&value.abs().to_fixed())
            .write_to_string()
            .into_owned();
        if value.is_negative() {
            out.insert(0, '-');
        }
        out
    }

    /// The digits of a plain decimal text, keeping its trailing zeros
    /// ("54.0" → "54,0").
    pub fn digits_of_text(&self, plain: &str) -> String {
        match FixedDecimal::from_str(plain) {
            Ok(value) => self.decimal.format(&value).write_to_string().into_owned(),
            Err(_) => plain.to_string(),
        }
    }

    /// The plural category of a number with these operands.
    pub fn plural(&self, operands: PluralOperands) -> PluralCategory {
        self.plurals.category_for(operands)
    }

    /// The text around a percentage: ("", "%"), ("", "\u{a0}%").
    pub fn percent(&self) -> &Affix {
        &self.percent
    }

    /// The powers of ten the language has long compact words for, from
    /// 10⁴ up: [6, 9, 12] in English, [4, 8, 12] in Chinese.
    pub fn compact_exponents(&self) -> Vec<u8> {
        let mut exponents: Vec<u8> = self
            .compact
            .iter()
            .flat_map(|data| data.get().0.iter())
            .map(|entry| entry.sized - entry.variable.get_default().0.get())
            .filter(|&e| e >= 4)
            .collect();
        exponents.dedup();
        exponents
    }

    /// The word for 10^`exponent` around a significand ("{} million",
    /// "{} millions", "{}万"), in the significand's plural form.
    pub fn compact_word(&self, exponent: u8, significand: &Decimal) -> Option<Affix> {
        let data = self.compact.as_ref()?;
        let entry = data
            .get()
            .0
            .iter()
            .find(|e| e.sized - e.variable.get_default().0.get() == exponent)?;
        let operands = PluralOperands::from(&significand.abs().to_fixed());
        let pattern = entry.variable.get(operands, &self.plurals).1;
        let text = pattern.interpolate([MARK]).write_to_string().into_owned();
        let (before, after) = text.split_once(MARK)?;
        Some(Affix {
            before: before.to_string(),
            after: after.to_string(),
        })
    }

    /// The text around an amount of `code` (an ISO 4217 code) written
    /// `money`'s way; a currency's name agrees with the amount, whose
    /// plural operands are `amount`.
    pub fn currency(&self, code: &str, money: Money, amount: PluralOperands) -> Affix {
        let Some(currency) = currency_type(code) else {
            return code_affix(code);
        };
        let locale = self.symbol_locale(money);
        let prefs = (&locale).into();
        let formatter = match money {
            Money::Code => CurrencyFormatter::try_new_code(prefs, currency, Default::default()),
            Money::Symbol => CurrencyFormatter::try_new_symbol(prefs, currency, Default::default()),
            Money::Name => {
                return self
                    .currency_name(code, amount)
                    .unwrap_or_else(|| code_affix(code));
            }
        };
        match formatter {
            Ok(f) => split_at_digits(
                &f.format_fixed_decimal(&FixedDecimal::from(1))
                    .write_to_string(),
            ),
            Err(_) => code_affix(code),
        }
    }

    /// "{} US dollars", "{} de dollars des États-Unis" (French "many", as
    /// after millions), "{}美元": CLDR's name and pattern for the amount.
    fn currency_name(&self, code: &str, amount: PluralOperands) -> Option<Affix> {
        let upper = code.to_ascii_uppercase();
        let attributes = DataMarkerAttributes::try_from_str(&upper).ok()?;
        let locale = DataLocale::from(&self.locale);
        let names: DataResponse<CurrencyExtendedDataV1> = Experimental
            .load(DataRequest {
                id: DataIdentifierBorrowed::for_marker_attributes_and_locale(attributes, &locale),
                ..Default::default()
            })
            .ok()?;
        let patterns: DataResponse<CurrencyPatternsDataV1> = Experimental
            .load(DataRequest {
                id: DataIdentifierBorrowed::for_locale(&locale),
                ..Default::default()
            })
            .ok()?;
        let name = names.payload.get().get(amount, &self.plurals);
        let pattern = patterns.payload.get().get(amount, &self.plurals);
        let text = pattern
            .interpolate((MARK, name))
            .write_to_string()
            .into_owned();
        let (before, after) = text.split_once(MARK)?;
        Some(Affix {
            before: before.to_string(),
            after: after.to_string(),
        })
    }

    /// The plural operands of a number as written.
    pub fn operands(value: &Decimal) -> PluralOperands {
        PluralOperands::from(&value.abs().to_fixed())
    }

    /// The plural operands of `significand` × 10^`exponent` in compact form.
    pub fn compact_operands(significand: &Decimal, exponent: u8) -> PluralOperands {
        let compact = fixed_decimal::CompactDecimal::from_significand_and_exponent(
            significand.abs().to_fixed(),
            exponent,
        );
        PluralOperands::from(&compact)
    }

    /// English symbols are international English's ("US$", not "$"): a
    /// report's English is read around the world, where "$" is ambiguous.
    fn symbol_locale(&self, money: Money) -> Locale {
        let is_plain_english =
            self.locale.id.language.as_str() == "en" && self.locale.id.region.is_none();
        if money == Money::Symbol && is_plain_english {
            Locale::from_str("en-001").unwrap_or_else(|_| self.locale.clone())
        } else {
            self.locale.clone()
        }
    }
}

/// True when CLDR knows `code` (lower case) as an ISO 4217 currency.
pub fn is_currency(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let Ok(attributes) = DataMarkerAttributes::try_from_str(&upper) else {
        return false;
    };
    let english = DataLocale::from(icu_locale::locale!("en"));
    let request = DataRequest {
        id: DataIdentifierBorrowed::for_marker_attributes_and_locale(attributes, &english),
        ..Default::default()
    };
    DataProvider::<CurrencyExtendedDataV1>::load(&Experimental, request).is_ok()
}

/// A character no pattern contains, to find where the number goes.
const MARK: &str = "\u{E000}";

fn load_compact(locale: &Locale) -> Option<DataPayload<DecimalCompactLongV1>> {
    let data_locale = DataLocale::from(locale);
    let request = DataRequest {
        id: DataIdentifierBorrowed::for_locale(&data_locale),
        ..Default::default()
    };
    Baked.load(request).ok().map(|response| response.payload)
}

fn currency_type(code: &str) -> Option<CurrencyType> {
    CurrencyType::try_from_str(&code.to_ascii_uppercase()).ok()
}

fn code_affix(code: &str) -> Affix {
    Affix {
        before: format!("{} ", code.to_ascii_uppercase()),
        after: String::new(),
    }
}

/// The text before the first digit and after the last one of a formatted
/// sample: "USD\u{a0}1.00" → ("USD\u{a0}", "").
fn split_at_digits(formatted: &str) -> Affix {
    let first = formatted.find(|c: char| c.is_numeric());
    let last = formatted
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_numeric())
        .map(|(i, c)| i + c.len_utf8());
    match (first, last) {
        (Some(first), Some(last)) => Affix {
            before: formatted[..first].to_string(),
            after: formatted[last..].to_string(),
        },
        _ => Affix::default(),
    }
}
