//! Publishing to a git branch with the git CLI, never touching the current
//! branch, the index or the working tree: one `git fast-import` writes the
//! blobs, the tree and the commit (bytes exactly as built, no filters or
//! ignore rules) under a temporary ref; `git update-ref` then moves the
//! branch with a compare-and-swap, and `git push` sends it on. The branch's
//! previous tip (on the remote when one is given, so a fresh clone in CI
//! continues the history) is the parent; the first publish is an orphan.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::{BranchOutcome, BranchTarget, Changes, SiteFiles};
use crate::error::Error;
use crate::output::MARKER;
use crate::output::stage::{Contents, open_source};

/// Commits `files` as the whole content of the target branch and pushes it.
pub(super) fn publish(
    root: &Path,
    files: &SiteFiles<'_>,
    target: &BranchTarget,
    message: &str,
    force: bool,
) -> Result<(BranchOutcome, Changes), Error> {
    let git = Git::open(root)?;
    let branch = &target.branch;
    let refname = git.branch_ref(branch)?;
    // The ref that actually moves: a symbolic branch moves its target.
    let local_ref = git.follow(branch, &refname)?;
    git.refuse_checked_out(branch, &local_ref)?;
    let local = git.resolve(&local_ref)?;
    let remote_tip = match &target.remote {
        Some(remote) => git.remote_tip(remote, &refname)?,
        None => None,
    };
    if !force {
        for tip in local.iter().chain(remote_tip.iter()) {
            git.require_marker(branch, tip)?;
        }
    }
    let parent = remote_tip.or_else(|| local.clone());
    let commit = git.import(files, parent.as_deref(), message)?;
    let changes = match &parent {
        Some(parent) => git.changes(parent, &commit, files)?,
        None => all_added(files),
    };
    let tip = match parent {
        Some(parent) if changes.is_empty() => parent,
        _ => commit.clone(),
    };
    if local.as_deref() != Some(tip.as_str()) {
        git.update_ref(&local_ref, &tip, local.as_deref())?;
    }
    if let Some(remote) = &target.remote {
        git.push(remote, branch, (&local_ref, &refname), &tip)?;
    }
    let outcome = BranchOutcome {
        branch: branch.clone(),
        committed: tip == commit,
        commit: tip,
        created: local.is_none(),
        pushed_to: target.remote.clone(),
    };
    Ok((outcome, changes))
}

fn all_added(files: &SiteFiles<'_>) -> Changes {
    Changes {
        added: files.keys().filter(|p| *p != MARKER).cloned().collect(),
        ..Changes::default()
    }
}

/// The repository holding the site folder.
struct Git {
    dir: PathBuf,
}

impl Git {
    fn open(root: &Path) -> Result<Self, Error> {
        let git = Git {
            dir: root.to_path_buf(),
        };
        let out = git.output(&["rev-parse", "--git-dir"])?;
        if !out.status.success() {
            return Err(Error::Git(format!(
                "{} is not in a git repository; run `git init` there first, or publish to a folder with --to",
                root.display()
            )));
        }
        Ok(git)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.dir).args(args);
        cmd
    }

    fn output(&self, args: &[&str]) -> Result<Output, Error> {
        self.command(args).output().map_err(spawn_error)
    }

    /// Runs git and returns its standard output, trimmed.
    fn run(&self, args: &[&str]) -> Result<String, Error> {
        let out = self.output(args)?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        Err(failed(args, &out))
    }

    /// `refs/heads/BRANCH` for a name git itself accepts as a new branch
    /// (`git check-ref-format --branch`, with no `@{-1}`-style expansion),
    /// refusing names that would make refs git refuses to work with.
    fn branch_ref(&self, branch: &str) -> Result<String, Error> {
        let refuse = |reason: &str| Error::UnsafeBranch {
            branch: branch.to_string(),
            reason: reason.to_string(),
        };
        if branch == "HEAD" || branch == "@" {
            return Err(refuse(
                "it names the current commit, not a branch; give a branch of its own, such as gh-pages",
            ));
        }
        if branch.starts_with("refs/") {
            return Err(refuse(
                "give the branch's short name, without refs/heads/ (e.g. gh-pages)",
            ));
        }
        let refname = format!("refs/heads/{branch}");
        let valid = !branch.starts_with('-') && {
            let out = self.output(&["check-ref-format", "--branch", branch])?;
            out.status.success()
                && String::from_utf8_lossy(&out.stdout).trim() == branch
                && self
                    .output(&["check-ref-format", &refname])?
                    .status
                    .success()
        };
        if valid {
            return Ok(refname);
        }
        Err(refuse(
            "it is not a valid branch name (see `git check-ref-format --branch`)",
        ))
    }

    /// The branch `refname` ends at once symbolic refs are followed (itself
    /// when it is not symbolic); a symbolic ref to anything but a branch
    /// is refused.
    fn follow(&self, branch: &str, refname: &str) -> Result<String, Error> {
        let target = self.symbolic_target(refname)?;
        if target.starts_with("refs/heads/") {
            return Ok(target);
        }
        Err(Error::UnsafeBranch {
            branch: branch.to_string(),
            reason: format!(
                "{refname} is a symbolic ref to {target}, which is not a branch; give a branch of its own, such as gh-pages"
            ),
        })
    }

    /// Where a symbolic ref leads (followed to the end), or `refname`.
    fn symbolic_target(&self, refname: &str) -> Result<String, Error> {
        let out = self.output(&["symbolic-ref", "--quiet", refname])?;
        match out.status.code() {
            Some(0) => Ok(String::from_utf8_lossy(&out.stdout).trim().to_string()),
            // 1: not a symbolic ref (or no ref at all).
            Some(1) => Ok(refname.to_string()),
            _ => Err(failed(&["symbolic-ref", "--quiet", refname], &out)),
        }
    }

    /// Publishing to a checked-out branch would change the files under the
    /// author's feet, so it is refused for every worktree, also when a
    /// symbolic ref leads there (`refname` is already followed; so is each
    /// worktree's branch).
    fn refuse_checked_out(&self, branch: &str, refname: &str) -> Result<(), Error> {
        let list = self.run(&["worktree", "list", "--porcelain"])?;
        let mut worktree = "";
        for line in list.lines() {
            if let Some(path) = line.strip_prefix("worktree ") {
                worktree = path;
                continue;
            }
            let Some(checked_out) = line.strip_prefix("branch ") else {
                continue;
            };
            if checked_out != refname && self.symbolic_target(checked_out)? != refname {
                continue;
            }
            let via = if refname.strip_prefix("refs/heads/") == Some(branch) {
                String::new()
            } else {
                format!(" (as {refname}, where refs/heads/{branch} leads)")
            };
            return Err(Error::UnsafeBranch {
                branch: branch.to_string(),
                reason: format!(
                    "it is checked out in {worktree}{via}; publish to a branch of its own, such as gh-pages"
                ),
            });
        }
        Ok(())
    }

    /// The commit a ref points at, if it exists.
    fn resolve(&self, refname: &str) -> Result<Option<String>, Error> {
        let spec = format!("{refname}^{{commit}}");
        let out = self.output(&["rev-parse", "--quiet", "--verify", &spec])?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()))
    }

    /// The branch's tip on the remote, fetched when it is not here yet.
    fn remote_tip(&self, remote: &str, refname: &str) -> Result<Option<String>, Error> {
        if remote.starts_with('-') {
            return Err(Error::Git(format!("`{remote}` is not a remote name")));
        }
        let list = self.run(&["ls-remote", "--heads", remote, refname])?;
        let Some(tip) = list.lines().find_map(|line| {
            let (sha, name) = line.split_once('\t')?;
            (name == refname).then(|| sha.to_string())
        }) else {
            return Ok(None);
        };
        if self.resolve(&tip)?.is_none() {
            self.run(&["fetch", "--quiet", "--no-tags", remote, refname])?;
        }
        Ok(Some(tip))
    }

    /// A branch nianbao did not make holds no marker file: refuse it.
    fn require_marker(&self, branch: &str, commit: &str) -> Result<(), Error> {
        let spec = format!("{commit}:{MARKER}");
        if self.output(&["cat-file", "-e", &spec])?.status.success() {
            return Ok(());
        }
        Err(Error::UnsafeBranch {
            branch: branch.to_string(),
            reason: format!(
                "it exists and was not published by nianbao (no {MARKER} in {}); pass --force to replace its content",
                short(commit)
            ),
        })
    }

    /// Writes the commit under a temporary ref and returns its id.
    fn import(
        &self,
        files: &SiteFiles<'_>,
        parent: Option<&str>,
        message: &str,
    ) -> Result<String, Error> {
        let author = self.ident("GIT_AUTHOR_IDENT")?;
        let committer = self.ident("GIT_COMMITTER_IDENT")?;
        let temp_ref = format!("refs/nianbao/publish-{}", std::process::id());
        let commit = Commit {
            refname: &temp_ref,
            author: &author,
            committer: &committer,
            message,
            parent,
        };
        let mut child = self
            .command(&["fast-import", "--quiet", "--force", "--done"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        let stdin = child.stdin.take();
        let written = std::thread::scope(|s| {
            let writer = s.spawn(|| match stdin {
                Some(stdin) => write_stream(std::io::BufWriter::new(stdin), &commit, files),
                None => Ok(()),
            });
            let out = child.wait_with_output().map_err(spawn_error);
            (writer.join(), out)
        });
        let id = match written {
            // A content file could not be read: the stream stopped before
            // `done`, so fast-import wrote no ref.
            (Ok(Err(err @ Error::Io { .. })), _) => Err(err),
            (_, Err(err)) => Err(err),
            (_, Ok(out)) if !out.status.success() => Err(failed(&["fast-import"], &out)),
            (Ok(Err(err)), _) => Err(err),
            (Err(_), _) => Err(Error::Git("writing to git fast-import failed".into())),
            (Ok(Ok(())), _) => {
                self.run(&["rev-parse", "--verify", &format!("{temp_ref}^{{commit}}")])
            }
        };
        let _ = self.run(&["update-ref", "-d", &temp_ref]);
        id
    }

    fn ident(&self, which: &str) -> Result<String, Error> {
        let out = self.output(&["var", which])?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        Err(Error::Git(format!(
            "cannot tell who is publishing: {}\nset it with `git config user.name \"Your Name\"` and `git config user.email you@example.org`",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }

    /// Added, changed and removed files between two commits.
    fn changes(&self, from: &str, to: &str, files: &SiteFiles<'_>) -> Result<Changes, Error> {
        let args = [
            "diff-tree",
            "-r",
            "-z",
            "--no-renames",
            "--name-status",
            from,
            to,
        ];
        let out = self.output(&args)?;
        if !out.status.success() {
            return Err(failed(&args, &out));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<&str> = text.split('\0').filter(|f| !f.is_empty()).collect();
        let mut changes = Changes::default();
        for pair in fields.chunks(2) {
            let [status, path] = pair else { continue };
            if *path == MARKER {
                continue;
            }
            let list = match *status {
                "A" => &mut changes.added,
                "D" => &mut changes.removed,
                _ => &mut changes.changed,
            };
            list.push(path.to_string());
        }
        let total = files.keys().filter(|p| *p != MARKER).count();
        changes.unchanged = total.saturating_sub(changes.added.len() + changes.changed.len());
        Ok(changes)
    }

    /// Moves the branch from `old` (or from nothing) to `new`, atomically.
    fn update_ref(&self, refname: &str, new: &str, old: Option<&str>) -> Result<(), Error> {
        self.run(&[
            "update-ref",
            "-m",
            "nianbao publish",
            refname,
            new,
            old.unwrap_or(""),
        ])
        .map(drop)
    }

    /// Pushes the local ref (symbolic refs followed) to the branch of the
    /// given name on `remote`.
    fn push(
        &self,
        remote: &str,
        branch: &str,
        (local, refname): (&str, &str),
        tip: &str,
    ) -> Result<(), Error> {
        let spec = format!("{local}:{refname}");
        let out = self.output(&["push", "--quiet", remote, &spec])?;
        if out.status.success() {
            return Ok(());
        }
        Err(Error::Git(format!(
            "pushing {branch} to {remote} failed: {}\nthe site is committed locally on {branch} ({}); run `git push {remote} {branch}` once the problem is fixed",
            String::from_utf8_lossy(&out.stderr).trim(),
            short(tip)
        )))
    }
}

/// The commit fast-import is asked to write.
struct Commit<'a> {
    refname: &'a str,
    author: &'a str,
    committer: &'a str,
    message: &'a str,
    parent: Option<&'a str>,
}

/// The fast-import stream: one blob per file copied from content/ (read
/// once, however many paths publish it), then one commit whose tree is
/// exactly `files`.
fn write_stream(
    mut w: impl Write,
    commit: &Commit<'_>,
    files: &SiteFiles<'_>,
) -> Result<(), Error> {
    let marks = write_blobs(&mut w, files)?;
    writeln!(w, "commit {}", commit.refname).map_err(to_git)?;
    writeln!(w, "author {}", commit.author).map_err(to_git)?;
    writeln!(w, "committer {}", commit.committer).map_err(to_git)?;
    data(&mut w, commit.message.as_bytes()).map_err(to_git)?;
    if let Some(parent) = commit.parent {
        writeln!(w, "from {parent}").map_err(to_git)?;
    }
    writeln!(w, "deleteall").map_err(to_git)?;
    for (path, contents) in files {
        let path = quote_path(path);
        match contents {
            Contents::Bytes(bytes) => {
                writeln!(w, "M 100644 inline {path}").map_err(to_git)?;
                data(&mut w, bytes).map_err(to_git)?;
            }
            Contents::Copy(source) => {
                let mark = marks.get(source).copied().unwrap_or_default();
                writeln!(w, "M 100644 :{mark} {path}").map_err(to_git)?;
            }
        }
    }
    writeln!(w, "done").map_err(to_git)?;
    w.flush().map_err(to_git)
}

fn to_git(e: std::io::Error) -> Error {
    Error::Git(format!("writing to git fast-import failed: {e}"))
}

/// Writes each copied source once as a marked blob, streamed from disk
/// with the length its metadata gives; returns the mark of each source.
fn write_blobs<'a>(
    w: &mut impl Write,
    files: &SiteFiles<'a>,
) -> Result<HashMap<&'a Path, usize>, Error> {
    let mut marks = HashMap::new();
    for contents in files.values() {
        let Contents::Copy(source) = contents else {
            continue;
        };
        if marks.contains_key(source) {
            continue;
        }
        let mark = marks.len() + 1;
        let (file, meta) = open_source(source)?;
        writeln!(w, "blob\nmark :{mark}\ndata {}", meta.len()).map_err(to_git)?;
        stream_exact(file, meta.len(), source, w)?;
        writeln!(w).map_err(to_git)?;
        marks.insert(*source, mark);
    }
    Ok(marks)
}

/// Copies exactly `len` bytes of `file` to `w`: fast-import was promised
/// that many. A file that shrank meanwhile is an error naming it.
fn stream_exact(mut file: File, len: u64, source: &Path, w: &mut impl Write) -> Result<(), Error> {
    let mut left = len;
    let mut buf = vec![0; 64 * 1024];
    while left > 0 {
        let want = usize::try_from(left).map_or(buf.len(), |l| l.min(buf.len()));
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => {
                let message = "it became shorter while being published; publish again";
                return Err(Error::io(source, std::io::Error::other(message)));
            }
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(source, e)),
        };
        w.write_all(&buf[..n]).map_err(to_git)?;
        left -= n as u64;
    }
    Ok(())
}

fn data(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    writeln!(w, "data {}", bytes.len())?;
    w.write_all(bytes)?;
    writeln!(w)
}

/// A path in git's C-style quoting, which fast-import always accepts.
fn quote_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 2);
    out.push('"');
    for c in path.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                for b in c.to_string().bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

fn spawn_error(err: std::io::Error) -> Error {
    if err.kind() == std::io::ErrorKind::NotFound {
        return Error::Git("git is not installed (or not on PATH)".into());
    }
    Error::Git(format!("cannot run git: {err}"))
}

fn failed(args: &[&str], out: &Output) -> Error {
    Error::Git(format!(
        "`git {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_paths_for_fast_import() {
        assert_eq!(quote_path("en/index.html"), "\"en/index.html\"");
        assert_eq!(quote_path("a \"b\"\\c"), "\"a \\\"b\\\"\\\\c\"");
        assert_eq!(quote_path("资产/报告.pdf"), "\"资产/报告.pdf\"");
        assert_eq!(quote_path("a\nb\tc"), "\"a\\012b\\011c\"");
    }

    fn commit() -> Commit<'static> {
        Commit {
            refname: "refs/nianbao/test",
            author: "A <a@example.org> 0 +0000",
            committer: "A <a@example.org> 0 +0000",
            message: "m",
            parent: None,
        }
    }

    #[test]
    fn a_copied_file_is_one_blob_streamed_with_its_length() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("photo.jpg");
        std::fs::write(&source, "JPEG").unwrap();
        let mut files = SiteFiles::new();
        files.insert("a.html".into(), Contents::Bytes(b"<p>".as_slice().into()));
        files.insert("en/x/photo.jpg".into(), Contents::Copy(&source));
        files.insert("x/photo.jpg".into(), Contents::Copy(&source));
        let mut out = Vec::new();
        write_stream(&mut out, &commit(), &files).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("data 4\nJPEG\n").count(), 1, "{text}");
        assert!(text.starts_with("blob\nmark :1\ndata 4\nJPEG\n"), "{text}");
        assert!(text.contains("M 100644 :1 \"en/x/photo.jpg\"\n"), "{text}");
        assert!(text.contains("M 100644 :1 \"x/photo.jpg\"\n"), "{text}");
        assert!(
            text.contains("M 100644 inline \"a.html\"\ndata 3\n<p>\n"),
            "{text}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_that_became_a_fifo_fails_instead_of_hanging() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("photo.jpg");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        // On its own thread so a hang fails the test instead of stalling it.
        std::thread::spawn(move || {
            let mut files = SiteFiles::new();
            files.insert("x/photo.jpg".into(), Contents::Copy(&path));
            let result = write_stream(std::io::sink(), &commit(), &files);
            let _ = tx.send(result.map_err(|e| e.to_string()));
        });
        let result = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("writing the stream hung on a FIFO");
        let err = result.unwrap_err();
        assert!(err.contains("FIFO") && err.contains("photo.jpg"), "{err}");
    }
}
