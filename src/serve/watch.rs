//! Watching `content/` and `themes/`: file events are gathered until the
//! editor has been quiet for a moment, then one rebuild runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::discover::is_ignored;
use crate::serve::{LiveSite, ServeEvent};

/// The folders of a site that a preview watches.
const WATCHED: [&str; 2] = ["content", "themes"];

/// Starts watching in a thread of its own, which owns the watcher.
pub(super) fn start(
    live: Arc<LiveSite>,
    debounce: Duration,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<(), crate::Error> {
    let root = live.options().root.clone();
    let (tx, rx) = channel();
    // Never follow symlinks: one to `/` would have the watcher walk the
    // whole machine (the build refuses links that leave the report anyway).
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = RecommendedWatcher::new(
        move |event| {
            let _ = tx.send(event);
        },
        config,
    )
    .map_err(|e| watch_error(&root, e))?;
    // The root itself, so a `themes/` folder created later is noticed.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(&root, e))?;
    for dir in WATCHED {
        watch_folder(&mut watcher, &root.join(dir))?;
    }
    std::thread::Builder::new()
        .name("nianbao-rebuild".into())
        .spawn(move || rebuild_loop(&rx, &mut watcher, &live, debounce, &*report))
        .map_err(|e| crate::Error::io(&root, e))?;
    Ok(())
}

fn watch_folder(watcher: &mut RecommendedWatcher, path: &Path) -> Result<(), crate::Error> {
    if path.is_dir() {
        watcher
            .watch(path, RecursiveMode::Recursive)
            .map_err(|e| watch_error(path, e))?;
    }
    Ok(())
}

fn watch_error(path: &Path, err: notify::Error) -> crate::Error {
    crate::Error::io(path, std::io::Error::other(err.to_string()))
}

type Message = notify::Result<Event>;

fn rebuild_loop(
    rx: &Receiver<Message>,
    watcher: &mut RecommendedWatcher,
    live: &LiveSite,
    debounce: Duration,
    report: &(dyn Fn(ServeEvent) + Send + Sync),
) {
    // Event paths are absolute; strip the canonical root to show short ones.
    let root =
        std::fs::canonicalize(&live.options().root).unwrap_or_else(|_| live.options().root.clone());
    while let Ok(first) = rx.recv() {
        let mut changed = Vec::new();
        collect(first, &root, &mut changed, report);
        // Gather the rest of the burst (save = write + rename + chmod…).
        loop {
            match rx.recv_timeout(debounce) {
                Ok(next) => collect(next, &root, &mut changed, report),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // A `content/` or `themes/` folder that appeared is watched from now on.
        for dir in WATCHED {
            if changed.iter().any(|p| p == Path::new(dir))
                && let Err(err) = watch_folder(watcher, &root.join(dir))
            {
                report(ServeEvent::WatchError(err.to_string()));
            }
        }
        if !changed.is_empty() {
            changed.sort();
            changed.dedup();
            report(live.rebuild(changed));
        }
    }
}

fn collect(
    message: Message,
    root: &Path,
    changed: &mut Vec<PathBuf>,
    report: &(dyn Fn(ServeEvent) + Send + Sync),
) {
    match message {
        Ok(event) if is_content_change(&event.kind) => {
            for path in event.paths {
                let relative = path
                    .strip_prefix(root)
                    .map_or(path.clone(), Path::to_path_buf);
                // The root is watched only for new content/ and themes/ folders.
                let in_site = relative
                    .components()
                    .next()
                    .is_some_and(|c| WATCHED.iter().any(|d| c.as_os_str() == *d));
                if in_site && !is_editor_artifact(&path) {
                    changed.push(relative);
                }
            }
        }
        Ok(_) => {}
        Err(err) => report(ServeEvent::WatchError(err.to_string())),
    }
}

fn is_content_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => {
            true
        }
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Swap files, backups and probe files editors write next to the real one.
fn is_editor_artifact(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // vim writes "4913" to test whether the folder is writable.
    is_ignored(&name) || name == "4913" || name.starts_with(".#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_artifacts_are_ignored() {
        for name in ["a.md.swp", ".a.md.swx", "a.md~", "4913", ".#a.md", "#a.md#"] {
            assert!(is_editor_artifact(Path::new(name)), "{name}");
        }
        assert!(!is_editor_artifact(Path::new("content/01-a/01-b.zh.md")));
    }
}
