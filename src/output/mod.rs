//! OUTPUT: writes a rendered site to disk safely: into a temporary sibling
//! folder first, then swapped into place, so a failed build leaves the old
//! output untouched; only ever over a folder nianbao created; and files
//! whose bytes did not change keep their timestamps.

pub mod sink;
pub mod stage;

pub use sink::{MARKER, check_output_dir};
pub use stage::{Changes, write_site, write_site_then};
