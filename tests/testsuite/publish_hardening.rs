//! `publish --git-branch` against names and refs that would reach the
//! author's own branch or make refs git refuses: symbolic refs to the
//! checked-out branch (here or in another worktree), `HEAD`, `refs/…`.

use std::path::Path;

use crate::common::{Site, git, nianbao, stderr_of};

/// The bilingual fixture as a git repository, its content committed on `main`.
fn repo() -> Site {
    let site = Site::fixture("bilingual");
    std::fs::write(site.root().join(".gitignore"), "/output/\n").unwrap();
    git(site.root(), &["init", "--quiet", "--initial-branch=main"]);
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "-m", "report"]);
    site
}

/// Everything the author could lose: every ref with its target, HEAD,
/// the working tree's status and the index.
fn state(root: &Path) -> (String, String, String, Vec<u8>) {
    (
        git(
            root,
            &[
                "for-each-ref",
                "--format=%(refname) %(objectname) %(symref)",
            ],
        ),
        git(root, &["symbolic-ref", "HEAD"]),
        git(root, &["status", "--porcelain", "--ignored"]),
        std::fs::read(root.join(".git/index")).unwrap(),
    )
}

fn publish(root: &Path, branch: &str) -> std::process::Output {
    let arg = format!("--git-branch={branch}");
    nianbao(root, &["publish", &arg, "--force"])
}

#[test]
fn a_symbolic_ref_to_the_checked_out_branch_is_refused() {
    let site = repo();
    let root = site.root();
    git(
        root,
        &["symbolic-ref", "refs/heads/alias", "refs/heads/main"],
    );
    git(
        root,
        &["symbolic-ref", "refs/heads/alias2", "refs/heads/alias"],
    );
    let before = state(root);
    for branch in ["alias", "alias2", "main"] {
        let out = publish(root, branch);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{branch}: {err}");
        assert!(err.contains("it is checked out in"), "{branch}: {err}");
    }
    assert!(stderr_of(&publish(root, "alias")).contains("as refs/heads/main"));
    assert_eq!(before, state(root), "no ref, file or index entry changed");
}

#[test]
fn a_branch_checked_out_in_another_worktree_is_refused_also_through_a_link() {
    let site = repo();
    let root = site.root();
    let elsewhere = tempfile::tempdir().unwrap();
    let worktree = elsewhere.path().join("pages");
    git(
        root,
        &[
            "worktree",
            "add",
            "--quiet",
            "-b",
            "pages",
            worktree.to_str().unwrap(),
        ],
    );
    git(
        root,
        &["symbolic-ref", "refs/heads/web", "refs/heads/pages"],
    );
    let before = state(root);
    let worktree_status = git(&worktree, &["status", "--porcelain"]);
    for branch in ["pages", "web"] {
        let out = publish(root, branch);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{branch}: {err}");
        assert!(err.contains("it is checked out in"), "{branch}: {err}");
        assert!(err.contains("pages"), "{err}");
    }
    assert_eq!(before, state(root));
    assert_eq!(worktree_status, git(&worktree, &["status", "--porcelain"]));
}

#[test]
fn a_symbolic_ref_to_another_branch_publishes_to_that_branch() {
    let site = repo();
    let root = site.root();
    let first = publish(root, "gh-pages");
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    let tip = git(root, &["rev-parse", "gh-pages"]);
    git(
        root,
        &["symbolic-ref", "refs/heads/site", "refs/heads/gh-pages"],
    );
    site.write(
        "content/_index.en.md",
        "---\ntitle: Oasis\n---\nA new foreword.\n",
    );
    let out = publish(root, "site");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        git(root, &["rev-parse", "gh-pages^"]),
        tip,
        "one new commit"
    );
    assert_eq!(
        git(root, &["symbolic-ref", "refs/heads/site"]),
        "refs/heads/gh-pages",
        "the link is still a link"
    );
    assert_eq!(
        git(root, &["rev-parse", "HEAD"]),
        git(root, &["rev-parse", "main"])
    );
}

#[test]
fn a_symbolic_ref_to_something_other_than_a_branch_is_refused() {
    let site = repo();
    let root = site.root();
    git(root, &["tag", "v1"]);
    git(
        root,
        &["symbolic-ref", "refs/heads/release", "refs/tags/v1"],
    );
    let before = state(root);
    let out = publish(root, "release");
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("which is not a branch"), "{err}");
    assert_eq!(before, state(root));
}

#[test]
fn names_git_would_not_take_as_a_branch_are_refused() {
    let site = repo();
    let root = site.root();
    git(root, &["checkout", "--quiet", "-b", "draft"]);
    git(root, &["checkout", "--quiet", "main"]);
    let before = state(root);
    for branch in [
        "HEAD",
        "@",
        "refs/heads/main",
        "refs/heads/gh-pages",
        "-x",
        "a..b",
        "x.lock",
        "@{-1}",
        "a b",
        "gh-pages/",
    ] {
        let out = publish(root, branch);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{branch}: {err}");
        assert!(
            err.contains(&format!("refusing to publish to branch `{branch}`")),
            "{branch}: {err}"
        );
    }
    assert_eq!(before, state(root), "no ref made");
    let ok = publish(root, "gh-pages");
    assert_eq!(ok.status.code(), Some(0), "{}", stderr_of(&ok));
}

#[test]
fn a_copied_file_is_published_byte_for_byte_once() {
    let site = repo();
    let root = site.root();
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(root.join("content/01-relief/data.bin"), &bytes).unwrap();
    let out = publish(root, "gh-pages");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let zh = git(root, &["rev-parse", "gh-pages:relief/data.bin"]);
    let en = git(root, &["rev-parse", "gh-pages:en/relief/data.bin"]);
    assert_eq!(zh, en);
    let blob = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "blob", &zh])
        .output()
        .unwrap();
    assert_eq!(blob.stdout, bytes);
}
