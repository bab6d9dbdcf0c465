//! Nothing an author writes reaches the page as markup outside Markdown
//! bodies, and no run of nianbao destroys a file it did not create.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Site, snapshot_dir, stderr_of};

/// Every file of a folder, as (path, text) for the text files.
fn texts(dir: &Path) -> Vec<(String, String)> {
    snapshot_dir(dir)
        .into_iter()
        .filter_map(|(path, bytes)| {
            let text = String::from_utf8(bytes).ok()?;
            Some((path.to_string_lossy().into_owned(), text))
        })
        .collect()
}

#[test]
fn strings_from_yaml_and_front_matter_are_escaped_everywhere() {
    // tests/fixtures/escaping puts `<script>`, `<b>` and attribute-breaking
    // quotes into every string field: titles, labels, units, notes, chart
    // titles, keys, groups, point labels, summaries, kickers, the year.
    let site = Site::fixture("escaping");
    site.build();
    let files = texts(&site.output());
    let kinds = |ext: &str| files.iter().filter(|(p, _)| p.ends_with(ext)).count();
    assert!(kinds(".html") >= 4 && kinds(".svg") >= 8 && kinds(".xml") >= 1);
    for (path, text) in &files {
        for raw in [
            "<script>alert",
            "<b>bold",
            "data-pwned=\"1\"",
            "data-pwned='1'",
        ] {
            assert!(!text.contains(raw), "{path} contains raw `{raw}`");
        }
    }
    for (path, text) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".svg"))
    {
        if path.ends_with("404.html") {
            continue;
        }
        assert!(
            text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path} should show the markup as text"
        );
    }
}

#[test]
fn dangerous_output_folders_are_refused_even_with_force() {
    let site = Site::fixture("bilingual");
    let outside = tempfile::tempdir().unwrap();
    let parent = site.root().parent().unwrap().to_string_lossy().into_owned();
    let before = snapshot_dir(site.root());
    for dangerous in [".", "content", "content/01-relief", "..", &parent] {
        for force in [false, true] {
            let mut args = vec!["build", "--output", dangerous];
            if force {
                args.push("--force");
            }
            let out = site.run(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr_of(&out));
            assert!(
                stderr_of(&out).contains("refusing to write"),
                "{}",
                stderr_of(&out)
            );
        }
    }
    // A folder holding another report's content/ is refused too.
    crate::common::copy_dir(
        &site.root().join("content"),
        &outside.path().join("content"),
    );
    let other = outside.path().to_string_lossy().into_owned();
    let out = site.run(&["build", "--output", &other, "--force"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(before, snapshot_dir(site.root()), "nothing was touched");
}

#[test]
fn a_foreign_folder_is_replaced_only_with_force() {
    let site = Site::fixture("bilingual");
    site.write("public/notes.txt", "precious");
    let out = site.run(&["build", "--output", "public"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("--force"), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(site.root().join("public/notes.txt")).unwrap(),
        "precious"
    );
    let forced = site.run(&["build", "--output", "public", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr_of(&forced));
    assert!(site.root().join("public/.nianbao-output").is_file());
    // From now on the folder is nianbao's: no --force needed.
    assert_eq!(
        site.run(&["build", "--output", "public"]).status.code(),
        Some(0)
    );
}

/// A report big enough that a build takes a while, so it can be killed
/// in the middle.
fn big_site(sections: usize) -> Site {
    let site = Site::fixture("english-only");
    for chapter in 2..=20 {
        let dir = format!("content/{chapter:02}-part-{chapter}");
        site.write(
            &format!("{dir}/_index.en.md"),
            &format!("---\ntitle: Part {chapter}\n---\nLead.\n"),
        );
        for s in 1..=sections / 19 {
            let body = "A paragraph with *emphasis* and `code`.\n\n".repeat(40);
            site.write(
                &format!("{dir}/{s:03}-s{s}.en.md"),
                &format!("---\ntitle: Section {s}\n---\n{body}"),
            );
        }
    }
    site
}

#[test]
fn a_killed_build_leaves_the_old_output_and_the_next_build_cleans_up() {
    let site = big_site(1500);
    let first = site.run(&["build"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    let old = snapshot_dir(&site.output());
    site.write(
        "content/_index.en.md",
        "---\ntitle: Changed\n---\nNew foreword.\n",
    );
    for delay_ms in [5, 20, 60, 150, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("build")
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = if site.output().exists() {
            snapshot_dir(&site.output())
        } else {
            Vec::new()
        };
        if status.success() {
            // It finished before the kill: the new output, whole.
            assert!(site.read("index.html").contains("New foreword."));
            break;
        }
        // Killed: the old output, byte for byte; or, if killed between the
        // two renames of the swap, no output until the next run puts it back.
        assert!(
            now == old || now.is_empty(),
            "after a kill at {delay_ms} ms the output is neither old nor absent"
        );
    }
    let next = site.run(&["build"]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr_of(&next));
    assert!(site.read("index.html").contains("New foreword."));
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("nianbao-"))
        .collect();
    assert!(leftovers.is_empty(), "leftovers: {leftovers:?}");
}
