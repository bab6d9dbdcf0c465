//! nianbao (年报): a static-site generator for bilingual annual reports.
//!
//! The pipeline follows the data: [`load`] reads `content/` into raw
//! structures, [`model`] validates and links them, [`media`] makes photos
//! fit for the web, [`render`] turns the
//! model and a theme into files, and [`output`] writes them safely.
//! [`build`](mod@build) ties the stages together and fails on what
//! [`links`] finds broken in the rendered site; [`lint`] adds the checks of
//! `nianbao check`; [`publish`] builds and deploys; [`serve`] previews;
//! [`scaffold`] starts a new report. The binary is a thin CLI over them.
//!
//! Modules depend only on modules listed before them, never on a later
//! one (no cycles; `grep -rn "crate::" src/<module>` shows it):
//!
//! [`error`] → [`http`] → [`html`] → [`load`] → [`model`] → [`media`] → [`links`] →
//! [`render`] → [`lint`] → [`output`] → [`pdf`] → [`build`](mod@build) → [`publish`] →
//! [`serve`] → [`scaffold`]

pub mod build;
pub mod error;
pub mod html;
pub mod http;
pub mod links;
pub mod lint;
pub mod load;
pub mod media;
pub mod model;
pub mod output;
pub mod pdf;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;

pub use build::{Options, build, check, render_site};
pub use error::{Diagnostic, Diagnostics, Error, Severity};
