//! OUTPUT: writes a rendered site to disk safely: into a temporary sibling
//! folder first, then swapped into place, so a failed build leaves the old
//! output untouched; and only ever over a folder nianbao created.

pub mod sink;

pub use sink::{MARKER, check_output_dir, write_site};
