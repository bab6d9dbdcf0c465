//! Where rendering puts each finished file: a [`Sink`]. `build` gives it
//! the staged output folder (`output::Stage`), so a page's bytes are
//! dropped as soon as they are written; [`MemorySink`] keeps the whole
//! site, for the live preview and for `publish`.

use std::sync::Mutex;

use crate::error::Error;
use crate::render::OutputFile;

/// Takes rendered files as they are finished, from any thread.
pub trait Sink: Sync {
    /// Takes the file at `path` (below the output folder, `/`-separated),
    /// whose bytes are `parts` one after another: a page that is spliced
    /// together (the whole-report page) is never joined in memory first.
    fn put(&self, path: &str, parts: &[&[u8]]) -> Result<(), Error>;
}

/// Collects every file put into it.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Vec<OutputFile>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// The files, sorted by path: rendering pushes them from several
    /// threads, in no fixed order.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, parts: &[&[u8]]) -> Result<(), Error> {
        let file = OutputFile {
            path: path.to_string(),
            bytes: parts.concat(),
        };
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_the_parts_and_sorts_by_path() {
        let sink = MemorySink::new();
        sink.put("b/index.html", &[b"<p>", b"two", b"</p>"])
            .unwrap();
        sink.put("a/index.html", &[b"one"]).unwrap();
        let files = sink.into_files();
        assert_eq!(files[0].path, "a/index.html");
        assert_eq!(files[1].bytes, b"<p>two</p>");
    }
}
