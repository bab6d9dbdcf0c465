//! The brand in templates (`site.brand`) and the logo file: published
//! once for every language (and every year that shares it) under a
//! fingerprinted name, byte for byte.

use crate::model::brand::{Brand, Logo};
use crate::render::charts::ChartStyle;
use crate::render::fingerprint;
use crate::render::view::BrandView;

/// Where `logo` is written below the output folder:
/// `assets/logo.<fingerprint>.<svg|png>`.
pub fn logo_path(logo: &Logo) -> String {
    format!(
        "assets/logo.{}.{}",
        fingerprint(&logo.bytes),
        logo.kind.extension()
    )
}

/// The logo a year of a series writes itself: its own, when it is not the
/// series' (which the series writes once for every year).
pub(super) fn own_logo<'b>(brand: &'b Brand, series: Option<&Brand>) -> Option<&'b Logo> {
    let logo = brand.logo.as_ref()?;
    let shared = series
        .and_then(|s| s.logo.as_ref())
        .is_some_and(|s| logo_path(s) == logo_path(logo));
    (!shared).then_some(logo)
}

/// `site.brand` for a page whose root prefix is `root`; `alt` names the
/// organisation (the logo's text alternative).
pub(super) fn view(brand: &Brand, root: &str, alt: &str) -> BrandView {
    let hex = |f: fn(&crate::model::brand::Accent) -> crate::model::brand::Rgb| {
        brand.accent.as_ref().map_or(String::new(), |a| f(a).hex())
    };
    let logo = brand.logo.as_ref();
    let (width, height) = logo.and_then(|l| l.size).unwrap_or((0, 0));
    BrandView {
        accent: hex(|a| a.light),
        accent_soft: hex(|a| a.light_soft),
        accent_dark: hex(|a| a.dark),
        accent_dark_soft: hex(|a| a.dark_soft),
        logo_url: logo.map_or(String::new(), |l| format!("{root}{}", logo_path(l))),
        logo_type: logo.map_or(String::new(), |l| l.kind.media_type().to_string()),
        logo_width: width,
        logo_height: height,
        logo_alt: if logo.is_some() {
            alt.to_string()
        } else {
            String::new()
        },
    }
}

/// The theme's chart style with the brand's accent for the series a chart
/// highlights (`highlight:`). Charts sit on light paper in both schemes,
/// so they take the light scheme's accent.
pub(super) fn chart_style(theme: &ChartStyle, brand: &Brand) -> ChartStyle {
    let mut style = theme.clone();
    if let Some(accent) = &brand.accent {
        style.accent = accent.light.hex();
    }
    style
}
