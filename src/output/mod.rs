//! OUTPUT: writing a site to disk. [`stage::Stage`] is the renderer's sink
//! for `build`: each finished file goes into a temporary sibling folder
//! that is swapped into place at the end, so a failed build leaves the old
//! output untouched, only ever over a folder nianbao created, and files
//! whose bytes did not change keep their timestamps.

pub mod sink;
pub mod stage;

pub use sink::{MARKER, check_output_dir};
pub use stage::{Changes, Stage, write_site, write_site_then};
