//! One pipeline for every command: `build` writes each page into the staged
//! folder as it is rendered, the in-memory commands see the same files,
//! the preview reports diagnostics as `build` does, and generated files
//! other than pages (sitemap, robots.txt, chart figures) come from theme
//! templates a theme can override.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::{Site, snapshot_dir};
use nianbao::output::Stage;
use nianbao::render::sink::Sink;
use nianbao::serve::{BuildOutcome, LiveSite, ServeEvent};

/// What `build` writes is what the in-memory pipeline (`check`, `publish`,
/// the preview) renders: the same paths, the same bytes.
#[test]
fn build_writes_what_the_in_memory_pipeline_renders() {
    let site = Site::fixture("english-default");
    let built = site.build();
    assert!(
        built.site.files.is_empty(),
        "build holds no files in memory"
    );
    let rendered = nianbao::render_site(&site.options()).unwrap();
    assert_eq!(rendered.pages, built.pages);
    let on_disk = snapshot_dir(&site.output());
    for file in &rendered.site.files {
        let found = on_disk
            .iter()
            .find(|(path, _)| path.to_string_lossy().replace('\\', "/") == file.path);
        let (_, bytes) = found.unwrap_or_else(|| panic!("{} was not written", file.path));
        assert!(*bytes == file.bytes, "{} differs", file.path);
    }
    // Everything but the marker and the copies from content/ is generated.
    let copies = rendered.site.copies.len();
    assert_eq!(on_disk.len(), rendered.site.files.len() + copies + 1);
}

/// A file put in parts is the parts joined; putting the same bytes again
/// keeps the previous file and its timestamp; nothing reaches the output
/// before the commit, and a stage dropped without one leaves it as it was.
#[test]
fn the_stage_writes_parts_keeps_unchanged_files_and_commits_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let stage = Stage::open(&out).unwrap();
    stage
        .put("print/index.html", &[b"<p>", b"a", b"</p>"])
        .unwrap();
    stage.put("b.txt", &[b"b"]).unwrap();
    assert!(!out.exists(), "the output appears only at the commit");
    let first = stage.commit(&|_| Ok(Vec::new())).unwrap();
    assert_eq!(first.added, ["b.txt", "print/index.html"]);
    assert_eq!(
        fs::read_to_string(out.join("print/index.html")).unwrap(),
        "<p>a</p>"
    );

    let old = SystemTime::now() - Duration::from_secs(3600);
    let page = out.join("print/index.html");
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let stage = Stage::open(&out).unwrap();
    stage.put("print/index.html", &[b"<p>a", b"</p>"]).unwrap();
    let second = stage.commit(&|_| Ok(Vec::new())).unwrap();
    assert_eq!(second.unchanged, 1);
    assert_eq!(second.removed, ["b.txt"]);
    assert_eq!(fs::metadata(&page).unwrap().modified().unwrap(), old);

    let stage = Stage::open(&out).unwrap();
    stage.put("print/index.html", &[b"changed"]).unwrap();
    drop(stage);
    assert_eq!(fs::read_to_string(&page).unwrap(), "<p>a</p>");
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the output is left: {leftovers:?}");
}

/// A theme that brings its own sitemap.xml, robots.txt and figure.html
/// changes those files; the default theme's are used otherwise.
#[test]
fn a_theme_overrides_the_built_in_templates() {
    let site = Site::fixture("english-default");
    site.build();
    let default_robots = site.read("robots.txt");
    assert!(
        default_robots.contains("Sitemap: https://example.org/reports/2021/sitemap.xml"),
        "{default_robots}"
    );
    assert!(site.read("sitemap.xml").contains("hreflang="));
    assert!(
        site.read("relief/index.html")
            .contains("class=\"chart-figure\"")
    );

    site.write(
        "themes/default/templates/robots.txt",
        "User-agent: *\nDisallow: /\n{% if sitemap_url %}# {{ sitemap_url }}\n{% endif %}",
    );
    site.write(
        "themes/default/templates/sitemap.xml",
        "<urls>{% for u in urls %}<u>{{ u.loc }}</u>{% endfor %}</urls>",
    );
    site.write(
        "themes/default/templates/figure.html",
        "<div class=\"my-figure\" id=\"{{ figure.dom_id }}\">{{ figure.caption | safe }}</div>",
    );
    site.build();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /\n# https://example.org/reports/2021/sitemap.xml\n"
    );
    assert!(
        site.read("sitemap.xml")
            .starts_with("<urls><u>https://example.org/reports/2021/")
    );
    let chapter = site.read("relief/index.html");
    assert!(chapter.contains("<div class=\"my-figure\" id=\"chart-fund_use\">"));
    assert!(!chapter.contains("chart-figure"));
}

/// A broken figure template fails the build at the template, and the
/// previous output stays.
#[test]
fn a_figure_template_error_fails_the_build_and_names_the_template() {
    let site = Site::fixture("english-default");
    site.build();
    let before = snapshot_dir(&site.output());
    site.write(
        "themes/default/templates/figure.html",
        "<figure>{{ figure.no_such_field }}</figure>",
    );
    let Err(nianbao::Error::Content(diags)) = nianbao::build(&site.options()) else {
        panic!("the build should fail");
    };
    let text = diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("figure.html"), "{text}");
    assert_eq!(snapshot_dir(&site.output()), before);
}

/// The preview builds through the same pipeline: the page count of
/// `build`, and on failure the error count with the diagnostics themselves
/// (file and line), not preformatted text.
#[test]
fn the_preview_reports_the_outcome_and_the_diagnostics_of_build() {
    let site = Site::fixture("english-default");
    let built = site.build();
    let live = LiveSite::new(site.options());
    let ServeEvent::Built { outcome, .. } = live.rebuild(Vec::new()) else {
        panic!("a rebuild reports a build");
    };
    assert_eq!(outcome, BuildOutcome::Built { pages: built.pages });

    let section = "content/01-relief/01-floods.en.md";
    let text = fs::read_to_string(site.root().join(section)).unwrap();
    site.write(
        section,
        &text.replace("chart:fund_use", "chart:no_such_chart"),
    );
    let ServeEvent::Built {
        outcome,
        diagnostics,
        ..
    } = live.rebuild(vec![section.into()])
    else {
        panic!("a rebuild reports a build");
    };
    assert_eq!(outcome, BuildOutcome::Failed { errors: 1 });
    let error = diagnostics.iter().next().unwrap();
    assert!(error.message.contains("no_such_chart"), "{error}");
    assert!(error.file.ends_with("01-floods.en.md"), "{error}");
    assert!(error.line > 0);
}

/// `--strict` means the same in the preview as in `build`.
#[test]
fn the_preview_is_strict_when_build_is() {
    let site = Site::fixture("english-default");
    let metrics = "content/02-outreach/metrics.yaml";
    let text = fs::read_to_string(site.root().join(metrics)).unwrap();
    let unused = "metrics:\n  - id: never_used\n    label: { en: \"Unused\", zh: \"未用\" }\n    value: 1\n    unit: { en: \"people\", zh: \"人\" }\n";
    site.write(metrics, &text.replacen("metrics:\n", unused, 1));
    let lenient = nianbao::render_site(&site.options()).unwrap();
    assert!(lenient.warnings.warning_count() > 0, "the fixture warns");
    let mut options = site.options();
    options.strict = true;
    assert!(matches!(
        nianbao::build(&options),
        Err(nianbao::Error::Content(_))
    ));
    let ServeEvent::Built { outcome, .. } = LiveSite::new(options).rebuild(Vec::new()) else {
        panic!("a rebuild reports a build");
    };
    assert!(
        matches!(outcome, BuildOutcome::Failed { .. }),
        "{outcome:?}"
    );
}

/// Every page of the report, once: home, then each chapter's index and
/// sections, in every language.
#[test]
fn the_model_lists_every_page_once() {
    let site = Site::fixture("english-default");
    let (prepared, diags) = nianbao::build::prepare(&site.options());
    assert!(!diags.has_errors());
    let report = prepared.unwrap().report;
    let files: Vec<_> = report.pages().map(|p| p.file.clone()).collect();
    let md = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(files.len(), md);
    assert!(files[0].to_string_lossy().contains("_index"), "{files:?}");
    let unique: std::collections::BTreeSet<_> = files.iter().collect();
    assert_eq!(unique.len(), files.len());
}
