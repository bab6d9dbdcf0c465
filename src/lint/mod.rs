//! CHECK: what `nianbao check` looks for beyond what `build` needs to
//! render: stale translations, images without alt text, figures typed into
//! prose, and links that lead nowhere in the rendered site.

pub mod prose;
pub mod translations;

use std::path::Path;

use rayon::prelude::*;

use crate::error::Diagnostics;
use crate::model::Report;
use crate::publish;
use crate::render::site::RenderedSite;

/// Runs every check on a report and its rendered site.
pub fn check(root: &Path, report: &Report, site: &RenderedSite, diags: &mut Diagnostics) {
    translations::check(report, diags);
    let metrics = prose::MetricValues::new(&report.catalog);
    let pages: Vec<_> = report.pages().collect();
    let found: Vec<Diagnostics> = pages
        .par_iter()
        .map(|page| {
            let mut found = Diagnostics::new();
            prose::check_page(page, &metrics, &mut found);
            found
        })
        .collect();
    for page_diags in found {
        diags.extend(page_diags);
    }
    diags.extend(publish::link_diagnostics(root, site, &report.base_url));
}
