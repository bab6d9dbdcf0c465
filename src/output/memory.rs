//! The in-memory sink: the whole site kept, for the live preview, for
//! `check` (which reads every rendered page for links) and for `publish`
//! (which verifies links before anything is written).

use std::sync::Mutex;

use crate::error::Error;
use crate::output::Sink;
use crate::render::OutputFile;

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
