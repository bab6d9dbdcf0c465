//! Test harness: copies a fixture site into a temporary folder, builds it,
//! and reads the output.

pub(crate) mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A fixture copied to a temporary folder.
pub(crate) struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub(crate) fn fixture(name: &str) -> Self {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        Self::copy_of(&src)
    }

    /// Copies any site folder (e.g. the repository itself for `content/`).
    pub(crate) fn copy_of(src: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content", "themes"] {
            if src.join(sub).exists() {
                copy_dir(&src.join(sub), &dir.path().join(sub));
            }
        }
        Self { dir }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    pub(crate) fn options(&self) -> nianbao::Options {
        nianbao::Options::new(self.root())
    }

    /// Builds with the library and panics with the diagnostics on failure.
    pub(crate) fn build(&self) -> nianbao::build::Rendered {
        match nianbao::build(&self.options()) {
            Ok(r) => r,
            Err(nianbao::Error::Content(d)) => {
                panic!(
                    "build failed:\n{}",
                    d.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }
            Err(e) => panic!("build failed: {e}"),
        }
    }

    /// Reads an output file as text.
    pub(crate) fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub(crate) fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Runs the binary in the site folder.
    pub(crate) fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(args)
            .current_dir(self.root())
            .output()
            .unwrap()
    }
}

pub(crate) fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir` with its bytes, sorted: for byte-for-byte comparisons.
pub(crate) fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The text content of an HTML fragment, tags removed (for "does the page say X").
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Environment that gives git an identity on a fresh machine and keeps the
/// machine's own git configuration out of the tests.
pub(crate) const GIT_ENV: &[(&str, &str)] = &[
    ("GIT_AUTHOR_NAME", "Test Author"),
    ("GIT_AUTHOR_EMAIL", "author@example.org"),
    ("GIT_COMMITTER_NAME", "Test Author"),
    ("GIT_COMMITTER_EMAIL", "author@example.org"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
];

/// Runs git in `dir` and returns its trimmed output; panics on failure.
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .envs(GIT_ENV.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs the binary in `dir` with [`GIT_ENV`].
pub(crate) fn nianbao(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(dir)
        .envs(GIT_ENV.iter().copied())
        .output()
        .unwrap()
}

/// Standard error of a finished command, as text.
pub(crate) fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs the binary in `dir`, killing it and failing the test if it takes
/// longer than `limit`: a read that blocks would otherwise hang the suite.
pub(crate) fn run_with_deadline(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    wait_with_deadline(command, args, limit)
}

/// Runs `command` (the binary with `args`), killing it and failing the
/// test if it takes longer than `limit`.
pub(crate) fn wait_with_deadline(mut command: Command, args: &[&str], limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "nianbao {args:?} still running after {limit:?} (hung?)\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}
