//! Nothing from outside the report folder is read, copied or published, and
//! special files never hang a command: symlinks (outside, inside, dangling,
//! loops), FIFOs and devices in every place content can be. Every command
//! runs with a deadline, so a regression fails instead of hanging.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::common::{Site, run_with_deadline, snapshot_dir};

fn run(root: &Path, args: &[&str]) -> Output {
    run_with_deadline(root, args, Duration::from_secs(30))
}

/// A secret outside the report folder, beside it in the temporary folder.
fn outside_secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-BYTES\n").unwrap();
    std::fs::create_dir_all(dir.path().join("etc")).unwrap();
    std::fs::write(dir.path().join("etc/shadow"), "TOP-SECRET-BYTES\n").unwrap();
    dir
}

/// Asserts a build and a check fail naming `file` and `words`, the previous
/// output stays byte-identical, and no secret bytes were written anywhere.
fn refused(site: &Site, file: &str, words: &str) {
    let before = snapshot_dir(&site.output());
    for args in [&["build"][..], &["check"][..]] {
        let out = run(site.root(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}:\n{stderr}");
        assert!(stderr.contains(file), "{args:?} names {file}:\n{stderr}");
        assert!(stderr.contains(words), "{args:?} says {words}:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert_eq!(snapshot_dir(&site.output()), before, "output untouched");
    let out = run(site.root(), &["publish", "--to", "published"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.root().join("published").exists());
    no_secret_below(site.root());
}

fn no_secret_below(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("TOP-SECRET"),
                "{} holds the secret",
                entry.path().display()
            );
        }
    }
}

fn built_site() -> Site {
    let site = Site::fixture("bilingual");
    let out = run(site.root(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site
}

#[test]
fn a_chapter_file_linked_outside_is_refused() {
    let secret = outside_secret();
    let site = built_site();
    let link = site.root().join("content/01-relief/map.png");
    symlink(secret.path().join("secret.txt"), &link).unwrap();
    refused(
        &site,
        "content/01-relief/map.png",
        "outside the report folder",
    );
}

#[test]
fn an_assets_folder_linked_outside_is_refused() {
    let secret = outside_secret();
    let site = built_site();
    let assets = site.root().join("content/assets");
    std::fs::remove_dir_all(&assets).unwrap();
    symlink(secret.path().join("etc"), &assets).unwrap();
    refused(&site, "content/assets", "outside the report folder");
}

#[test]
fn a_link_deep_in_assets_is_refused() {
    let secret = outside_secret();
    let site = built_site();
    std::fs::create_dir_all(site.root().join("content/assets/img")).unwrap();
    symlink(
        secret.path().join("etc"),
        site.root().join("content/assets/img/etc"),
    )
    .unwrap();
    refused(&site, "content/assets/img/etc", "outside the report folder");
}

#[test]
fn a_chapter_folder_or_subfolder_linked_outside_is_refused() {
    let secret = outside_secret();
    std::fs::write(
        secret.path().join("etc/01-a.zh.md"),
        "---\ntitle: TOP-SECRET\n---\n",
    )
    .unwrap();
    let site = built_site();
    symlink(
        secret.path().join("etc"),
        site.root().join("content/03-stolen"),
    )
    .unwrap();
    refused(&site, "content/03-stolen", "outside the report folder");

    let site = built_site();
    symlink(
        secret.path().join("etc"),
        site.root().join("content/01-relief/photos"),
    )
    .unwrap();
    refused(
        &site,
        "content/01-relief/photos",
        "outside the report folder",
    );
}

#[test]
fn a_section_linked_to_a_device_is_refused() {
    let site = built_site();
    let section = site.root().join("content/01-relief/01-floods.en.md");
    std::fs::remove_file(&section).unwrap();
    symlink("/dev/zero", &section).unwrap();
    refused(
        &site,
        "content/01-relief/01-floods.en.md",
        "outside the report folder",
    );
}

#[test]
fn report_yaml_and_themes_linked_outside_are_refused() {
    let secret = outside_secret();
    let site = built_site();
    let report = site.root().join("content/report.yaml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(secret.path().join("report.yaml"), text).unwrap();
    std::fs::remove_file(&report).unwrap();
    symlink(secret.path().join("report.yaml"), &report).unwrap();
    refused(&site, "content/report.yaml", "outside the report folder");

    let site = built_site();
    std::fs::create_dir_all(site.root().join("themes/default/static")).unwrap();
    symlink(
        secret.path().join("secret.txt"),
        site.root().join("themes/default/static/leak.css"),
    )
    .unwrap();
    refused(
        &site,
        "themes/default/static/leak.css",
        "outside the report folder",
    );
}

#[test]
fn links_inside_the_report_are_followed() {
    let site = built_site();
    let shared = site.root().join("content/assets/logo.txt");
    symlink(&shared, site.root().join("content/01-relief/logo.txt")).unwrap();
    // A relative link to a folder elsewhere in the report folder.
    std::fs::create_dir_all(site.root().join("pictures")).unwrap();
    std::fs::write(site.root().join("pictures/a.txt"), "picture").unwrap();
    symlink(
        "../../pictures",
        site.root().join("content/assets/pictures"),
    )
    .unwrap();
    let out = run(site.root(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let logo = std::fs::read(&shared).unwrap();
    assert_eq!(site.read("relief/logo.txt").as_bytes(), logo);
    assert_eq!(site.read("en/relief/logo.txt").as_bytes(), logo);
    assert_eq!(site.read("assets/pictures/a.txt"), "picture");
}

#[test]
fn dangling_links_and_loops_are_errors_naming_them() {
    let site = built_site();
    symlink(
        site.root().join("nowhere.png"),
        site.root().join("content/01-relief/gone.png"),
    )
    .unwrap();
    let out = run(site.root(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/01-relief/gone.png"), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");

    let site = built_site();
    let a = site.root().join("content/assets/a");
    let b = site.root().join("content/assets/b");
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    symlink(
        site.root().join("content/assets"),
        site.root().join("content/assets/again"),
    )
    .unwrap();
    let out = run(site.root(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/assets/a"), "{stderr}");
    assert!(stderr.contains("loop"), "{stderr}");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn fifos_never_hang_and_are_named() {
    for place in [
        "content/01-relief/03-pipe.zh.md",
        "content/01-relief/01-floods.en.md",
        "content/01-relief/metrics.yaml",
        "content/report.yaml",
        "content/01-relief/photo.png",
        "content/assets/pipe.css",
    ] {
        let site = built_site();
        let path = site.root().join(place);
        let _ = std::fs::remove_file(&path);
        mkfifo(&path);
        let before = snapshot_dir(&site.output());
        for args in [&["build"][..], &["check"][..]] {
            let out = run_with_deadline(site.root(), args, Duration::from_secs(20));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{place} {args:?}:\n{stderr}");
            assert!(stderr.contains(place), "{place}:\n{stderr}");
            assert!(stderr.contains("FIFO"), "{place}:\n{stderr}");
        }
        assert_eq!(snapshot_dir(&site.output()), before);
    }
}

#[test]
fn a_hidden_special_file_is_ignored_like_any_hidden_file() {
    let site = built_site();
    mkfifo(&site.root().join("content/01-relief/.editor-socket"));
    let out = run(site.root(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_script_link_in_a_summary_is_an_error_at_its_line() {
    let site = built_site();
    let index = "content/01-relief/_index.en.md";
    site.write(
        index,
        "---\ntitle: Relief\nsummary: \"Read [this](javascript:alert(3)) and [that](JAVA\\tSCRIPT:alert(4))\"\n---\n",
    );
    let out = run(site.root(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{index}:3:")),
        "names file and line:\n{stderr}"
    );
    assert!(stderr.contains("not allowed in a summary"), "{stderr}");
}

#[test]
fn a_script_link_in_a_body_is_a_warning_at_its_line() {
    let site = built_site();
    let section = "content/01-relief/02-training.en.md";
    let text = std::fs::read_to_string(site.root().join(section)).unwrap();
    site.write(
        section,
        &format!("{text}\nSee [the form](javascript:void(0)).\n\n<a href=\"vbscript:x\">old</a>\n"),
    );
    let lines = text.lines().count();
    let out = run(site.root(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "a warning, not an error:\n{stderr}");
    for (url, line) in [("javascript:void(0)", lines + 2), ("vbscript:x", lines + 4)] {
        assert!(stderr.contains(url), "{stderr}");
        assert!(
            stderr.contains(&format!("{section}:{line}:")),
            "{url} at line {line}:\n{stderr}"
        );
    }
    let out = run(site.root(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_chapter_named_like_a_language_or_a_site_folder_is_refused() {
    for (folder, words) in [
        ("02-en", "language `en`"),
        ("02-EN", "language `en`"),
        ("zh", "language `zh`"),
        ("03-print", "whole-report page"),
        ("03-assets", "content/assets/"),
        ("04-charts", "chart images"),
    ] {
        let site = built_site();
        let dir = site.root().join("content").join(folder);
        std::fs::rename(site.root().join("content/02-outreach"), &dir).unwrap();
        let before = snapshot_dir(&site.output());
        for args in [&["build"][..], &["check"][..]] {
            let out = run(site.root(), args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{folder} {args:?}:\n{stderr}");
            assert!(stderr.contains(&format!("content/{folder}")), "{stderr}");
            assert!(stderr.contains(words), "{folder}: {stderr}");
        }
        assert_eq!(snapshot_dir(&site.output()), before);
    }
}

#[test]
fn a_content_file_that_would_replace_a_generated_one_is_refused() {
    let site = built_site();
    site.write("content/01-relief/index.html", "<p>stray</p>");
    let before = snapshot_dir(&site.output());
    let out = run(site.root(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/01-relief/index.html"), "{stderr}");
    assert!(stderr.contains("`relief/index.html`"), "{stderr}");
    assert_eq!(
        stderr.matches("would replace").count(),
        1,
        "reported once, not per language:\n{stderr}"
    );
    assert_eq!(snapshot_dir(&site.output()), before);
}
