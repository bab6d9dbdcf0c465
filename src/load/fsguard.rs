//! The report folder as a boundary. Everything nianbao reads, copies,
//! publishes or serves goes through here, so two rules hold everywhere:
//!
//! - nothing whose real path lies outside the report folder is touched: a
//!   symlink may point elsewhere inside the folder, never out of it;
//! - only regular files are read (a FIFO would block forever, `/dev/zero`
//!   never ends), and text is read with a bound, whatever size the file
//!   system reports.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{Diagnostic, Diagnostics};

/// What a path in the report is, once symlinks inside the folder are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
}

/// Why a path in the report is not read.
#[derive(Debug)]
pub enum Refusal {
    /// A symlink (or a path through one) whose real path is outside the report folder.
    Outside {
        /// Where it leads.
        target: PathBuf,
    },
    /// A symlink to nothing.
    Dangling {
        /// What it names.
        target: PathBuf,
    },
    /// A symlink that leads back to itself.
    Loop,
    /// A FIFO, socket or device.
    Special(&'static str),
    /// Larger than the limit for its kind of file.
    TooLarge {
        /// The bytes it has (at least).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file system said no.
    Io(std::io::Error),
}

impl Refusal {
    /// The diagnostic for `file` (relative to the report folder).
    pub fn diagnostic(&self, file: &Path) -> Diagnostic {
        let error = |message: String| Diagnostic::error(file, 0, 0, message);
        match self {
            Refusal::Outside { target } => error(format!(
                "this links to {}, outside the report folder; nianbao never reads files outside it",
                target.display()
            ))
            .with_hint("copy the file into the report folder instead of linking to it"),
            Refusal::Dangling { target } => error(format!(
                "this symlink points to {}, which does not exist",
                target.display()
            ))
            .with_hint("remove the link or point it at a file inside the report folder"),
            Refusal::Loop => error("this symlink leads back to itself (a symlink loop)".into())
                .with_hint("remove the link"),
            Refusal::Special(kind) => error(format!(
                "this is a {kind}, not a regular file; nianbao reads only regular files"
            ))
            .with_hint("remove it from the report folder"),
            Refusal::TooLarge { size, limit } => error(format!(
                "file is {:.1} MiB; the limit is {} MiB",
                *size as f64 / 1_048_576.0,
                limit / 1_048_576
            ))
            .with_hint("split it into several files"),
            Refusal::Io(err) if err.kind() == std::io::ErrorKind::NotFound => {
                error("file not found".into())
            }
            Refusal::Io(err) => error(format!("cannot read: {err}")),
        }
    }
}

impl From<std::io::Error> for Refusal {
    fn from(err: std::io::Error) -> Self {
        if err.raw_os_error() == Some(libc::ELOOP) {
            Refusal::Loop
        } else {
            Refusal::Io(err)
        }
    }
}

/// The report folder: the one place files are read from.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The folder as given (for messages: paths are shown relative to it).
    root: PathBuf,
    /// Its real path, symlinks resolved.
    real: PathBuf,
    /// Real paths of folders already resolved. Most files are not links:
    /// their real path is their folder's plus their name, which costs one
    /// `lstat` instead of one per component of the path.
    folders: Arc<Mutex<HashMap<PathBuf, PathBuf>>>,
}

impl Boundary {
    /// The boundary of the report folder `root`.
    pub fn new(root: &Path) -> Self {
        let real = std::fs::canonicalize(root).unwrap_or_else(|_| absolute(root));
        Self {
            root: root.to_path_buf(),
            real,
            folders: Arc::default(),
        }
    }

    /// The folder as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` relative to the report folder, for messages.
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .or_else(|_| path.strip_prefix(&self.real))
            .unwrap_or(path)
            .to_path_buf()
    }

    /// The real path of `path`, when it lies inside the report folder.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        self.locate(path).map(|(real, _)| real)
    }

    /// The real path of `path` when it is inside, with its metadata when
    /// `path` itself is not a symlink (then that is what it names).
    fn locate(&self, path: &Path) -> Result<(PathBuf, Option<Metadata>), Refusal> {
        let meta = std::fs::symlink_metadata(path)?;
        if !meta.file_type().is_symlink()
            && let (Some(folder), Some(name)) = (path.parent(), path.file_name())
        {
            let real = self.real_folder(folder)?.join(name);
            return self.inside(real).map(|real| (real, Some(meta)));
        }
        self.canonical(path).map(|real| (real, None))
    }

    /// The real path of a folder, resolved once per folder.
    fn real_folder(&self, folder: &Path) -> Result<PathBuf, Refusal> {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let mut known = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(real) = known.get(folder) {
            return Ok(real.clone());
        }
        let real = std::fs::canonicalize(folder)?;
        known.insert(folder.to_path_buf(), real.clone());
        Ok(real)
    }

    fn inside(&self, real: PathBuf) -> Result<PathBuf, Refusal> {
        if real.starts_with(&self.real) {
            Ok(real)
        } else {
            Err(Refusal::Outside { target: real })
        }
    }

    /// Resolves every component of `path` (a symlink, or a path through one).
    fn canonical(&self, path: &Path) -> Result<PathBuf, Refusal> {
        match std::fs::canonicalize(path) {
            Ok(real) => self.inside(real),
            Err(err) => {
                let err = Refusal::from(err);
                // canonicalize says "not found" for a link to nothing: say which.
                match (&err, std::fs::read_link(path)) {
                    (Refusal::Io(e), Ok(target)) if e.kind() == std::io::ErrorKind::NotFound => {
                        Err(Refusal::Dangling { target })
                    }
                    _ => Err(err),
                }
            }
        }
    }

    /// Whether `path` is a file or a folder inside the report; anything
    /// else (outside, special, dangling) is refused.
    pub fn kind(&self, path: &Path) -> Result<Kind, Refusal> {
        match self.locate(path)? {
            (_, Some(meta)) => kind_of(&meta),
            (real, None) => kind_of(&std::fs::metadata(real)?),
        }
    }

    /// Opens a regular file inside the report, never blocking (a FIFO that
    /// appears between the check and the open is refused, not waited on).
    pub fn open(&self, path: &Path) -> Result<(File, Metadata), Refusal> {
        open_regular(&self.resolve(path)?)
    }

    /// Reads a regular file inside the report, refusing more than `limit`
    /// bytes (counted while reading, not trusted from the file system).
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        let (file, meta) = self.open(path)?;
        if meta.len() > limit {
            return Err(Refusal::TooLarge {
                size: meta.len(),
                limit,
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(limit + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(Refusal::TooLarge {
                size: bytes.len() as u64,
                limit,
            });
        }
        Ok(bytes)
    }

    /// Every regular file below the folder `dir` (inside the report), with
    /// its path below `dir`, in name order. Symlinks inside the report are
    /// followed; anything refused is reported and skipped. Hidden files and
    /// editor leftovers (per `ignored`) are skipped.
    pub fn files_below(
        &self,
        dir: &Path,
        ignored: impl Fn(&str) -> bool,
    ) -> (Vec<(PathBuf, PathBuf)>, Diagnostics) {
        let mut files = Vec::new();
        let mut problems = Diagnostics::new();
        let mut refused = Vec::new();
        let walker = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && ignored(&e.file_name().to_string_lossy()) {
                    return false;
                }
                if !e.path_is_symlink() {
                    return true;
                }
                // Checked before walkdir descends into or reports it.
                match self.resolve(e.path()) {
                    Ok(_) => true,
                    Err(refusal) => {
                        refused.push(refusal.diagnostic(&self.relative(e.path())));
                        false
                    }
                }
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if let Ok(rel) = e.path().strip_prefix(dir) {
                        files.push((e.path().to_path_buf(), rel.to_path_buf()));
                    }
                }
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    let refusal = Refusal::Special(special_name(e.file_type()));
                    problems.push(refusal.diagnostic(&self.relative(e.path())));
                }
                Err(err) => {
                    let path = err
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    // A link to an ancestor is a loop to walkdir; when the
                    // ancestor is outside the report, that is the news.
                    let refusal = match self.resolve(&path) {
                        Err(outside @ Refusal::Outside { .. }) => outside,
                        _ if err.loop_ancestor().is_some() => Refusal::Loop,
                        _ => err.into_io_error().map_or(Refusal::Loop, Refusal::from),
                    };
                    problems.push(refusal.diagnostic(&self.relative(&path)));
                }
            }
        }
        for diagnostic in refused {
            problems.push(diagnostic);
        }
        (files, problems)
    }
}

/// Opens `path` for reading only if it is a regular file, never blocking
/// and never following a symlink in its last component (resolve the path
/// first to follow links deliberately). The type is checked on the opened
/// file, so a FIFO that replaced a file after it was discovered is refused
/// at once instead of waiting forever for a writer.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), Refusal> {
    let file = open_no_block(path).map_err(|err| {
        // O_NOFOLLOW says "loop" for any symlink: name it for what it is.
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => Refusal::Special("symlink"),
            _ => Refusal::from(err),
        }
    })?;
    let meta = file.metadata()?;
    match kind_of(&meta)? {
        Kind::File => Ok((file, meta)),
        Kind::Dir => Err(Refusal::Special("folder")),
    }
}

fn kind_of(meta: &Metadata) -> Result<Kind, Refusal> {
    let file_type = meta.file_type();
    if file_type.is_file() {
        Ok(Kind::File)
    } else if file_type.is_dir() {
        Ok(Kind::Dir)
    } else {
        Err(Refusal::Special(special_name(file_type)))
    }
}

/// What to call a file that is neither a regular file nor a folder.
fn special_name(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "device";
        }
    }
    if file_type.is_symlink() {
        return "symlink";
    }
    "special file"
}

#[cfg(unix)]
fn open_no_block(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_block(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// An absolute, normalised path without touching the disk (an output
/// folder or a report folder may not exist yet). `..` and `.` are
/// resolved lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let joined = std::fs::canonicalize(&joined).unwrap_or(joined);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn report() -> (tempfile::TempDir, Boundary) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("report/content")).unwrap();
        let boundary = Boundary::new(&dir.path().join("report"));
        (dir, boundary)
    }

    #[test]
    fn links_inside_are_followed_and_outside_refused() {
        let (dir, b) = report();
        let content = dir.path().join("report/content");
        std::fs::write(content.join("a.md"), "a").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        symlink(content.join("a.md"), content.join("inside.md")).unwrap();
        symlink(dir.path().join("secret"), content.join("outside.md")).unwrap();
        symlink(dir.path().join("nothing"), content.join("dangling.md")).unwrap();
        symlink(content.join("loop.md"), content.join("loop.md")).unwrap();
        assert_eq!(b.read(&content.join("inside.md"), 10).unwrap(), b"a");
        assert!(matches!(
            b.read(&content.join("outside.md"), 10),
            Err(Refusal::Outside { .. })
        ));
        assert!(matches!(
            b.read(&content.join("dangling.md"), 10),
            Err(Refusal::Dangling { .. })
        ));
        assert!(matches!(
            b.read(&content.join("loop.md"), 10),
            Err(Refusal::Loop)
        ));
    }

    #[test]
    fn special_files_and_oversize_are_refused_without_blocking() {
        let (dir, b) = report();
        let content = dir.path().join("report/content");
        let fifo = content.join("pipe.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(b.read(&fifo, 10), Err(Refusal::Special(_))));
        std::fs::write(content.join("big.md"), "0123456789x").unwrap();
        assert!(matches!(
            b.read(&content.join("big.md"), 10),
            Err(Refusal::TooLarge { .. })
        ));
    }

    #[test]
    fn walking_prunes_links_that_leave() {
        let (dir, b) = report();
        let content = dir.path().join("report/content");
        std::fs::create_dir_all(dir.path().join("etc")).unwrap();
        std::fs::write(dir.path().join("etc/passwd"), "root").unwrap();
        std::fs::create_dir_all(content.join("assets/real")).unwrap();
        std::fs::write(content.join("assets/real/a.png"), "png").unwrap();
        symlink(dir.path().join("etc"), content.join("assets/etc")).unwrap();
        symlink(content.join("assets/real"), content.join("assets/alias")).unwrap();
        let (files, problems) = b.files_below(&content.join("assets"), |n| n.starts_with('.'));
        let rels: Vec<_> = files.iter().map(|(_, r)| r.clone()).collect();
        assert_eq!(
            rels,
            [PathBuf::from("alias/a.png"), PathBuf::from("real/a.png")]
        );
        let problems: Vec<_> = problems.into_iter().collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, PathBuf::from("content/assets/etc"));
    }
}
