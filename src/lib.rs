//! nianbao (年报): a static-site generator for bilingual annual reports.
//!
//! The pipeline follows the data: [`load`] reads `content/` into raw
//! structures, [`model`] validates and links them, [`render`] turns the
//! model and a theme into files, and [`output`] writes them safely.
//! [`build`](mod@build) ties the stages together; [`publish`] checks, builds, verifies
//! links and deploys; [`scaffold`] starts a new report. The binary is a
//! thin CLI over them.

pub mod build;
pub mod error;
pub mod http;
pub mod links;
pub mod lint;
pub mod load;
pub mod model;
pub mod output;
pub mod pdf;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;

pub use build::{Options, build, check, render_site};
pub use error::{Diagnostic, Diagnostics, Error, Severity};
