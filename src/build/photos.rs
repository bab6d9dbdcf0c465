//! The photo stage of a build: every photo beside a chapter made into its
//! web, print and link-preview files ([`crate::media`]), in parallel, from
//! the cache when it has them, and put into the site before the pages that
//! show them (so their links resolve as the pages are added).

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::media::{DIR, Plan, encode};
use crate::model::Report;
use crate::render::sink::Sink;

/// What the photo stage did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhotoCount {
    /// Photos published.
    pub photos: usize,
    /// Of those, photos encoded (the others came from the cache).
    pub encoded: usize,
}

impl std::ops::AddAssign for PhotoCount {
    fn add_assign(&mut self, other: Self) {
        self.photos += other.photos;
        self.encoded += other.encoded;
    }
}

/// The cache folder of the site at `root`: content-addressed, safe to delete.
pub fn cache_dir(root: &Path) -> std::path::PathBuf {
    root.join(".nianbao-cache").join("photos")
}

/// Makes and puts every photo file of `report` into `sink`. A photo that
/// cannot be made fails the build with an error naming its file. Without
/// `encode` (`check`, which writes nothing) only the names are put, so
/// links to them resolve.
pub(super) fn put_photos<S: Sink>(
    report: &Report,
    root: &Path,
    sink: &S,
    encode: bool,
) -> Result<PhotoCount, Error> {
    let prefix = report.layout.files();
    if !encode {
        for file in report.photo_files.ok.values() {
            let plan = Plan::new(&file.probe);
            for variant in plan.variants() {
                sink.put(&format!("{prefix}{DIR}/{}", plan.file_name(variant)), &[])?;
            }
        }
        return Ok(PhotoCount::default());
    }
    let cache = cache_dir(root);
    // The same photo twice (copied into two chapters) is made once.
    let mut seen = BTreeSet::new();
    let files: Vec<_> = report
        .photo_files
        .ok
        .values()
        .filter(|f| seen.insert(f.probe.hash.clone()))
        .collect();
    let made: Vec<_> = files
        .par_iter()
        .map(|file| {
            let plan = Plan::new(&file.probe);
            (file, encode::encode(&file.source, &plan, Some(&cache)))
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut count = PhotoCount::default();
    for (file, result) in made {
        match result {
            Ok(encoded) => {
                count.photos += 1;
                count.encoded += usize::from(encoded.encoded);
                for (name, bytes) in &encoded.files {
                    sink.put(&format!("{prefix}{DIR}/{name}"), &[bytes])?;
                }
            }
            Err(problem) => {
                let hint = "replace the file with a JPEG, PNG or WebP that opens in an image viewer, or remove it";
                diags.push(Diagnostic::error(&file.path, 0, 0, problem).with_hint(hint));
            }
        }
    }
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    Ok(count)
}
