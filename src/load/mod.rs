//! LOAD: reads a report folder from disk into raw, unvalidated structures.
//! Nothing here knows about HTML; the model stage validates and links.

pub mod discover;
pub mod frontmatter;
pub mod fsguard;
pub mod locate;
pub mod logo;
pub mod photo;
pub mod series;
pub mod svg;
pub mod theme;
pub mod yaml;

pub use discover::{RawSite, discover, discover_in};
