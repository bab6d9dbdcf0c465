//! Publishing to a folder: the new tree is staged in a hidden sibling
//! folder, then swapped in with renames (the output sink's helpers), so a
//! failure leaves the folder as it was. A file whose bytes did not change
//! is hard-linked (or copied with its timestamp) from the previous publish,
//! so a sync to the host that compares size and time stays small.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::{Changes, Contents, SiteFiles};
use crate::error::Error;
use crate::output::sink::{
    MARKER, MARKER_TEXT, OLD_SUFFIX, TEMP_SUFFIX, absolute, create_dir, remove_if_exists, sibling,
    swap,
};

/// Replaces `dir` by the site; the caller has checked that `dir` may be replaced.
pub(super) fn publish(files: &SiteFiles<'_>, dir: &Path) -> Result<Changes, Error> {
    let dir = absolute(dir);
    let previous = previous_files(&dir)?;
    let temp = sibling(&dir, TEMP_SUFFIX);
    let old = sibling(&dir, OLD_SUFFIX);
    // Leftovers of an interrupted run: ours (by name), safe to remove.
    remove_if_exists(&temp)?;
    remove_if_exists(&old)?;
    let changes = match stage(files, &previous, &temp) {
        Ok(changes) => changes,
        Err(err) => {
            let _ = fs::remove_dir_all(&temp);
            return Err(err);
        }
    };
    if let Ok(meta) = fs::metadata(&dir) {
        // Keep the folder's mode (e.g. group-readable for the web server).
        let _ = fs::set_permissions(&temp, meta.permissions());
    }
    swap(&temp, &dir, &old)?;
    Ok(changes)
}

/// Every regular file below `dir` by its `/`-separated path.
fn previous_files(dir: &Path) -> Result<BTreeMap<String, PathBuf>, Error> {
    let mut files = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(key, entry.path().to_path_buf());
        }
    }
    Ok(files)
}

/// What happened to one file.
enum Status {
    Added,
    Changed,
    Unchanged,
}

fn stage(
    files: &SiteFiles<'_>,
    previous: &BTreeMap<String, PathBuf>,
    temp: &Path,
) -> Result<Changes, Error> {
    create_dir(temp)?;
    let marker = Contents::Bytes(MARKER_TEXT.into());
    place(&marker, previous.get(MARKER), &temp.join(MARKER))?;
    let mut changes = Changes::default();
    for (path, contents) in files {
        match place(contents, previous.get(path), &temp.join(path))? {
            Status::Added => changes.added.push(path.clone()),
            Status::Changed => changes.changed.push(path.clone()),
            Status::Unchanged => changes.unchanged += 1,
        }
    }
    changes.removed = previous
        .keys()
        .filter(|p| *p != MARKER && !files.contains_key(*p))
        .cloned()
        .collect();
    Ok(changes)
}

/// Writes one file into the staged tree, reusing the previous one when its
/// bytes are the same.
fn place(
    contents: &Contents<'_>,
    previous: Option<&PathBuf>,
    target: &Path,
) -> Result<Status, Error> {
    if let Some(parent) = target.parent() {
        create_dir(parent)?;
    }
    let bytes = contents.read()?;
    let status = match previous {
        None => Status::Added,
        Some(prev) if same_bytes(prev, &bytes) => {
            keep(prev, target)?;
            return Ok(Status::Unchanged);
        }
        Some(_) => Status::Changed,
    };
    fs::write(target, &bytes).map_err(|e| Error::io(target, e))?;
    Ok(status)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// The previous file, with its bytes and modification time: a hard link
/// when the filesystem allows it, else a copy with the time set back.
fn keep(previous: &Path, target: &Path) -> Result<(), Error> {
    if fs::hard_link(previous, target).is_ok() {
        return Ok(());
    }
    fs::copy(previous, target).map_err(|e| Error::io(previous, e))?;
    let modified = fs::metadata(previous)
        .and_then(|m| m.modified())
        .map_err(|e| Error::io(previous, e))?;
    fs::File::options()
        .write(true)
        .open(target)
        .and_then(|f| f.set_modified(modified))
        .map_err(|e| Error::io(target, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;
    use std::time::{Duration, SystemTime};

    fn files<'a>(list: &[(&str, &'a [u8])]) -> SiteFiles<'a> {
        list.iter()
            .map(|(p, b)| (p.to_string(), Contents::Bytes(Cow::Borrowed(*b))))
            .collect()
    }

    fn mtime(path: &Path) -> SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn reports_changes_and_keeps_unchanged_files_as_they_were() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = publish(
            &files(&[("a.html", b"a"), ("b/c.css", b"c"), ("gone.txt", b"x")]),
            &out,
        )
        .unwrap();
        assert_eq!(first.added, ["a.html", "b/c.css", "gone.txt"]);
        let old = SystemTime::now() - Duration::from_secs(3600);
        for f in ["a.html", "b/c.css"] {
            fs::File::options()
                .write(true)
                .open(out.join(f))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        let second = publish(
            &files(&[("a.html", b"A"), ("b/c.css", b"c"), ("new.txt", b"n")]),
            &out,
        )
        .unwrap();
        assert_eq!(second.added, ["new.txt"]);
        assert_eq!(second.changed, ["a.html"]);
        assert_eq!(second.removed, ["gone.txt"]);
        assert_eq!(second.unchanged, 1);
        assert_eq!(
            mtime(&out.join("b/c.css")),
            old,
            "unchanged file keeps its time"
        );
        assert_ne!(mtime(&out.join("a.html")), old);
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"A");
        assert!(!out.join("gone.txt").exists());
        assert!(out.join(MARKER).is_file());
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            [std::ffi::OsString::from("public")],
            "no temp folders left"
        );
    }

    #[test]
    fn keep_copies_with_the_timestamp_when_linking_fails() {
        let tmp = tempfile::tempdir().unwrap();
        let prev = tmp.path().join("prev.txt");
        fs::write(&prev, "x").unwrap();
        let old = SystemTime::now() - Duration::from_secs(7200);
        fs::File::options()
            .write(true)
            .open(&prev)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let target = tmp.path().join("target.txt");
        fs::write(&target, "blocks the hard link").unwrap();
        // hard_link fails on an existing target; the copy path overwrites it.
        keep(&prev, &target).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "x");
        assert_eq!(mtime(&target), old);
    }

    #[test]
    fn a_failed_publish_leaves_the_folder_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&files(&[("a.html", b"a")]), &out).unwrap();
        let missing = tmp.path().join("no-such-file");
        let mut broken = files(&[("a.html", b"b")]);
        broken.insert("copy.pdf".into(), Contents::Copy(&missing));
        assert!(publish(&broken, &out).is_err());
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"a");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("public")]);
    }
}
