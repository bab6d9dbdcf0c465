//! CHECK: what `nianbao check` looks for beyond what `build` needs to
//! render: stale translations, images without alt text, figures typed into
//! prose, and links that lead nowhere in the rendered site.

pub mod prose;
pub mod translations;

use std::path::Path;

use crate::error::Diagnostics;
use crate::model::Report;
use crate::publish;
use crate::render::site::{RenderedSite, all_pages};

/// Runs every check on a report and its rendered site.
pub fn check(root: &Path, report: &Report, site: &RenderedSite, diags: &mut Diagnostics) {
    translations::check(report, diags);
    for page in all_pages(report) {
        prose::check_page(page, &report.catalog, diags);
    }
    diags.extend(publish::link_diagnostics(root, site, &report.base_url));
}
