//! The link check on small hand-written sites.

use std::path::Path;
use std::sync::Arc;

use super::*;

/// Checks `pages` (path, HTML) and a copied PDF, as served under `base`.
fn check_site(pages: &[(&str, &str)], written: &WrittenLinks, base: &str) -> Vec<String> {
    let base = BaseUrl::parse(base).unwrap();
    let files = pages
        .iter()
        .map(|(path, html)| (*path, Some(html.as_bytes())))
        .chain([("assets/报告.pdf", None)]);
    check(files, written, &base)
        .iter()
        .map(|d| d.to_string().lines().next().unwrap_or_default().to_string())
        .collect()
}

fn broken(pages: &[(&str, &str)], base: &str) -> Vec<String> {
    check_site(pages, &WrittenLinks::new(), base)
}

fn written(href: &str, file: &str, line: usize, elsewhere: bool) -> Written {
    Written {
        href: href.into(),
        source: None,
        file: Arc::from(Path::new(file)),
        line,
        col: 3,
        elsewhere,
        raw_html: false,
    }
}

const STYLE: (&str, &str) = ("assets/style.css", "body{}");

#[test]
fn resolves_relative_links_against_the_page() {
    let pages = [
        (
            "index.html",
            r#"<a href="en/">en</a><a href="relief/#s">r</a><link href="assets/style.css">"#,
        ),
        (
            "en/index.html",
            r#"<a href="../">zh</a><a href="../relief/">r</a><a href="./">self</a><a href="">x</a>"#,
        ),
        (
            "relief/index.html",
            r#"<h2 id="s">S</h2><a href="../assets/%E6%8A%A5%E5%91%8A.pdf">pdf</a><a href="../en">en</a>"#,
        ),
        STYLE,
    ];
    assert!(broken(&pages, "https://example.org/report/2020/").is_empty());
    assert!(broken(&pages, "/").is_empty());
}

#[test]
fn reports_missing_pages_with_page_line_and_href() {
    let pages = [("en/index.html", "<p>\n  <a href=\"../nope/\">x</a>")];
    assert_eq!(
        broken(&pages, "/report/"),
        [
            "error: en/index.html:2:12: broken link href=\"../nope/\": it leads to /report/nope/, which the site does not have"
        ]
    );
}

#[test]
fn root_relative_and_same_host_links_must_stay_under_the_base_path() {
    let pages = [
        (
            "404.html",
            r#"<a href="/report/2020/">ok</a><a href="https://EXAMPLE.org/report/2020/en/">ok</a><a href="//example.org/report/2020/assets/style.css">ok</a>"#,
        ),
        (
            "en/index.html",
            r#"<a href="/en/">bad</a><a href="https://example.org/">bad</a>"#,
        ),
        ("index.html", r#"<a href="../../../x">bad</a>"#),
        STYLE,
    ];
    let found = broken(&pages, "https://example.org/report/2020/");
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].contains("/en/, outside the base path /report/2020/"),
        "{}",
        found[0]
    );
    assert!(
        found[2].contains("climbs above the server root"),
        "{}",
        found[2]
    );
}

#[test]
fn relative_links_in_the_404_page_are_broken() {
    let pages = [
        (
            "404.html",
            r##"<a href="en/">x</a><a href="#main">top</a><main id="main">"##,
        ),
        ("en/index.html", ""),
    ];
    let found = broken(&pages, "/");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("served at any address"));
}

#[test]
fn fragments_must_name_an_element_of_the_target_page() {
    let pages = [
        (
            "index.html",
            r##"<h2 id="a">A</h2><a href="#a">ok</a><a href="#top">ok</a><a href="#missing">bad</a><a href="en/#%E7%AB%A0">ok</a><a href="en/#b">bad</a>"##,
        ),
        ("en/index.html", r#"<h2 id="章">x</h2>"#),
    ];
    let found = broken(&pages, "/");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("index.html has no element with id=\"missing\""),
        "{}",
        found[0]
    );
    assert!(
        found[1].contains("en/index.html has no element with id=\"b\""),
        "{}",
        found[1]
    );
}

#[test]
fn external_links_are_skipped() {
    let pages = [(
        "index.html",
        r#"<a href="https://other.org/x">x</a><a href="mailto:a@b.org">m</a><a href="tel:123">t</a><img src="data:image/png;base64,AA"><a href="http://example.org/x">no origin known</a>"#,
    )];
    assert!(broken(&pages, "/").is_empty());
}

#[test]
fn query_strings_are_ignored_and_bad_escapes_reported() {
    let pages = [(
        "index.html",
        r#"<a href="?lang=en">ok</a><a href="a%FF/">bad</a>"#,
    )];
    let found = broken(&pages, "/");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("not valid percent-encoded UTF-8"));
}

#[test]
fn a_written_link_is_reported_where_it_is_written_once() {
    let pages = [
        (
            "en/relief/index.html",
            r##"<a href="#gone">x</a> <a href="#gone">y</a>"##,
        ),
        ("en/print/index.html", r##"<a href="#gone">x</a>"##),
    ];
    let mut written_links = WrittenLinks::new();
    written_links.insert(
        "en/relief/index.html".into(),
        vec![written("#gone", "content/a/one.en.md", 4, false)],
    );
    written_links.insert(
        "en/print/index.html".into(),
        vec![written("#gone", "content/a/one.en.md", 4, true)],
    );
    let found = check_site(&pages, &written_links, "/");
    assert_eq!(
        found,
        [
            // The second `#gone` of the chapter page has no written link: a template's.
            "error: en/relief/index.html:1:32: broken link href=\"#gone\": en/relief/index.html has no element with id=\"gone\"",
            "error: content/a/one.en.md:4:3: broken link `#gone`: en/relief/index.html has no element with id=\"gone\"",
        ],
        "{found:#?}"
    );
}

#[test]
fn the_whole_report_page_is_named_when_only_it_has_the_link_broken() {
    let pages = [
        ("a/index.html", r#"<img src="p.png">"#),
        ("a/p.png", ""),
        ("print/index.html", r#"<img src="p.png">"#),
    ];
    let mut raw = written("p.png", "content/a/one.md", 7, true);
    raw.raw_html = true;
    let mut written_links = WrittenLinks::new();
    written_links.insert("print/index.html".into(), vec![raw]);
    let base = BaseUrl::parse("/").unwrap();
    let files = pages.iter().map(|(p, h)| (*p, Some(h.as_bytes())));
    let diags = check(files, &written_links, &base);
    let all: Vec<_> = diags.iter().collect();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].file, Path::new("content/a/one.md"));
    assert!(
        all[0].message.contains("it leads to /print/p.png"),
        "{}",
        all[0]
    );
    let hint = all[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("write the link in Markdown"), "{hint}");
}

#[test]
fn a_page_in_parts_is_scanned_as_if_joined() {
    let parts: [&[u8]; 3] = [
        "<p>红\n<a href=\"#s\">".as_bytes(),
        "<h2 id=\"s\">S</h2>\n  <a href=\"../x/\">".as_bytes(),
        "红 <img src=\"y.png\">\n".as_bytes(),
    ];
    let page = scan_page("en/index.html", &parts);
    let joined = parts.concat();
    let whole = scan_page("en/index.html", &[&joined]);
    assert_eq!(page, whole);
    // `#s` names an element of the page: resolved at once, not kept.
    let at: Vec<_> = page
        .links
        .iter()
        .map(|l| (l.value.as_str(), l.line, l.col))
        .collect();
    assert_eq!(at, [("../x/", 3, 12), ("y.png", 3, 31)]);
    let text = String::from_utf8_lossy(&joined);
    let offset = text.find("y.png").unwrap_or_default();
    assert_eq!(crate::error::line_col(&text, offset), (3, 31));
    assert!(page.anchors.contains("s"));
}

#[test]
fn scanned_pages_are_checked_like_a_site_in_memory() {
    let pages = [
        (
            "index.html",
            r#"<a href="en/#top">en</a><img src="charts/c.svg">"#,
        ),
        (
            "en/index.html",
            "<p>\n<a href=\"../nope/\">x</a><a href=\"#gone\">y</a>",
        ),
    ];
    let base = BaseUrl::parse("/report/").unwrap();
    let scanned: Vec<ScannedPage> = pages
        .iter()
        .map(|(path, html)| scan_page(path, &[html.as_bytes()]))
        .collect();
    let from_scans = check_scanned(&scanned, ["charts/c.svg"], &WrittenLinks::new(), &base);
    let files = pages
        .iter()
        .map(|(path, html)| (*path, Some(html.as_bytes())))
        .chain([("charts/c.svg", None)]);
    let in_memory = check(files, &WrittenLinks::new(), &base);
    let text = |d: &crate::error::Diagnostics| d.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    assert_eq!(text(&from_scans), text(&in_memory));
    assert_eq!(from_scans.error_count(), 2, "{:?}", text(&from_scans));
}

/// Scans `pages` (path, HTML) for [`Checker::add`].
fn scans(pages: &[(&str, &str)]) -> Vec<ScannedPage> {
    pages
        .iter()
        .map(|(path, html)| scan_page(path, &[html.as_bytes()]))
        .collect()
}

#[test]
fn a_link_to_a_part_added_later_waits_for_it() {
    let base = BaseUrl::parse("/").unwrap();
    let mut checker = Checker::new(base);
    // 2019's page links to 2020 (added later) and to a year that never comes.
    let first = [(
        "2019/index.html",
        r#"<a href="../2020/#top">next</a><a href="../2018/">never</a><a href="../2020/#gone">x</a>"#,
    )];
    checker.add(scans(&first), Vec::new(), WrittenLinks::new());
    let second = [(
        "2020/index.html",
        r#"<h1 id="top">2020</h1><a href="../2019/">back</a>"#,
    )];
    checker.add(scans(&second), Vec::new(), WrittenLinks::new());
    let diags = checker.finish();
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(diags.error_count(), 2, "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.contains("../2018/") && t.contains("does not have")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.contains("id=\"gone\"")), "{text:?}");
}

#[test]
fn part_by_part_finds_what_the_whole_site_at_once_finds() {
    let pages = [
        (
            "index.html",
            r#"<a href="2020/">2020</a><a href="nope/">x</a>"#,
        ),
        (
            "2020/index.html",
            r#"<a href="../#y">y</a><a href="../2021/">z</a>"#,
        ),
    ];
    let base = BaseUrl::parse("/").unwrap();
    let whole = check_scanned(&scans(&pages), [], &WrittenLinks::new(), &base);
    let mut checker = Checker::new(base);
    for page in &pages {
        checker.add(scans(&[*page]), Vec::new(), WrittenLinks::new());
    }
    let parts = checker.finish();
    let text = |d: &crate::error::Diagnostics| d.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    let (mut a, mut b) = (text(&whole), text(&parts));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(whole.error_count(), 3, "{a:?}");
}

#[test]
fn links_with_one_target_share_a_scope() {
    use super::resolve::scope;
    assert_eq!(
        scope("2024/relief/index.html", "../../2019/"),
        ("", "2019/")
    );
    assert_eq!(
        scope("en/2024/relief/index.html", "../../2019/"),
        ("en/", "2019/")
    );
    assert_eq!(scope("2024/index.html", "./relief/"), ("2024/", "relief/"));
    assert_eq!(scope("a/index.html", "#x"), ("a/index.html", "#x"));
    assert_eq!(scope("404.html", "x/"), ("404.html", "x/"));
    assert_eq!(scope("index.html", "../../x"), ("", "../../x"));
}
