//! Exact decimal numbers, kept as the author wrote them.
//!
//! Values are decimal strings, never floats: switching to 万 or million
//! only moves the decimal point, so every digit the author gave is kept.

use std::str::FromStr;

use fixed_decimal::Decimal as FixedDecimal;

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
    pub(crate) fn int_ends_in_zero(&self) -> bool {
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

impl Decimal {
    /// The same number for ICU4X's formatters.
    pub(crate) fn to_fixed(&self) -> FixedDecimal {
        FixedDecimal::from_str(&self.to_string()).unwrap_or_default()
    }

    /// This number rounded half away from zero to `decimals` places (the
    /// way money is rounded in print).
    pub fn rounded(&self, decimals: usize) -> Self {
        if self.frac.len() <= decimals {
            return self.clone();
        }
        let round_up = self.frac.as_bytes()[decimals] >= b'5';
        let kept = Self::normalized(false, &self.int, &self.frac[..decimals]);
        let magnitude = if round_up {
            let unit = Self::normalized(false, "1", "").div_pow10(decimals);
            kept.add_unsigned(&unit)
        } else {
            kept
        };
        Self {
            negative: self.negative && !magnitude.is_zero(),
            ..magnitude
        }
    }

    /// The sum of two non-negative numbers (exact).
    fn add_unsigned(&self, other: &Self) -> Self {
        let decimals = self.frac.len().max(other.frac.len());
        let digits = |d: &Self| format!("{}{:0<decimals$}", d.int, d.frac);
        let (a, b) = (digits(self), digits(other));
        let width = a.len().max(b.len());
        let (a, b) = (format!("{a:0>width$}"), format!("{b:0>width$}"));
        let mut sum = Vec::with_capacity(width + 1);
        let mut carry = 0;
        for (x, y) in a.bytes().rev().zip(b.bytes().rev()) {
            let s = (x - b'0') + (y - b'0') + carry;
            sum.push(b'0' + s % 10);
            carry = s / 10;
        }
        if carry > 0 {
            sum.push(b'0' + carry);
        }
        sum.reverse();
        let text = String::from_utf8(sum).unwrap_or_default();
        let split = text.len() - decimals;
        Self::normalized(false, &text[..split], &text[split..])
    }
}
