//! Writing the output folder under stress: big copied files streamed once,
//! files that turn into FIFOs, several builds at once, symlinks that
//! disguise the report's own folders, and files or dangling links given as
//! the output.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Site, run_with_deadline, snapshot_dir, stderr_of};
use nianbao::output::stage::{Contents, SiteFiles, write_files};

/// Names in `dir` that nianbao's hidden siblings would have.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("nianbao-"))
        .collect()
}

/// The largest resident set of any child this test process waited for, in bytes.
fn children_max_rss() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes into the struct it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    u64::try_from(usage.ru_maxrss).unwrap() * 1024
}

#[test]
fn a_big_chapter_file_is_streamed_and_written_once_for_both_languages() {
    const SIZE: usize = 96 * 1024 * 1024;
    let site = Site::fixture("bilingual");
    let source = site.root().join("content/01-relief/annual-data.bin");
    // In chunks: a child's peak memory counts what it shared with this
    // process before it started nianbao, so this process stays small.
    let mut file = std::fs::File::create(&source).unwrap();
    let chunk = vec![42u8; 1024 * 1024];
    for _ in 0..SIZE / chunk.len() {
        file.write_all(&chunk).unwrap();
    }
    drop(file);
    for round in 0..2 {
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        if round == 1 {
            let err = stderr_of(&out);
            assert!(err.contains("0 written"), "second build rewrote: {err}");
        }
    }
    let zh = site.output().join("relief/annual-data.bin");
    let en = site.output().join("en/relief/annual-data.bin");
    let (zh, en) = (
        std::fs::metadata(zh).unwrap(),
        std::fs::metadata(en).unwrap(),
    );
    assert_eq!(zh.len(), SIZE as u64);
    assert_eq!(
        (zh.dev(), zh.ino()),
        (en.dev(), en.ino()),
        "one copy, linked"
    );
    // Neither build (nor the comparison in the second) held the file in
    // memory: read whole, once per language, it would take 96 MB at least.
    let rss = children_max_rss();
    assert!(rss < SIZE as u64, "a build used {} MB", rss / 1_000_000);
}

#[test]
fn a_copied_file_that_became_a_fifo_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("photo.jpg");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = tmp.path().join("public");
    let (tx, rx) = std::sync::mpsc::channel();
    let (source, dir) = (fifo.clone(), out.clone());
    // Its own thread, so a blocking open fails the test instead of hanging it.
    std::thread::spawn(move || {
        let mut files = SiteFiles::new();
        files.insert(
            "index.html".into(),
            Contents::Bytes(b"hi".as_slice().into()),
        );
        files.insert("relief/photo.jpg".into(), Contents::Copy(&source));
        let _ = tx.send(write_files(&files, &dir).map_err(|e| e.to_string()));
    });
    let result = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("writing a FIFO as a copied file hung");
    let err = result.unwrap_err();
    assert!(err.contains("photo.jpg"), "{err}");
    assert!(err.contains("FIFO"), "{err}");
    assert!(!out.exists(), "no output on error");
    assert_eq!(
        leftovers(tmp.path()),
        Vec::<String>::new(),
        "no staging left"
    );
}

#[test]
fn a_fifo_in_the_content_folder_fails_the_build_promptly() {
    let site = Site::fixture("bilingual");
    let fifo = site.root().join("content/01-relief/data.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = run_with_deadline(site.root(), &["build"], Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("FIFO"), "{}", stderr_of(&out));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn builds_started_together_never_break_the_output() {
    let site = Site::fixture("bilingual");
    for round in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_nianbao"))
                    .arg("build")
                    .current_dir(site.root())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let err = stderr_of(&out);
            assert!(
                out.status.success() || err.contains("another nianbao is building into"),
                "round {round}: {:?}: {err}",
                out.status
            );
        }
        assert!(
            site.output().join(".nianbao-output").is_file(),
            "round {round}"
        );
        assert!(site.output().join("404.html").is_file(), "round {round}");
        assert!(
            site.output().join("en/index.html").is_file(),
            "round {round}"
        );
    }
    let later = site.run(&["build"]);
    assert_eq!(later.status.code(), Some(0), "{}", stderr_of(&later));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

/// The bilingual fixture with its content/ moved to real/ and content/ a
/// symlink to it.
fn symlinked_content() -> Site {
    let site = Site::fixture("bilingual");
    let root = site.root();
    std::fs::rename(root.join("content"), root.join("real")).unwrap();
    symlink("real", root.join("content")).unwrap();
    site
}

#[test]
fn a_symlinked_content_folder_is_never_the_output_even_with_force() {
    let site = symlinked_content();
    let root = site.root();
    let ok = site.run(&["build"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "builds through the link: {}",
        stderr_of(&ok)
    );
    let sources = snapshot_dir(&root.join("real"));
    symlink(root, root.join("to-root")).unwrap();
    symlink(root.join("content"), root.join("to-content")).unwrap();
    for output in [
        "real",
        "real/01-relief",
        "real/new",
        "to-root",
        "to-content",
        "to-content/x",
    ] {
        for force in [false, true] {
            let mut args = vec!["build", "--output", output];
            if force {
                args.push("--force");
            }
            let out = site.run(&args);
            let err = stderr_of(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains("refusing to write"), "{args:?}: {err}");
        }
    }
    assert_eq!(
        sources,
        snapshot_dir(&root.join("real")),
        "sources untouched"
    );
    assert!(root.join("to-root").is_symlink() && root.join("to-content").is_symlink());
    assert_eq!(leftovers(root), Vec::<String>::new());
    assert_eq!(leftovers(&root.join("real")), Vec::<String>::new());
}

#[test]
fn a_folder_a_content_link_points_into_is_never_the_output() {
    let site = Site::fixture("bilingual");
    let root = site.root();
    site.write("media/figures/chart.txt", "the author's own file");
    symlink(
        "../../media/figures",
        root.join("content/01-relief/figures"),
    )
    .unwrap();
    let ok = site.run(&["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr_of(&ok));
    for output in ["media", "media/figures"] {
        let out = site.run(&["build", "--output", output, "--force"]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{output}: {err}");
        assert!(
            err.contains("content/01-relief/figures links into it"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(root.join("media/figures/chart.txt")).unwrap(),
        "the author's own file"
    );
}

#[test]
fn a_symlinked_output_folder_is_followed_and_the_link_kept() {
    let site = Site::fixture("bilingual");
    let www = tempfile::tempdir().unwrap();
    let target = www.path().join("report");
    std::fs::create_dir(&target).unwrap();
    symlink(&target, site.root().join("output")).unwrap();
    for _ in 0..2 {
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    }
    assert!(site.root().join("output").is_symlink(), "the link stays");
    assert!(
        target.join("404.html").is_file(),
        "the site is where it points"
    );
    assert_eq!(leftovers(www.path()), Vec::<String>::new());
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn a_file_or_a_dangling_link_as_output_is_refused_and_leaves_nothing() {
    let site = Site::fixture("bilingual");
    let root = site.root();
    site.write("notes.txt", "keep me");
    for force in [false, true] {
        let mut args = vec!["build", "--output", "notes.txt"];
        if force {
            args.push("--force");
        }
        let out = site.run(&args);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("it is a file, not a folder"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(root.join("notes.txt")).unwrap(),
        "keep me"
    );

    symlink("nowhere/site", root.join("dangling")).unwrap();
    for args in [
        &["build", "--output", "dangling"][..],
        &["build", "--output", "dangling", "--force"],
        &["build", "--output", "dangling/deeper", "--force"],
        &["publish", "--to", "dangling", "--force"],
    ] {
        let out = site.run(args);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("is a symbolic link to nowhere/site, which does not exist"),
            "{err}"
        );
    }
    assert!(root.join("dangling").is_symlink());
    assert!(!root.join("nowhere").exists());
    assert_eq!(leftovers(root), Vec::<String>::new());
}

#[test]
fn the_output_folder_keeps_its_own_mode() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("bilingual");
    let out = site.output();
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
    let built = site.run(&["build"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o750);
}
