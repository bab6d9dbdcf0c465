//! Broken links: `build`, `check` and `publish` find the same ones on the
//! rendered site, fail on them, and report each where it is written.

use crate::common::{Site, snapshot_dir, stderr_of};

const SECTION: &str = "content/01-relief/02-training.en.md";

/// Appends `text` to the English training section; returns the line number
/// of the first line appended.
fn append(site: &Site, text: &str) -> usize {
    let old = std::fs::read_to_string(site.root().join(SECTION)).unwrap();
    let old = if old.ends_with('\n') { old } else { old + "\n" };
    let line = old.lines().count() + 1;
    site.write(SECTION, &format!("{old}{text}"));
    line
}

/// Builds once, so that a failed build can be seen to leave it alone.
fn built(site: &Site) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    snapshot_dir(&site.output())
}

fn json_diagnostics(out: &std::process::Output) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn a_broken_anchor_is_reported_where_it_is_written_not_at_a_draft_with_the_same_text() {
    let site = Site::fixture("bilingual");
    let before = built(&site);
    // Earlier in path order, never built, and holding the very same text.
    site.write(
        "content/01-relief/01-aaa-draft.en.md",
        "---\ntitle: Draft\ndraft: true\n---\nSee [x](#nope).\n",
    );
    let line = append(&site, "See [x](#nope).\n");
    let at = format!("{SECTION}:{line}:9");

    let build = site.run(&["build"]);
    let err = stderr_of(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("┌─ {at}")), "{err}");
    assert!(err.contains("broken link `#nope`"), "{err}");
    assert!(!err.contains("draft"), "{err}");
    assert_eq!(before, snapshot_dir(&site.output()), "output untouched");

    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1));
    let broken: Vec<_> = json_diagnostics(&check)
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("broken link"))
        .collect();
    // Also on the English whole-report page: reported once, at its own page.
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert_eq!(broken[0]["file"], SECTION);
    assert_eq!(broken[0]["line"], line);
    assert_eq!(broken[0]["col"], 9);
    assert_eq!(broken[0]["len"], 5);
    assert!(
        broken[0]["hint"]
            .as_str()
            .unwrap()
            .contains("en/relief/index.html")
    );
}

#[test]
fn a_raw_html_figure_broken_on_the_whole_report_page_fails_the_build() {
    let site = Site::fixture("bilingual");
    let before = built(&site);
    // Photos are processed, never copied: a copied file is a document.
    site.write("content/01-relief/brochure.pdf", "%PDF-1.4 a brochure");
    let line = append(
        &site,
        "<figure>\n  <a\n    title=\"Volunteers\" href=\"brochure.pdf\">Brochure</a>\n</figure>\n",
    );
    let build = site.run(&["build"]);
    let err = stderr_of(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    // On the chapter page the picture is beside the page; on the
    // whole-report page the same relative link is not.
    assert!(
        err.contains("broken link `brochure.pdf`: it leads to /en/print/brochure.pdf"),
        "{err}"
    );
    assert!(
        err.contains(&format!("┌─ {SECTION}:{}:30", line + 2)),
        "{err}"
    );
    assert!(err.contains("write the link in Markdown"), "{err}");
    assert_eq!(before, snapshot_dir(&site.output()), "output untouched");

    let check = site.run(&["check"]);
    let check_err = stderr_of(&check);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        check_err.contains("broken link `brochure.pdf`"),
        "{check_err}"
    );

    // Written in Markdown, it is rebased for the whole-report page.
    append(&site, "[Brochure](brochure.pdf)\n");
    let text = std::fs::read_to_string(site.root().join(SECTION)).unwrap();
    let fixed = text.replace(
        "<figure>\n  <a\n    title=\"Volunteers\" href=\"brochure.pdf\">Brochure</a>\n</figure>\n",
        "",
    );
    site.write(SECTION, &fixed);
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

#[test]
fn links_are_located_in_reference_definitions_and_raw_html() {
    let site = Site::fixture("bilingual");
    let line = append(
        &site,
        "See [the plan][Plan] and <a href=\"../gone/\">this</a>.\n\n[plan]: <../plan/>\n",
    );
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1));
    let mut broken: Vec<(String, u64, u64)> = json_diagnostics(&check)
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("broken link"))
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
            )
        })
        .collect();
    broken.sort();
    let line = line as u64;
    assert_eq!(
        broken,
        [
            (
                "broken link `../gone/`: it leads to /en/gone/, which the site does not have"
                    .to_string(),
                line,
                35
            ),
            (
                "broken link `../plan/`: it leads to /en/plan/, which the site does not have"
                    .to_string(),
                line + 2,
                10
            ),
        ]
    );
}

#[test]
fn a_section_shown_in_another_language_reports_its_link_once() {
    let site = Site::fixture("bilingual");
    // Only in Chinese: the English pages show it as it is.
    site.write(
        "content/02-outreach/03-only.zh.md",
        "---\ntitle: 仅中文\n---\n见[别处](../nowhere/)。\n",
    );
    let check = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = json_diagnostics(&check)
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("broken link"))
        .collect();
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert_eq!(broken[0]["file"], "content/02-outreach/03-only.zh.md");
    assert_eq!(
        (&broken[0]["line"], &broken[0]["col"]),
        (&4.into(), &7.into())
    );
}

#[test]
fn a_template_link_is_reported_at_the_generated_page() {
    let site = Site::fixture("bilingual");
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default/templates/chapter.html");
    let template = std::fs::read_to_string(ours).unwrap();
    let broken = template.replacen(
        "<article class=\"chapter\">",
        "<article class=\"chapter\"><a href=\"../missing/\">x</a>",
        1,
    );
    assert_ne!(broken, template, "the template opens an article");
    site.write("themes/default/templates/chapter.html", &broken);
    let out = site.run(&["build"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("en/relief/index.html") && err.contains("broken link href=\"../missing/\""),
        "{err}"
    );
    assert!(err.contains("a template of the theme"), "{err}");
}

#[test]
fn the_2020_report_builds_with_every_link_checked() {
    let site = Site::copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let built = site.build();
    assert!(built.warnings.is_empty());
    // The check is not vacuous: served elsewhere, root-relative links break.
    let rendered = nianbao::render_site(&site.options()).unwrap();
    let files = rendered.site.files.iter();
    let files = files.map(|f| (f.path.as_str(), Some(f.bytes.as_slice())));
    let copies = rendered.site.copies.iter().map(|(_, d)| (d.as_str(), None));
    let base = nianbao::model::nav::BaseUrl::parse("/elsewhere/").unwrap();
    let written = nianbao::links::WrittenLinks::new();
    assert!(nianbao::links::check(files.chain(copies), &written, &base).has_errors());
}
