//! The organisation's brand (`brand:` in report.yaml or series.yaml): an
//! accent colour and a logo, used by the theme without copying a template.
//!
//! The accent is checked against WCAG 2's contrast for text (AA, 4.5:1)
//! on the default theme's light paper; one that fails is a warning naming
//! the nearest colour that passes (same hue and saturation, another
//! lightness). The dark scheme gets its own accent derived the same way on
//! the dark paper, so the author never writes two colours.
//!
//! The logo (read by [`crate::load::logo`]) must be an SVG or a PNG inside
//! the report. It is published from the site's own address, where a
//! script in an SVG would run as the site: an SVG with a `<script>`,
//! an event attribute (`onload=`), a `javascript:` URL, a
//! `<foreignObject>` or an XML entity declaration is refused.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::locate::Positions;
use crate::load::logo::{LogoRead, RawLogo};
use crate::load::svg::{svg_problem, svg_size};
use crate::load::yaml::RawBrand;

/// The default theme's paper in the light scheme (`--paper`).
pub const LIGHT_PAPER: Rgb = Rgb(0xfb, 0xfa, 0xf7);
/// The default theme's paper in the dark scheme.
pub const DARK_PAPER: Rgb = Rgb(0x16, 0x15, 0x14);
/// WCAG 2 AA contrast for normal text.
pub const AA: f64 = 4.5;

/// A colour in sRGB, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses a CSS hex colour, `#rgb` or `#rrggbb` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            3 => {
                let digit = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
                Some(Self(digit(0)?, digit(1)?, digit(2)?))
            }
            6 => Some(Self(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            _ => None,
        }
    }

    /// `#rrggbb`, lowercase.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2 relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// WCAG 2 contrast ratio with `other`, 1 to 21.
    pub fn contrast(self, other: Self) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `self` laid over `under` with opacity `alpha` (0 to 1).
    pub fn over(self, under: Self, alpha: f64) -> Self {
        let mix = |a: u8, b: u8| channel(f64::from(a) * alpha + f64::from(b) * (1.0 - alpha));
        Self(
            mix(self.0, under.0),
            mix(self.1, under.1),
            mix(self.2, under.2),
        )
    }

    /// Hue (0 to 1), saturation and lightness (0 to 1).
    fn hsl(self) -> (f64, f64, f64) {
        let [r, g, b] = [self.0, self.1, self.2].map(|c| f64::from(c) / 255.0);
        let (max, min) = (r.max(g).max(b), r.min(g).min(b));
        let l = (max + min) / 2.0;
        let d = max - min;
        if d == 0.0 {
            return (0.0, 0.0, l);
        }
        let s = d / (1.0 - (2.0 * l - 1.0).abs());
        let h = if max == r {
            ((g - b) / d).rem_euclid(6.0)
        } else if max == g {
            (b - r) / d + 2.0
        } else {
            (r - g) / d + 4.0
        };
        (h / 6.0, s.min(1.0), l)
    }

    /// The colour of hue `h`, saturation `s` and lightness `l` (each 0 to 1).
    fn from_hsl(h: f64, s: f64, l: f64) -> Self {
        let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
        let h6 = h * 6.0;
        let x = c * (1.0 - (h6.rem_euclid(2.0) - 1.0).abs());
        let (r, g, b) = match h6 {
            h if h < 1.0 => (c, x, 0.0),
            h if h < 2.0 => (x, c, 0.0),
            h if h < 3.0 => (0.0, c, x),
            h if h < 4.0 => (0.0, x, c),
            h if h < 5.0 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        let m = l - c / 2.0;
        Self(
            channel((r + m) * 255.0),
            channel((g + m) * 255.0),
            channel((b + m) * 255.0),
        )
    }
}

/// A channel value rounded into 0..=255.
fn channel(value: f64) -> u8 {
    // Clamped first, so the cast never truncates.
    value.round().clamp(0.0, 255.0) as u8
}

/// The colour nearest `colour` (same hue and saturation, the lightness
/// closest to its own) whose contrast on `paper` reaches `ratio`:
/// `colour` itself when it does already. Black or white when no
/// lightness of that hue does (only on a paper of middle grey).
pub fn nearest_passing(colour: Rgb, paper: Rgb, ratio: f64) -> Rgb {
    if colour.contrast(paper) >= ratio {
        return colour;
    }
    let (h, s, l) = colour.hsl();
    let passes = |l: f64| Rgb::from_hsl(h, s, l).contrast(paper) >= ratio;
    // Toward black and toward white: the colour's luminance grows with its
    // lightness, so on each side the lightnesses that pass form one run,
    // reaching the end (0 or 1) when any does.
    let mut best: Option<(f64, Rgb)> = None;
    for end in [0.0, 1.0] {
        if !passes(end) {
            continue;
        }
        // `near` fails, `far` passes: close in on the boundary.
        let (mut near, mut far) = (l, end);
        for _ in 0..40 {
            let mid = (near + far) / 2.0;
            if passes(mid) {
                far = mid;
            } else {
                near = mid;
            }
        }
        let distance = (far - l).abs();
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, Rgb::from_hsl(h, s, far)));
        }
    }
    best.map_or_else(
        || {
            let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
            if black.contrast(paper) >= white.contrast(paper) {
                black
            } else {
                white
            }
        },
        |(_, rgb)| rgb,
    )
}

/// A contrast ratio as written in a message, rounded down so a colour
/// that fails never reads as if it reached the threshold (4.49 → "4.4").
pub fn ratio_text(ratio: f64) -> String {
    format!("{:.1}:1", (ratio * 10.0).floor() / 10.0)
}

/// The accent in both colour schemes, with its soft tint for notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent {
    /// As the author wrote it (light scheme).
    pub light: Rgb,
    /// A pale tint of it on the light paper (`--accent-soft`).
    pub light_soft: Rgb,
    /// Derived for the dark scheme: AA on the dark paper.
    pub dark: Rgb,
    /// A dark tint of it on the dark paper.
    pub dark_soft: Rgb,
}

impl Accent {
    /// The accent `colour` in both schemes.
    pub fn of(colour: Rgb) -> Self {
        let dark = nearest_passing(colour, DARK_PAPER, AA);
        Self {
            light: colour,
            light_soft: colour.over(LIGHT_PAPER, 0.1),
            dark,
            dark_soft: dark.over(DARK_PAPER, 0.16),
        }
    }
}

/// The file type of a logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    /// A vector drawing, copied byte for byte.
    Svg,
    /// A bitmap.
    Png,
}

impl LogoKind {
    /// The media type (`type=""` of the favicon link).
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }
}

/// A checked logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// Where it is, relative to the site root.
    pub file: PathBuf,
    /// SVG or PNG.
    pub kind: LogoKind,
    /// Its bytes, published as they are.
    pub bytes: Arc<[u8]>,
    /// Its intrinsic width and height in CSS pixels, when the file says.
    pub size: Option<(u32, u32)>,
}

/// The accent colour and logo of a report or series.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Brand {
    /// The accent; the theme's own when `None`.
    pub accent: Option<Accent>,
    /// The logo, if any.
    pub logo: Option<Logo>,
}

impl Brand {
    /// This brand, taking what it leaves out from `series` (a year of a
    /// series inherits the series' accent and logo).
    pub fn or(self, series: &Brand) -> Brand {
        Brand {
            accent: self.accent.or(series.accent),
            logo: self.logo.or_else(|| series.logo.clone()),
        }
    }
}

/// Checks `brand:` of the YAML `file` (its keys located by `positions`)
/// with its logo as read. Every problem is a diagnostic at the key.
pub fn build(
    raw: Option<&RawBrand>,
    logo: Option<&RawLogo>,
    file: &Path,
    positions: &Positions<'_>,
    diags: &mut Diagnostics,
) -> Brand {
    let Some(raw) = raw else {
        return Brand::default();
    };
    let (brand_line, _) = positions.key("brand", 0);
    // The key inside `brand:` (column 1 would be a top-level key: none).
    let at = |key: &str| Some(positions.key_from(key, brand_line)).filter(|(_, col)| *col > 1);
    let accent = match (&raw.accent, at("accent")) {
        (Some(text), pos) => accent(text, file, pos.unwrap_or((brand_line, 1)), diags),
        (None, Some((line, col))) => {
            let msg = "`accent` has no colour: in YAML, `#` starts a comment";
            let hint = "quote the colour: accent: \"#0b6e4f\"";
            diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
            None
        }
        (None, None) => None,
    };
    let at_logo = at("logo").unwrap_or((brand_line, 1));
    let logo = logo.and_then(|l| checked_logo(l, file, at_logo, diags));
    Brand { accent, logo }
}

/// The accent written as `text` at `(line, col)`: an error when it is no
/// colour, a warning when it fails AA on the light paper.
fn accent(
    text: &str,
    file: &Path,
    (line, col): (usize, usize),
    diags: &mut Diagnostics,
) -> Option<Accent> {
    let Some(colour) = Rgb::parse(text) else {
        let msg = format!("`accent: {text}` is not a colour");
        let hint = "write a CSS hex colour in quotes, #rrggbb or #rgb: accent: \"#0b6e4f\"";
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
        return None;
    };
    let ratio = colour.contrast(LIGHT_PAPER);
    if ratio < AA {
        let better = nearest_passing(colour, LIGHT_PAPER, AA);
        let msg = format!(
            "accent {} has a contrast of {} on the page background {}; WCAG AA asks at least 4.5:1 for text (headings, links and numbers use the accent)",
            colour.hex(),
            ratio_text(ratio),
            LIGHT_PAPER.hex()
        );
        let hint = format!(
            "the nearest colour that passes is {} ({}): accent: \"{}\"",
            better.hex(),
            ratio_text(better.contrast(LIGHT_PAPER)),
            better.hex()
        );
        diags.push(Diagnostic::warning(file, line, col, msg).with_hint(hint));
    }
    Some(Accent::of(colour))
}

/// The logo, when it is an SVG or PNG that was read and is safe to publish.
fn checked_logo(
    raw: &RawLogo,
    file: &Path,
    (line, col): (usize, usize),
    diags: &mut Diagnostics,
) -> Option<Logo> {
    let written = &raw.written;
    let mut error = |msg: String, hint: &str| {
        diags.push(Diagnostic::error(file, line, col, msg).with_hint(hint));
        None
    };
    let extension = Path::new(written.trim())
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let kind = match extension.as_deref() {
        Some("svg") => LogoKind::Svg,
        Some("png") => LogoKind::Png,
        _ => {
            return error(
                format!("`logo: {written}` is neither an SVG nor a PNG file"),
                "export the logo as SVG (sharp at every size) or PNG, and name it logo.svg or logo.png",
            );
        }
    };
    let bytes = match &raw.read {
        LogoRead::Bytes(bytes) => bytes.clone(),
        LogoRead::Outside => {
            return error(
                format!("`logo: {written}` is outside the folder of this file"),
                "put the logo in the report folder, for example content/assets/logo.svg, and write `logo: assets/logo.svg`",
            );
        }
        LogoRead::Missing => {
            let folder = file
                .parent()
                .map_or(String::new(), |p| p.display().to_string());
            let hint = format!(
                "check the spelling; the path is relative to the folder of this file ({folder}/)"
            );
            return error(
                format!("`logo: {written}`: there is no file {}", raw.file.display()),
                &hint,
            );
        }
        LogoRead::Unreadable(why) => {
            return error(
                format!("`logo: {written}` ({}): {why}", raw.file.display()),
                "use a regular file inside the report folder, at most 2 MiB",
            );
        }
    };
    let size = match kind {
        LogoKind::Svg => {
            if let Some(problem) = svg_problem(&bytes) {
                return error(
                    format!("the SVG logo {} {problem}", raw.file.display()),
                    "the logo is published at the site's own address, where such content could run as the site: export it again as a plain drawing (no scripts, event attributes such as onload=, javascript: links, embedded HTML or entities), for example with svgo",
                );
            }
            svg_size(&bytes)
        }
        LogoKind::Png => match png_size(&bytes) {
            Some(size) => Some(size),
            None => {
                return error(
                    format!("the logo {} is not a PNG file", raw.file.display()),
                    "export the logo again as PNG, or as SVG",
                );
            }
        },
    };
    Some(Logo {
        file: raw.file.clone(),
        kind,
        bytes,
        size,
    })
}

/// The width and height in a PNG's header; `None` when it is no PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) || bytes.get(12..16) != Some(b"IHDR") {
        return None;
    }
    let number = |at: usize| -> Option<u32> {
        let four: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_be_bytes(four)).filter(|n| *n > 0)
    };
    Some((number(16)?, number(20)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn colours_parse_in_both_lengths() {
        assert_eq!(Rgb::parse("#0b6e4f"), Some(Rgb(0x0b, 0x6e, 0x4f)));
        assert_eq!(Rgb::parse("#0B6E4F"), Some(Rgb(0x0b, 0x6e, 0x4f)));
        assert_eq!(Rgb::parse("#f80"), Some(Rgb(0xff, 0x88, 0x00)));
        for bad in [
            "0b6e4f",
            "#0b6e4",
            "#ggg",
            "red",
            "#",
            "",
            "#+1234",
            "#ｆｆｆ",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb(0x0b, 0x6e, 0x4f).hex(), "#0b6e4f");
    }

    #[test]
    fn contrast_matches_wcag() {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // The default theme's comments: #b3261e is 6.1:1 on its paper.
        let ratio = Rgb(0xb3, 0x26, 0x1e).contrast(LIGHT_PAPER);
        assert!((6.0..6.3).contains(&ratio), "{ratio}");
        // #767676 is the classic lightest grey with 4.5:1 on white.
        assert!(Rgb(0x76, 0x76, 0x76).contrast(white) >= 4.5);
        assert!(Rgb(0x77, 0x77, 0x77).contrast(white) < 4.5);
    }

    #[test]
    fn a_failing_accent_gets_the_nearest_darker_colour_of_its_hue() {
        let orange = Rgb::parse("#e69f00").unwrap();
        assert!(orange.contrast(LIGHT_PAPER) < AA);
        let better = nearest_passing(orange, LIGHT_PAPER, AA);
        assert!(better.contrast(LIGHT_PAPER) >= AA);
        // Just past the threshold, not far beyond it.
        assert!(better.contrast(LIGHT_PAPER) < 4.7, "{}", better.hex());
        let (h0, _, l0) = orange.hsl();
        let (h1, _, l1) = better.hsl();
        assert!((h0 - h1).abs() < 0.02, "{h0} {h1}");
        assert!(l1 < l0);
        // A colour that passes is left alone.
        let green = Rgb::parse("#0b6e4f").unwrap();
        assert_eq!(nearest_passing(green, LIGHT_PAPER, AA), green);
        assert_eq!(ratio_text(4.4999), "4.4:1");
    }

    #[test]
    fn the_dark_scheme_gets_a_lighter_accent_that_passes() {
        let accent = Accent::of(Rgb::parse("#0b6e4f").unwrap());
        assert!(accent.dark.contrast(DARK_PAPER) >= AA);
        assert!(accent.dark.luminance() > accent.light.luminance());
        // Soft tints stay close to their papers, so text on them keeps its contrast.
        assert!(Rgb(0x1d, 0x1d, 0x1f).contrast(accent.light_soft) >= 12.0);
        assert!(Rgb(0xec, 0xeb, 0xe8).contrast(accent.dark_soft) >= 10.0);
        // An accent that passes on the dark paper already is kept there.
        let light = Rgb::parse("#ff8a80").unwrap();
        assert_eq!(Accent::of(light).dark, light);
    }

    #[test]
    fn png_sizes_come_from_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(300u32.to_be_bytes());
        png.extend(100u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((300, 100)));
        assert_eq!(png_size(b"GIF89a"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        // Whatever the colour, the suggestion passes AA on both papers,
        // and the dark scheme's accent passes on the dark paper.
        #[test]
        fn the_suggestion_always_passes(r in any::<u8>(), g in any::<u8>(), b in any::<u8>()) {
            let colour = Rgb(r, g, b);
            for paper in [LIGHT_PAPER, DARK_PAPER] {
                let better = nearest_passing(colour, paper, AA);
                prop_assert!(better.contrast(paper) >= AA, "{} on {} -> {}", colour.hex(), paper.hex(), better.hex());
            }
            prop_assert!(Accent::of(colour).dark.contrast(DARK_PAPER) >= AA);
        }

        // Hue survives the round trip through HSL.
        #[test]
        fn hsl_round_trips(r in any::<u8>(), g in any::<u8>(), b in any::<u8>()) {
            let colour = Rgb(r, g, b);
            let (h, s, l) = colour.hsl();
            let back = Rgb::from_hsl(h, s, l);
            prop_assert!((i16::from(back.0) - i16::from(r)).abs() <= 1);
            prop_assert!((i16::from(back.1) - i16::from(g)).abs() <= 1);
            prop_assert!((i16::from(back.2) - i16::from(b)).abs() <= 1);
        }
    }
}
