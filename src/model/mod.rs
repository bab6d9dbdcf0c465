//! MODEL: validation and linking of what was loaded. Pure: no IO.

pub mod brand;
pub mod lang;
pub mod metric;
pub mod nav;
pub mod number;
pub mod photo;
pub mod references;
pub mod report;
pub mod scan;
pub mod series;

pub use report::Report;
