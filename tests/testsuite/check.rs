//! `nianbao check`: what it finds beyond `build`, in both output formats.

use crate::common::{Site, snapshot_dir, stderr_of};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn messages(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_2020_report_passes_check_strict() {
    let site = Site::copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

#[test]
fn stale_translations_are_flagged_until_the_stamp_is_updated() {
    let site = Site::fixture("bilingual");
    let en = "content/01-relief/02-training.en.md";
    let zh = site.root().join("content/01-relief/02-training.zh.md");
    let english = std::fs::read_to_string(site.root().join(en)).unwrap();
    let stamped =
        |stamp: &str| english.replacen("---\n", &format!("---\ntranslated_from: \"{stamp}\"\n"), 1);

    // Learn the current stamp from check itself, the way an author does.
    site.write(en, &stamped("0"));
    let first = json(&site.run(&["check", "--format", "json"]));
    let stale = &first["diagnostics"][0];
    assert!(
        stale["message"]
            .as_str()
            .unwrap()
            .contains("stale translation"),
        "{first}"
    );
    assert_eq!(
        (stale["line"].as_u64(), stale["col"].as_u64()),
        (Some(2), Some(1))
    );
    let hint = stale["hint"].as_str().unwrap();
    let current = hint
        .rsplit("translated_from: \"")
        .next()
        .unwrap()
        .trim_end_matches("\"`");
    site.write(en, &stamped(current));
    let clean = site.run(&["check", "--strict"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr_of(&clean));

    // The source changes: the translation is stale again, with a new stamp.
    let mut source = std::fs::read_to_string(&zh).unwrap();
    source.push_str("\n新增一段。\n");
    std::fs::write(&zh, source).unwrap();
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "a warning: {err}");
    assert!(
        err.contains("warning: stale translation: content/01-relief/02-training.zh.md changed"),
        "{err}"
    );
    assert!(err.contains(&format!("┌─ {en}:2:1")), "{err}");
    assert!(
        !err.contains(&format!("then set `translated_from: \"{current}\"`")),
        "the hint gives the new stamp: {err}"
    );
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(1));
    // Trailing spaces and line endings alone do not make it stale.
    site.write(en, &stamped(current));
    let zh_text = std::fs::read_to_string(&zh).unwrap();
    let first_source = zh_text.replace("\n新增一段。\n", "");
    std::fs::write(&zh, first_source.replace('\n', "  \r\n")).unwrap();
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

#[test]
fn finds_broken_links_missing_alt_text_typed_figures_and_orphans() {
    let site = Site::fixture("bilingual");
    let zh = "content/01-relief/02-training.zh.md";
    let mut text = std::fs::read_to_string(site.root().join(zh)).unwrap();
    text.push_str(
        "\n培训4152人。\n\n![](assets/logo.txt)\n\n见[上一章](../nowhere/)和[说明](#no-such-anchor)。\n",
    );
    site.write(zh, &text);
    site.write(
        "content/02-outreach/02-extra.en.md",
        "---\ntitle: Extra\n---\nOnly in English.\n",
    );
    let before = snapshot_dir(site.root());
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "broken links are errors");
    assert_eq!(before, snapshot_dir(site.root()), "check writes nothing");
    let doc = json(&out);
    let all = messages(&doc).join("\n");
    for expected in [
        "`4152` is typed into the text, and equals metric `trainees`",
        "image `assets/logo.txt` has no alt text",
        "broken link `../nowhere/`: it leads to /nowhere/",
        "broken link `#no-such-anchor`",
        // Relative to the chapter page, which is not where assets/ is.
        "broken link `assets/logo.txt`: it leads to /relief/assets/logo.txt",
        "orphan translation: there is no zh page content/02-outreach/02-extra.zh.md",
    ] {
        assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
    }
    assert_eq!(doc["errors"], 3, "{all}");
    let link = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("../nowhere/"))
        .unwrap();
    assert_eq!(link["file"], zh, "pointed at the Markdown, not the page");
    assert_eq!(link["severity"], "error");

    // The same findings for people, with the source line and carets.
    let human = site.run(&["check"]);
    let err = stderr_of(&human);
    assert!(err.contains("培训4152人。"), "{err}");
    assert!(err.contains("check failed: 3 error(s)"), "{err}");
    // Broken links fail `build` too, with the same errors; the rest are
    // only `check`'s.
    let build = site.run(&["build"]);
    let err = stderr_of(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    assert!(err.contains("broken link `../nowhere/`"), "{err}");
    assert!(!err.contains("typed into the text"), "{err}");
}

#[test]
fn json_goes_to_stdout_even_for_a_clean_report() {
    let site = Site::fixture("english-only");
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let doc = json(&out);
    assert_eq!(doc["errors"], 0);
    assert!(doc["diagnostics"].is_array());
}

#[test]
fn a_metric_quoted_in_a_photo_caption_must_exist() {
    let site = Site::fixture("photos");
    let metrics = "content/01-lights/metrics.yaml";
    let text = std::fs::read_to_string(site.root().join(metrics)).unwrap();
    let caption = "旧船屋：第一盏灯在这里点亮（没有留下照片）";
    assert!(text.contains(caption));
    site.write(
        metrics,
        &text.replace(caption, "旧船屋：{{ metric:lamp_checked }}"),
    );
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let doc = json(&out);
    let unknown = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"] == "unknown metric `lamp_checked`")
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(unknown["file"], metrics, "{doc}");
    assert!(
        unknown["hint"].as_str().unwrap().contains("lamps_checked"),
        "{doc}"
    );
}
