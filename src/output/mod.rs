//! OUTPUT: where rendered files go. [`Sink`] is what rendering pushes each
//! finished file into, so a page's bytes can be dropped as soon as it is
//! written: [`stage::Stage`] writes into a temporary sibling folder that is
//! swapped into place at the end, so a failed build leaves the old output
//! untouched, only ever over a folder nianbao created, and files whose
//! bytes did not change keep their timestamps; [`memory::MemorySink`] keeps
//! the files for `serve`, `check` and `publish`, which need them whole.

pub mod memory;
pub mod sink;
pub mod stage;

pub use memory::MemorySink;
pub use sink::{MARKER, check_output_dir};
pub use stage::{Changes, Stage, write_site, write_site_then};

use crate::error::Error;

/// Takes rendered files as they are finished, from any thread.
pub trait Sink: Sync {
    /// Takes the file at `path` (below the output folder, `/`-separated),
    /// whose bytes are `parts` one after another: a page that is spliced
    /// together (the whole-report page) is never joined in memory first.
    fn put(&self, path: &str, parts: &[&[u8]]) -> Result<(), Error>;
}
