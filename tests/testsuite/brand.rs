//! Branding without a template copied: `brand:` (accent colour and logo)
//! in report.yaml or series.yaml reaches the header, the cover, the
//! favicon, the whole-report page and the CSS accent of both schemes; a
//! weak accent is a warning with a colour that passes; a bad colour, a
//! missing logo or an SVG with a script is an error where it is written.

use std::path::Path;

use nianbao::model::brand::{AA, DARK_PAPER, LIGHT_PAPER, Rgb};

use crate::common::{Site, stderr_of};

/// A small SVG logo: a mark and a word, 116×48.
const SVG_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 116 48" width="116" height="48"><rect x="0" y="4" width="40" height="40" rx="8" fill="#0b6e4f"/><circle cx="20" cy="24" r="10" fill="#fbfaf7"/><text x="50" y="32" font-family="Georgia, serif" font-size="22" fill="#0b6e4f">Oasis</text></svg>
"##;

/// A 1×1 PNG.
const PNG_LOGO: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The bilingual fixture with `brand` appended to its report.yaml (whose
/// 8 lines put `brand:` on line 8 and its keys on lines 9 and 10).
fn branded(brand: &str) -> Site {
    let site = Site::fixture("bilingual");
    let path = site.root().join("content/report.yaml");
    let mut yaml = std::fs::read_to_string(&path).unwrap();
    assert_eq!(yaml.lines().count(), 7, "the fixture's report.yaml changed");
    yaml.push_str(brand);
    std::fs::write(&path, yaml).unwrap();
    site.write("content/assets/logo.svg", SVG_LOGO);
    std::fs::write(site.root().join("content/assets/logo.png"), PNG_LOGO).unwrap();
    site
}

/// The files below `dir` whose name starts with `logo.` and has a
/// fingerprint (`logo.<hash>.<ext>`).
fn fingerprinted_logos(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("logo.") && n.matches('.').count() == 2)
        .collect();
    names.sort();
    names
}

/// The value of `--name:` in the `<style>` the page's head holds, in the
/// first rule (light) or the dark scheme's.
fn accent_in(html: &str, name: &str, dark: bool) -> Rgb {
    let style = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap_or_else(|| panic!("no <style> in the page"));
    let part = if dark {
        style.split("prefers-color-scheme:dark").nth(1).unwrap()
    } else {
        style
    };
    let value = part.split(&format!("--{name}:")).nth(1).unwrap();
    Rgb::parse(&value[..7]).unwrap_or_else(|| panic!("{value}"))
}

#[test]
fn an_svg_logo_and_an_accent_reach_header_cover_favicon_and_print() {
    let site = branded("brand:\n  accent: \"#0b6e4f\"\n  logo: assets/logo.svg\n");
    let built = site.build();
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    // One copy of the logo for every language, byte for byte.
    let logos = fingerprinted_logos(&site.output().join("assets"));
    assert_eq!(logos.len(), 1, "{logos:?}");
    let logo = &logos[0];
    assert!(logo.ends_with(".svg"));
    assert_eq!(site.read(&format!("assets/{logo}")), SVG_LOGO);
    for (page, root, org) in [
        ("index.html", "./", "绿洲基金会"),
        ("en/index.html", "../", "Oasis Foundation"),
    ] {
        let html = site.read(page);
        let src = format!("{root}assets/{logo}");
        assert!(
            html.contains(&format!(
                r#"<link rel="icon" href="{src}" type="image/svg+xml">"#
            )),
            "{page}: no favicon"
        );
        assert!(
            html.contains(&format!(
                r#"<img class="site-logo" src="{src}" alt="{org}" width="116" height="48">"#
            )),
            "{page}: no header logo"
        );
        assert!(
            html.contains(&format!(r#"<img class="cover-logo" src="{src}" alt="""#)),
            "{page}: no cover logo"
        );
        // The accent as the author wrote it, and a dark one that passes AA.
        assert_eq!(accent_in(&html, "accent", false).hex(), "#0b6e4f");
        let dark = accent_in(&html, "accent", true);
        assert!(dark.contrast(DARK_PAPER) >= AA, "{}", dark.hex());
        // After the theme's stylesheet, so it wins.
        let style_at = html.find("<style>").unwrap();
        assert!(html.find("rel=\"stylesheet\"").unwrap() < style_at);
    }
    // A chart's highlighted series takes the accent (charts sit on light
    // paper in both schemes).
    let chart = site.read("charts/training.en.svg");
    assert!(chart.to_ascii_lowercase().contains("#0b6e4f"), "{chart}");
    assert!(!chart.to_ascii_lowercase().contains("#b3261e"));
    // A chapter page shows the header logo too; the whole-report page
    // (which `--pdf` prints) shows it on its cover.
    let chapter = site.read("en/relief/index.html");
    assert!(chapter.contains(r#"class="site-logo" src="../../assets/"#));
    let print = site.read("en/print/index.html");
    assert!(print.contains(&format!(
        r#"<img class="cover-logo" src="../../assets/{logo}""#
    )));
    // The 404 page is served at any depth: its logo starts at the base path.
    assert!(
        site.read("404.html")
            .contains(&format!(r#"src="/assets/{logo}""#))
    );
}

#[test]
fn a_png_logo_is_the_favicon_with_its_type_and_no_accent_keeps_the_theme() {
    let site = branded("brand:\n  logo: assets/logo.png\n");
    site.build();
    let logos = fingerprinted_logos(&site.output().join("assets"));
    assert_eq!(logos.len(), 1, "{logos:?}");
    let bytes = std::fs::read(site.output().join("assets").join(&logos[0])).unwrap();
    assert_eq!(bytes, PNG_LOGO);
    let html = site.read("en/index.html");
    assert!(html.contains(&format!(
        r#"<link rel="icon" href="../assets/{}" type="image/png">"#,
        logos[0]
    )));
    assert!(html.contains(r#"alt="Oasis Foundation" width="1" height="1">"#));
    assert!(!html.contains("<style>"), "no accent, no style");
}

#[test]
fn without_a_brand_pages_have_no_logo_no_style_no_icon() {
    let site = Site::fixture("bilingual");
    site.build();
    let html = site.read("en/index.html");
    for absent in ["<style>", "rel=\"icon\"", "site-logo", "cover-logo"] {
        assert!(!html.contains(absent), "{absent}");
    }
}

#[test]
fn an_accent_that_fails_contrast_is_a_warning_with_the_nearest_colour_that_passes() {
    let site = branded("brand:\n  accent: \"#E69F00\"\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("content/report.yaml:9:3"), "{err}");
    assert!(
        err.contains("accent #e69f00 has a contrast of 2.1:1"),
        "{err}"
    );
    let suggested = err
        .split("the nearest colour that passes is ")
        .nth(1)
        .and_then(|s| Rgb::parse(&s[..7]))
        .unwrap_or_else(|| panic!("no suggestion in {err}"));
    assert!(suggested.contrast(LIGHT_PAPER) >= AA);
    assert!(
        err.contains(&format!("accent: \"{}\"", suggested.hex())),
        "{err}"
    );
    // --strict makes it fail.
    let out = site.run(&["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
}

/// A `brand:` block, a file to write beside it (path, text), where the
/// error is and what it says.
type Mistake<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a str, &'a str);

#[test]
fn brand_mistakes_are_errors_where_they_are_written() {
    let script_svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
    let onload_svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    let cases: &[Mistake<'_>] = &[
        (
            "brand:\n  accent: \"#12345\"\n",
            None,
            "content/report.yaml:9:3",
            "`accent: #12345` is not a colour",
        ),
        (
            "brand:\n  accent: #0b6e4f\n",
            None,
            "content/report.yaml:9:3",
            "`#` starts a comment",
        ),
        (
            "brand:\n  accent: \"#0b6e4f\"\n  logo: assets/missing.svg\n",
            None,
            "content/report.yaml:10:3",
            "there is no file content/assets/missing.svg",
        ),
        (
            "brand:\n  logo: ../logo.svg\n",
            Some(("logo.svg", SVG_LOGO)),
            "content/report.yaml:9:3",
            "is outside the folder of this file",
        ),
        (
            "brand:\n  logo: /etc/hostname.svg\n",
            None,
            "content/report.yaml:9:3",
            "is outside the folder of this file",
        ),
        (
            "brand:\n  logo: assets/logo.jpg\n",
            Some(("content/assets/logo.jpg", "not really")),
            "content/report.yaml:9:3",
            "is neither an SVG nor a PNG file",
        ),
        (
            "brand:\n  logo: assets/evil.svg\n",
            Some(("content/assets/evil.svg", script_svg)),
            "content/report.yaml:9:3",
            "contains a <script> element",
        ),
        (
            "brand:\n  logo: assets/evil.svg\n",
            Some(("content/assets/evil.svg", onload_svg)),
            "content/report.yaml:9:3",
            "has an event attribute `onload=`",
        ),
        (
            "brand:\n  logo: assets/fake.png\n",
            Some(("content/assets/fake.png", "<svg/>")),
            "content/report.yaml:9:3",
            "is not a PNG file",
        ),
        (
            "brand:\n  colour: \"#0b6e4f\"\n",
            None,
            "content/report.yaml:9:3",
            "unknown field `colour`",
        ),
    ];
    for (brand, file, at, message) in cases {
        let site = branded(brand);
        if let Some((path, text)) = file {
            site.write(path, text);
        }
        for command in ["build", "check"] {
            let out = site.run(&[command]);
            let err = stderr_of(&out);
            assert_eq!(out.status.code(), Some(1), "{command} {brand}: {err}");
            assert!(err.contains(at), "{brand}: expected {at} in\n{err}");
            assert!(
                err.contains(message),
                "{brand}: expected {message} in\n{err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
        assert!(!site.output().exists(), "{brand}: output written");
    }
}

#[test]
fn a_series_brand_is_shared_by_its_years_and_a_year_may_set_its_own_accent() {
    let site = Site::fixture("series");
    let series = site.root().join("content/series.yaml");
    let mut yaml = std::fs::read_to_string(&series).unwrap();
    yaml.push_str("brand:\n  accent: \"#0b6e4f\"\n  logo: logo.svg\n");
    std::fs::write(&series, yaml).unwrap();
    // The logo at the top of a series' content/ is not "a file that is not
    // part of the series".
    site.write("content/logo.svg", SVG_LOGO);
    let year = site.root().join("content/2020/report.yaml");
    let mut yaml = std::fs::read_to_string(&year).unwrap();
    yaml.push_str("brand:\n  accent: \"#6a1b9a\"\n");
    std::fs::write(&year, yaml).unwrap();
    let built = site.build();
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    let logos = fingerprinted_logos(&site.output().join("assets"));
    assert_eq!(logos.len(), 1, "{logos:?}");
    let logo = &logos[0];
    for (page, accent) in [
        ("index.html", "#0b6e4f"),
        ("2021/index.html", "#0b6e4f"),
        ("2019/index.html", "#0b6e4f"),
        ("en/2021/index.html", "#0b6e4f"),
        ("2020/index.html", "#6a1b9a"),
    ] {
        let html = site.read(page);
        assert!(
            html.contains(&format!("assets/{logo}\" type=\"image/svg+xml\"")),
            "{page}"
        );
        assert!(html.contains("class=\"cover-logo\""), "{page}");
        assert_eq!(accent_in(&html, "accent", false).hex(), accent, "{page}");
    }
}
