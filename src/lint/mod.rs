//! CHECK: what `nianbao check` looks for beyond what `build` needs:
//! stale translations, images without alt text, figures typed into prose
//! and money written two ways in one paragraph. (Links that lead nowhere are errors of every build: see
//! [`crate::links`].)

pub mod money;
pub mod prose;
pub mod translations;

use rayon::prelude::*;

use crate::error::Diagnostics;
use crate::model::Report;

/// Runs every check on a report.
pub fn check(report: &Report, diags: &mut Diagnostics) {
    translations::check(report, diags);
    money::check(report, diags);
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
}
