//! `nianbao publish`: to a folder under a sub-path with every link checked,
//! to a branch of a git repository pushed to a bare remote, and never over
//! something it did not create or after an error.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::common::{Site, git, nianbao, snapshot_dir, stderr_of};
use nianbao::error::Diagnostics;
use nianbao::links::{self, WrittenLinks};
use nianbao::model::nav::BaseUrl;

const BASE: &str = "https://example.org/report/2020/";

/// The published folder read back as a site, for the link check.
fn site_on_disk(dir: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot_dir(dir)
        .into_iter()
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes))
        .collect()
}

/// The link check of every build, on files read back from disk.
fn check_links(files: &[(String, Vec<u8>)], base: &BaseUrl) -> Diagnostics {
    let files = files.iter().map(|(p, b)| (p.as_str(), Some(b.as_slice())));
    links::check(files, &WrittenLinks::new(), base)
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn age(dir: &Path, by: Duration) -> SystemTime {
    let then = SystemTime::now() - by;
    for (path, _) in snapshot_dir(dir) {
        let file = std::fs::File::options()
            .write(true)
            .open(dir.join(path))
            .unwrap();
        file.set_modified(then).unwrap();
    }
    then
}

#[test]
fn publishes_to_a_folder_under_a_sub_path_and_every_link_resolves() {
    let site = Site::fixture("bilingual");
    let out = site.run(&["publish", "--to", "public", "--base-url", BASE]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("published 8 pages (28 files,"), "{err}");
    assert!(err.contains(&format!("for {BASE}")), "{err}");
    assert!(err.contains("first publish: all 28 files are new"), "{err}");
    let public = site.root().join("public");
    assert!(public.join(".nianbao-output").is_file());
    let not_found = std::fs::read_to_string(public.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/report/2020/en/\""),
        "{not_found}"
    );
    let chapter = std::fs::read_to_string(public.join("en/relief/index.html")).unwrap();
    assert!(chapter.contains("href=\"https://example.org/report/2020/en/relief/\""));

    // Every link of what landed on disk resolves under the sub-path...
    let on_disk = site_on_disk(&public);
    let base = BaseUrl::parse(BASE).unwrap();
    let broken = check_links(&on_disk, &base);
    assert!(broken.is_empty(), "{broken:#?}");
    // ...and the verifier does check the base path: served at the root,
    // the same files' absolute links would be broken.
    let at_root = check_links(&on_disk, &BaseUrl::default());
    assert!(at_root.has_errors());
}

#[test]
fn republishing_lists_changes_and_keeps_unchanged_files_as_they_were() {
    let site = Site::fixture("bilingual");
    assert_eq!(
        site.run(&["publish", "--to", "public"]).status.code(),
        Some(0)
    );
    let public = site.root().join("public");
    let then = age(&public, Duration::from_secs(3600));
    let again = site.run(&["publish", "--to", "public"]);
    assert!(
        stderr_of(&again).contains("0 added, 0 changed, 0 removed, 28 unchanged"),
        "{}",
        stderr_of(&again)
    );

    site.write(
        "content/01-relief/_index.en.md",
        "---\ntitle: Relief and assistance\nkicker: Chapter 1\nsummary: We helped {{ metric:households }} this year.\n---\nRelief is our core work, and more.\n",
    );
    std::fs::remove_file(site.root().join("content/assets/logo.txt")).unwrap();
    let out = site.run(&["publish", "--to", "public"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("0 added, 3 changed, 1 removed, 24 unchanged"),
        "{err}"
    );
    assert!(err.contains("~ en/relief/index.html"), "{err}");
    // The search index: the shard of the new words.
    assert!(err.contains("~ search/en/s0.json"), "{err}");
    assert!(err.contains("- assets/logo.txt"), "{err}");
    assert!(!public.join("assets/logo.txt").exists());
    assert_eq!(
        mtime(&public.join("en/index.html")),
        then,
        "unchanged: same time"
    );
    assert_eq!(mtime(&public.join("charts/fund_use.zh.svg")), then);
    assert_ne!(mtime(&public.join("en/relief/index.html")), then);
}

#[test]
fn broken_links_stop_the_publish_and_name_the_page_and_the_markdown() {
    let site = Site::fixture("bilingual");
    assert_eq!(
        site.run(&["publish", "--to", "public"]).status.code(),
        Some(0)
    );
    let before = snapshot_dir(&site.root().join("public"));
    site.write(
        "content/01-relief/_index.en.md",
        "---\ntitle: Relief\n---\nSee [last year](../../../2019/) and [spending](#nowhere).\n",
    );
    let out = site.run(&["publish", "--to", "public", "--base-url", BASE]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: broken link `../../../2019/`: it leads to /report/2019/, outside the base path /report/2020/"),
        "{err}"
    );
    assert!(
        err.contains("┌─ content/01-relief/_index.en.md:4:17"),
        "{err}"
    );
    assert!(
        err.contains("it is on the generated page en/relief/index.html"),
        "{err}"
    );
    assert!(err.contains("has no element with id=\"nowhere\""), "{err}");
    assert_eq!(before, snapshot_dir(&site.root().join("public")));
}

#[test]
fn content_errors_stop_the_publish_and_leave_the_folder_untouched() {
    let site = Site::fixture("bilingual");
    assert_eq!(
        site.run(&["publish", "--to", "public"]).status.code(),
        Some(0)
    );
    let before = snapshot_dir(&site.root().join("public"));
    site.write(
        "content/01-relief/01-floods.zh.md",
        "---\ntitle: 洪灾\n---\n募集{{ metric:fund_raised }}。\n",
    );
    let out = site.run(&["publish", "--to", "public"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown metric `fund_raised`"), "{err}");
    assert!(
        err.contains("┌─ content/01-relief/01-floods.zh.md:4:3"),
        "{err}"
    );
    assert_eq!(before, snapshot_dir(&site.root().join("public")));
    let fresh = site.run(&["publish", "--to", "fresh"]);
    assert_eq!(fresh.status.code(), Some(1));
    assert!(
        !site.root().join("fresh").exists(),
        "nothing is created on error"
    );
}

#[test]
fn only_replaces_an_empty_folder_or_its_own_unless_forced() {
    let site = Site::fixture("bilingual");
    site.write("www/notes.txt", "precious");
    let out = site.run(&["publish", "--to", "www"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("--force"), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(site.root().join("www/notes.txt")).unwrap(),
        "precious"
    );
    std::fs::create_dir(site.root().join("empty")).unwrap();
    assert_eq!(
        site.run(&["publish", "--to", "empty"]).status.code(),
        Some(0)
    );
    for dangerous in [".", "content", ".."] {
        let out = site.run(&["publish", "--to", dangerous, "--force"]);
        assert_eq!(out.status.code(), Some(1), "{dangerous}");
    }
    site.write("pages/.git", "gitdir: /somewhere/.git/worktrees/pages\n");
    let checkout = site.run(&["publish", "--to", "pages", "--force"]);
    assert_eq!(checkout.status.code(), Some(1));
    assert!(
        stderr_of(&checkout).contains("git repository"),
        "{}",
        stderr_of(&checkout)
    );
    let forced = site.run(&["publish", "--to", "www", "--force"]);
    let err = stderr_of(&forced);
    assert_eq!(forced.status.code(), Some(0), "{err}");
    assert!(
        err.contains("- notes.txt"),
        "the summary says what went: {err}"
    );
    assert!(site.root().join("www/index.html").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::fixture("bilingual");
    for args in [
        &["publish"][..],
        &["publish", "--to", "a", "--git-branch", "b"],
        &["publish", "--to", "a", "--remote", "origin"],
    ] {
        assert_eq!(site.run(args).status.code(), Some(2), "{args:?}");
    }
}

/// A site folder that is a git repository with its content committed on
/// `main`, and a bare repository as its `origin`.
struct Repo {
    site: Site,
    remote: tempfile::TempDir,
}

impl Repo {
    fn new() -> Self {
        let site = Site::fixture("bilingual");
        let report = site.root().join("content/report.yaml");
        let text = std::fs::read_to_string(&report).unwrap();
        std::fs::write(&report, format!("{text}domain: report.example.org\n")).unwrap();
        std::fs::write(site.root().join(".gitignore"), "/output/\n").unwrap();
        let root = site.root();
        git(root, &["init", "--quiet", "--initial-branch=main"]);
        git(root, &["add", "."]);
        git(root, &["commit", "--quiet", "-m", "report"]);
        let remote = tempfile::tempdir().unwrap();
        git(remote.path(), &["init", "--quiet", "--bare"]);
        git(
            root,
            &["remote", "add", "origin", remote.path().to_str().unwrap()],
        );
        Self { site, remote }
    }

    fn root(&self) -> &Path {
        self.site.root()
    }

    fn publish(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["publish", "--git-branch", "gh-pages"];
        args.extend_from_slice(extra);
        nianbao(self.root(), &args)
    }

    /// What the user sees of their own repository: HEAD, status, index.
    fn state(&self) -> (String, String, Vec<u8>) {
        (
            git(self.root(), &["rev-parse", "HEAD"]),
            git(self.root(), &["status", "--porcelain", "--ignored"]),
            std::fs::read(self.root().join(".git/index")).unwrap(),
        )
    }
}

#[test]
fn publishes_to_a_branch_and_pushes_it_without_touching_the_work_tree() {
    let repo = Repo::new();
    let before = repo.state();
    let out = repo.publish(&["--remote", "origin", "--base-url", BASE]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("to branch gh-pages"), "{err}");
    assert!(err.contains("new branch, first commit"), "{err}");
    assert!(err.contains("pushed gh-pages to origin"), "{err}");
    assert_eq!(
        before,
        repo.state(),
        "HEAD, index and working tree untouched"
    );

    let remote = repo.remote.path();
    let files = git(remote, &["ls-tree", "-r", "--name-only", "gh-pages"]);
    for expected in [
        ".nojekyll",
        "CNAME",
        "index.html",
        "en/relief/index.html",
        "404.html",
    ] {
        assert!(
            files.lines().any(|f| f == expected),
            "{expected} in {files}"
        );
    }
    assert_eq!(
        git(remote, &["show", "gh-pages:CNAME"]),
        "report.example.org"
    );
    assert_eq!(
        git(remote, &["rev-list", "--count", "gh-pages"]),
        "1",
        "orphan"
    );
    assert_eq!(
        git(remote, &["rev-list", "--count", "--all"]),
        "1",
        "the branch shares no history with main"
    );
    let not_found = git(remote, &["show", "gh-pages:404.html"]);
    assert!(not_found.contains("href=\"/report/2020/en/\""));

    let again = repo.publish(&["--remote", "origin", "--base-url", BASE]);
    assert!(
        stderr_of(&again).contains("nothing changed: the branch stays at"),
        "{}",
        stderr_of(&again)
    );
    assert_eq!(git(remote, &["rev-list", "--count", "gh-pages"]), "1");

    repo.site.write(
        "content/_index.en.md",
        "---\ntitle: Oasis\n---\nA new foreword.\n",
    );
    let first = git(repo.root(), &["rev-parse", "gh-pages"]);
    let changed = repo.publish(&[
        "--remote",
        "origin",
        "--base-url",
        BASE,
        "--message",
        "Fix foreword",
    ]);
    let err = stderr_of(&changed);
    assert_eq!(changed.status.code(), Some(0), "{err}");
    assert!(err.contains("new commit"), "{err}");
    assert!(err.contains("~ en/index.html"), "{err}");
    assert_eq!(
        git(remote, &["log", "-1", "--format=%s %P", "gh-pages"]),
        format!("Fix foreword {first}")
    );
}

#[test]
fn a_fresh_clone_continues_the_published_history() {
    let repo = Repo::new();
    assert_eq!(repo.publish(&["--remote", "origin"]).status.code(), Some(0));
    let first = git(repo.remote.path(), &["rev-parse", "gh-pages"]);
    git(repo.root(), &["push", "--quiet", "origin", "main"]);

    let clone = tempfile::tempdir().unwrap();
    let clone_root = clone.path().join("ci");
    git(
        clone.path(),
        &[
            "clone",
            "--quiet",
            "--branch",
            "main",
            repo.remote.path().to_str().unwrap(),
            "ci",
        ],
    );
    std::fs::write(
        clone_root.join("content/_index.en.md"),
        "---\ntitle: Oasis\n---\nFrom CI.\n",
    )
    .unwrap();
    let out = nianbao(
        &clone_root,
        &["publish", "--git-branch", "gh-pages", "--remote", "origin"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let parent = git(
        repo.remote.path(),
        &["log", "-1", "--format=%P", "gh-pages"],
    );
    assert_eq!(parent, first, "the new commit follows the remote branch");
}

#[test]
fn refuses_branches_it_must_not_replace() {
    let repo = Repo::new();
    let out = repo.publish(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));

    let main = nianbao(repo.root(), &["publish", "--git-branch", "main", "--force"]);
    assert_eq!(main.status.code(), Some(1));
    assert!(
        stderr_of(&main).contains("it is checked out in"),
        "{}",
        stderr_of(&main)
    );

    git(repo.root(), &["branch", "docs"]);
    let docs_tip = git(repo.root(), &["rev-parse", "docs"]);
    let foreign = nianbao(repo.root(), &["publish", "--git-branch", "docs"]);
    assert_eq!(foreign.status.code(), Some(1));
    assert!(
        stderr_of(&foreign).contains("was not published by nianbao"),
        "{}",
        stderr_of(&foreign)
    );
    assert_eq!(git(repo.root(), &["rev-parse", "docs"]), docs_tip);
    let forced = nianbao(repo.root(), &["publish", "--git-branch", "docs", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr_of(&forced));

    let bad = nianbao(repo.root(), &["publish", "--git-branch", "a..b"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr_of(&bad).contains("not a valid branch name"));
}

#[test]
fn content_errors_leave_the_branch_untouched() {
    let repo = Repo::new();
    assert_eq!(repo.publish(&["--remote", "origin"]).status.code(), Some(0));
    let tip = git(repo.remote.path(), &["rev-parse", "gh-pages"]);
    repo.site.write(
        "content/02-outreach/metrics.yaml",
        "metrics:\n  - id: x\n    value: many\n",
    );
    let out = repo.publish(&["--remote", "origin"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("content/02-outreach/metrics.yaml:"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(git(repo.root(), &["rev-parse", "gh-pages"]), tip);
    assert_eq!(git(repo.remote.path(), &["rev-parse", "gh-pages"]), tip);
}

#[test]
fn branch_mode_needs_a_git_repository() {
    let site = Site::fixture("bilingual");
    let out = nianbao(site.root(), &["publish", "--git-branch", "gh-pages"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("is not in a git repository"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn domain_must_be_a_bare_host_name() {
    let site = Site::fixture("bilingual");
    let report = site.root().join("content/report.yaml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        format!("{text}domain: https://report.example.org/\n"),
    )
    .unwrap();
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`domain: https://report.example.org/` is not a host name"),
        "{err}"
    );
    assert!(err.contains("┌─ content/report.yaml:8:1"), "{err}");
    std::fs::write(&report, format!("{text}domain: report.example.org\n")).unwrap();
    let other_host = site.run(&["check", "--base-url", "https://example.org/report/"]);
    let err = stderr_of(&other_host);
    assert_eq!(other_host.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "warning: `domain: report.example.org` differs from the host of base_url (example.org)"
        ),
        "{err}"
    );
}
