//! Money and numbers in every language (issue 15): `tests/fixtures/money`,
//! an NGO reporting in US dollars, euros and Swiss francs in English (the
//! default), French, German and Chinese, built with the default theme.
//!
//! How the pages are searched: metric values are plain text in the prose
//! (no tags inside a formatted value), and `render::html_escape` escapes
//! only `& < > " '`, so U+00A0 and U+202F are raw UTF-8 characters in the
//! HTML. The expected strings are therefore written with `\u{a0}` (no-break
//! space) and `\u{202f}` (narrow no-break space) where CLDR puts them, and
//! searched in `text_of(page)` (tags removed, entities kept; no expected
//! string holds an entity or an ASCII apostrophe). Each expected string sits on
//! one source line of the fixture, so no soft line break falls inside it.
//!
//! Assumed exactly (CLDR 48 as Node's ICU shows it, and the contract in
//! notes/issue15-contract.md):
//! - en currency code: `USD\u{a0}14.23 million`, U+00A0 after the code as
//!   CLDR's en pattern has it (ICU4X's code formatter and Node's Intl give
//!   `USD\u{a0}…`), while `CNY 8.959 million` keeps its plain space. The
//!   English expected strings below are written `USD 14.23 million` and
//!   pass through [`en_money`]: flip [`EN_CODE_SPACE`] to `" "` if English
//!   codes are to be followed by a plain space like CNY's;
//! - fr/de: the compact word then U+00A0 then the code (`14,23 millions\u{a0}USD`),
//!   the compact pattern's own space plain (`14,23 millions`); fr grouping
//!   U+202F, fr/de percent U+00A0 before `%`; fr `1,25 million` (plural
//!   one for 1.25), de `1,25 Millionen`;
//! - zh: currency names from CLDR (美元, 欧元, 瑞士法郎), no grouping, 万 with at
//!   most two decimals (79412900 is `7941.29万` in zh, exact), the
//!   approximation after the number and before the noun (`1200余名志愿者`);
//! - percentage points from the theme i18n: `2.1 percentage points`,
//!   `2,1 points`, `2,1 Prozentpunkte`, `2.1个百分点` (plain spaces; the
//!   `| change` filter is unsigned); de "over" is `über {}`.

use crate::common::{Site, stderr_of, text_of};

/// What follows a currency code before the number in English (see above).
const EN_CODE_SPACE: &str = "\u{a0}";

/// An English expected string written with a plain space after USD, EUR or
/// CHF, with [`EN_CODE_SPACE`] there instead.
fn en_money(text: &str) -> String {
    ["USD", "EUR", "CHF"]
        .iter()
        .fold(text.to_string(), |t, code| {
            t.replace(&format!("{code} "), &format!("{code}{EN_CODE_SPACE}"))
        })
}

/// The fixture, built; panics with the diagnostics if the build fails.
fn built() -> Site {
    let site = Site::fixture("money");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    site
}

/// The fixture with `precision: 2` added to report.yaml, built.
fn built_with_precision() -> Site {
    let site = Site::fixture("money");
    append(&site, "content/report.yaml", "precision: 2\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    site
}

fn append(site: &Site, path: &str, text: &str) {
    let mut current = std::fs::read_to_string(site.root().join(path)).unwrap();
    if !current.ends_with('\n') {
        current.push('\n');
    }
    current.push_str(text);
    site.write(path, &current);
}

/// A page of `lang` below the output folder: English, the first language,
/// is at the root.
fn page_path(lang: &str, page: &str) -> String {
    let prefix = if lang == "en" {
        String::new()
    } else {
        format!("{lang}/")
    };
    if page.is_empty() {
        format!("{prefix}index.html")
    } else {
        format!("{prefix}{page}/index.html")
    }
}

/// The text of a page (tags removed).
fn text(site: &Site, lang: &str, page: &str) -> String {
    text_of(&site.read(&page_path(lang, page)))
}

/// Asserts that each of `expected` is in the text of the page (English ones
/// through [`en_money`]).
fn has_all(site: &Site, lang: &str, page: &str, expected: &[&str]) {
    let path = page_path(lang, page);
    let text = text(site, lang, page);
    for e in expected {
        let e = &if lang == "en" {
            en_money(e)
        } else {
            (*e).to_string()
        };
        assert!(
            text.contains(e),
            "{path} lacks {}\n{}",
            visible(e),
            visible(&text)
        );
    }
}

/// `text` with its no-break spaces shown, for failure messages.
fn visible(text: &str) -> String {
    text.replace('\u{a0}', "<NBSP>")
        .replace('\u{202f}', "<NNBSP>")
}

/// Asserts that none of `unexpected` is in the text of the page.
fn has_none(site: &Site, lang: &str, page: &str, unexpected: &[&str]) {
    let path = page_path(lang, page);
    let text = text(site, lang, page);
    for e in unexpected {
        assert!(!text.contains(e), "{path} holds {e:?}\n{text}");
    }
}

/// The text of the prose paragraph of `html` that contains `marker`.
fn paragraph(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in the page"));
    let start = html[..at].rfind("<p>").expect("a paragraph");
    let end = at + html[at..].find("</p>").expect("a closed paragraph");
    text_of(&html[start..end])
}

/// The text of the data table of the chart `id` on the page.
fn data_table(html: &str, id: &str) -> String {
    let figure = html
        .split(&format!("id=\"fig-chart-{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no figure of chart {id}"));
    let details = figure
        .split("<details class=\"chart-data\">")
        .nth(1)
        .expect("a data table");
    text_of(details.split("</details>").next().unwrap())
}

// ---- each language -------------------------------------------------------

#[test]
fn english_money_counts_and_percentages() {
    let site = built();
    has_all(
        &site,
        "en",
        "water",
        &[
            "342 wells this year, 25% more than the year before",
            "128,400 children now drink safe water",
            "Yet 8.3% of pupils",
            "came to USD 14.23 million.",
            "A grant of EUR 3.5 million from European partners",
            "one of CHF 1.25 million from a Swiss foundation",
            "raised USD 126.15 million in all",
            "of which USD 79,412,900 went straight to programmes",
        ],
    );
    has_all(
        &site,
        "en",
        "communities",
        &[
            "Over 1,200 volunteers gave their weekends",
            "64.5% of households",
            "up 2.1 percentage points on the year before",
        ],
    );
    has_none(
        &site,
        "en",
        "communities",
        &["over 1,200 volunteers gave", "+2.1", "2.1%"],
    );
    has_all(
        &site,
        "en",
        "",
        &[
            "managed a budget of USD 14.23 million",
            "safe drinking water to 128,400 children",
            "with over 1,200 volunteers at our side",
        ],
    );
}

#[test]
fn french_follows_cldr_not_english() {
    let site = built();
    has_all(
        &site,
        "fr",
        "water",
        &[
            "342 puits cette année, soit 25\u{a0}% de plus",
            "128\u{202f}400 enfants boivent",
            "Pourtant, 8,3\u{a0}% des élèves",
            "s’est élevé à 14,23 millions\u{a0}USD.",
            "subvention de 3,5 millions\u{a0}EUR de partenaires",
            "une autre de 1,25 million\u{a0}CHF d’une fondation",
            "ont collecté 126,15 millions\u{a0}USD au total",
            "dont 79\u{202f}412\u{202f}900\u{a0}USD sont allés",
        ],
    );
    has_all(
        &site,
        "fr",
        "communities",
        &[
            "Plus de 1\u{202f}200 bénévoles ont donné",
            "64,5\u{a0}% des ménages",
            "soit 2,1 points de plus",
        ],
    );
    for page in ["", "water", "communities"] {
        has_none(
            &site,
            "fr",
            page,
            &[
                " over ",
                "Plus de over",
                "128,400",
                "128 400",
                "8.3%",
                "14.23",
                "1,200",
                "million dollars",
                "percentage",
            ],
        );
    }
    has_all(
        &site,
        "fr",
        "",
        &[
            "un budget de 14,23 millions\u{a0}USD",
            "potable à 128\u{202f}400 enfants",
            "avec plus de 1\u{202f}200 bénévoles à nos côtés",
        ],
    );
}

#[test]
fn german_follows_cldr() {
    let site = built();
    has_all(
        &site,
        "de",
        "water",
        &[
            "342 Brunnen gebohrt",
            "25\u{a0}% mehr als im Vorjahr",
            "trinken jetzt 128.400 Kinder",
            "fehlten 8,3\u{a0}% der Schulkinder",
            "belief sich auf 14,23 Millionen\u{a0}USD.",
            "Zuschuss von 3,5 Millionen\u{a0}EUR europäischer",
            "einer von 1,25 Millionen\u{a0}CHF einer Schweizer",
            "insgesamt 126,15 Millionen\u{a0}USD gesammelt",
            "flossen 79.412.900\u{a0}USD direkt",
        ],
    );
    has_all(
        &site,
        "de",
        "communities",
        &[
            "Über 1.200 Freiwillige haben",
            "hatten 64,5\u{a0}% der Haushalte",
            "2,1 Prozentpunkte mehr als im Vorjahr",
        ],
    );
    for page in ["", "water", "communities"] {
        has_none(
            &site,
            "de",
            page,
            &[" over ", "128,400", "8.3%", "14.23", "1,200", "million USD"],
        );
    }
    has_all(
        &site,
        "de",
        "",
        &["Dabei halfen uns über 1.200 Freiwillige."],
    );
}

#[test]
fn chinese_uses_wan_and_currency_names() {
    let site = built();
    has_all(
        &site,
        "zh",
        "water",
        &[
            "新建或修复了342口水井，比上年增加25%",
            "12.84万名儿童在学校",
            "仍有8.3%的学生",
            "全年预算为1423万美元。",
            "欧洲伙伴资助的350万欧元",
            "瑞士基金会资助的125万瑞士法郎",
            "累计募集12615万美元",
            "其中7941.29万美元直接用于项目",
        ],
    );
    has_all(
        &site,
        "zh",
        "communities",
        &["1200余名志愿者今年", "64.5%的家庭", "较上年提高2.1个百分点"],
    );
    has_none(
        &site,
        "zh",
        "water",
        &["USD", "1,423", "128,400", "million"],
    );
    has_all(&site, "zh", "", &["管理预算1423万美元", "让12.84万名儿童"]);
}

#[test]
fn the_cover_shows_the_highlights_in_each_language() {
    let site = built();
    for lang in ["en", "fr", "de", "zh"] {
        let html = site.read(&page_path(lang, ""));
        assert!(
            html.contains("class=\"highlights\""),
            "{lang}: no highlights"
        );
    }
    let cards = |lang: &str| {
        let html = site.read(&page_path(lang, ""));
        let list = html
            .split("<ul class=\"cards\"")
            .nth(1)
            .expect("highlight cards")
            .split("</ul>")
            .next()
            .unwrap()
            .to_string();
        text_of(&list)
    };
    let zh = cards("zh");
    for e in ["1423万", "美元", "12.84万", "1200"] {
        assert!(zh.contains(e), "zh cards lack {e}: {zh}");
    }
    let fr = cards("fr");
    for e in ["14,23", "128\u{202f}400", "1\u{202f}200"] {
        assert!(fr.contains(e), "fr cards lack {e:?}: {fr}");
    }
    let de = cards("de");
    for e in ["14,23", "128.400", "1.200"] {
        assert!(de.contains(e), "de cards lack {e:?}: {de}");
    }
}

#[test]
fn the_chart_data_table_shows_the_exact_figure_in_each_language() {
    let site = built();
    let expect = [
        ("en", en_money("USD 79,412,900")),
        ("fr", "79\u{202f}412\u{202f}900\u{a0}USD".to_string()),
        ("de", "79.412.900\u{a0}USD".to_string()),
    ];
    for (lang, exact) in expect {
        let table = data_table(&site.read(&page_path(lang, "water")), "raised_spent");
        assert!(
            table.contains(&exact),
            "{lang} data table lacks {exact:?}: {table}"
        );
    }
}

// ---- precision -------------------------------------------------------------

#[test]
fn without_precision_a_figure_that_is_only_exact_in_full_stays_in_full() {
    let site = built();
    let html = site.read("water/index.html");
    let p = paragraph(&html, "went straight to programmes");
    assert!(p.contains(&en_money("USD 126.15 million")), "{p}");
    assert!(p.contains(&en_money("USD 79,412,900")), "{p}");
}

#[test]
fn precision_rounds_money_in_prose_but_not_in_tables_or_csv() {
    let site = built_with_precision();
    let en = site.read("water/index.html");
    let p = paragraph(&en, "went straight to programmes");
    assert!(
        p.contains(&en_money(
            "raised USD 126.15 million in all, of which USD 79.41 million went"
        )),
        "{p}"
    );
    assert!(!p.contains("79,412,900"), "{p}");
    assert!(
        data_table(&en, "raised_spent").contains(&en_money("USD 79,412,900")),
        "the data table keeps the exact figure"
    );

    let fr = site.read("fr/water/index.html");
    let p = paragraph(&fr, "sont allés directement");
    assert!(p.contains("dont 79,41 millions\u{a0}USD sont allés"), "{p}");
    assert!(
        data_table(&fr, "raised_spent").contains("79\u{202f}412\u{202f}900\u{a0}USD"),
        "the fr data table keeps the exact figure"
    );
    let de = text_of(&site.read("de/water/index.html"));
    assert!(
        de.contains("flossen 79,41 Millionen\u{a0}USD direkt"),
        "{de}"
    );
    // Already exact in 万 with two decimals.
    let zh = text_of(&site.read("zh/water/index.html"));
    assert!(zh.contains("其中7941.29万美元直接用于项目"), "{zh}");

    // A single report writes no CSV file (a series does, per year): the
    // open data is checked as `render::data` makes it.
    let (prepared, diags) = nianbao::build::prepare(&site.options());
    assert!(!diags.has_errors(), "{diags:?}");
    let report = prepared.unwrap().report;
    let rows = nianbao::render::data::rows(&report);
    let codes: Vec<String> = report.languages.iter().map(|l| l.code.clone()).collect();
    let csv = nianbao::render::data::year_csv(&rows, &codes);
    let csv = String::from_utf8_lossy(&csv).into_owned();
    let row = csv
        .lines()
        .find(|l| l.starts_with("spent_programmes,"))
        .unwrap_or_else(|| panic!("no spent_programmes row:\n{csv}"));
    assert!(row.contains(",79412900,"), "{row}");
    assert!(!row.contains("79.41"), "{row}");
}

// ---- check -------------------------------------------------------------------

/// `check --format json`: (severity, file, line) of each diagnostic.
fn diagnostics(site: &Site, args: &[&str]) -> (Option<i32>, Vec<(String, String, u64)>) {
    let out = site.run(args);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr_of(&out)
        )
    });
    let found = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    (out.status.code(), found)
}

/// The only thing `check` may say about the fixture as written is that the
/// paragraph with USD 126.15 million beside USD 79,412,900 mixes styles
/// (line 6 of the en, fr and de funding sections; zh writes both in 万).
#[test]
fn check_finds_nothing_but_the_mixed_money_paragraph() {
    let site = Site::fixture("money");
    let (code, found) = diagnostics(&site, &["check", "--format", "json"]);
    assert_eq!(code, Some(0), "{found:?}");
    let allowed = [
        "content/01-water/02-funding.en.md",
        "content/01-water/02-funding.fr.md",
        "content/01-water/02-funding.de.md",
    ];
    assert_eq!(found.len(), allowed.len(), "{found:?}");
    for (severity, file, line) in &found {
        assert!(
            severity == "note" && allowed.contains(&file.as_str()) && *line == 6,
            "unexpected diagnostic: {severity} {file}:{line} (all: {found:?})"
        );
    }
}

#[test]
fn check_strict_passes_with_precision() {
    let site = Site::fixture("money");
    append(&site, "content/report.yaml", "precision: 2\n");
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

// ---- mistakes ----------------------------------------------------------------

/// Replaces `from` with `to` in a file of the site; returns the 1-based line
/// and column where `to` starts.
fn replace(site: &Site, path: &str, from: &str, to: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{path} lacks {from:?}"));
    site.write(path, &text.replacen(from, to, 1));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, col)
}

/// The column that follows `file:line:` in the diagnostics, if any.
fn column_after(stderr: &str, file: &str, line: usize) -> Option<usize> {
    let prefix = format!("{file}:{line}:");
    let rest = &stderr[stderr.find(&prefix)? + prefix.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[test]
fn an_unknown_currency_code_is_an_error_at_its_place() {
    let site = Site::fixture("money");
    let file = "content/01-water/metrics.yaml";
    let (line, key_col) = replace(&site, file, "unit: chf", "unit: usb");
    let value_col = key_col + "unit: ".len();
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("usb"), "{command}: {err}");
        let col = column_after(&err, file, line);
        assert!(
            col == Some(key_col) || col == Some(value_col),
            "{command} must name {file}:{line}:{key_col} (or :{value_col}): {err}"
        );
        assert!(err.contains("hint"), "{command}: a hint: {err}");
    }
    assert!(
        !site.output().join("index.html").exists(),
        "nothing is written"
    );
}

#[test]
fn points_on_a_metric_that_is_not_a_percentage_is_an_error() {
    let site = Site::fixture("money");
    let file = "content/01-water/metrics.yaml";
    // `wells` is a count with a relative change.
    let (line, _) = replace(
        &site,
        file,
        "    change: 0.25\n",
        "    change: 0.25\n    change_kind: points\n",
    );
    let line = line + 1;
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("change_kind"), "{command}: {err}");
        assert!(
            column_after(&err, file, line).is_some(),
            "{command} must name {file}:{line}: {err}"
        );
    }
}
