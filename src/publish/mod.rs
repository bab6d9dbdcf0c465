//! PUBLISH: build with the production base URL (which checks that every
//! internal link resolves under that base path, as every build does), then
//! deploy the site to a folder (replaced atomically, unchanged files kept
//! as they were) or to a git branch (one new commit, the working tree
//! untouched). Nothing is written anywhere unless every step before
//! succeeded.

mod git;
pub mod store;

pub use store::StoreTarget;

use std::borrow::Cow;
use std::path::PathBuf;

use crate::build::{Options, render_site};
use crate::error::{Diagnostics, Error};
use crate::model::nav::BaseUrl;
use crate::output::sink::{MARKER, MARKER_TEXT, absolute, check_output_dir};
pub use crate::output::stage::Changes;
use crate::output::stage::{self, Contents, SiteFiles, site_files};

/// What to publish and where.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The site to build (`root`, `base_url`, `strict`; `force` allows
    /// replacing a destination nianbao did not create). `output` is unused.
    pub site: Options,
    /// Where the site goes.
    pub target: Target,
}

/// A publishing destination.
#[derive(Debug, Clone)]
pub enum Target {
    /// A folder, replaced as a whole.
    Dir(PathBuf),
    /// A branch of the git repository holding the site folder.
    Branch(BranchTarget),
    /// An S3-compatible bucket, under a prefix.
    Store(StoreTarget),
}

/// `--git-branch BRANCH [--remote NAME] [--message TEXT]`.
#[derive(Debug, Clone)]
pub struct BranchTarget {
    /// The branch whose whole content becomes the site (e.g. `gh-pages`).
    pub branch: String,
    /// Push the branch there afterwards.
    pub remote: Option<String>,
    /// Commit message (a default names the file count and base URL).
    pub message: Option<String>,
}

impl Changes {
    /// True when the destination already held exactly this site.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Where the site went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The folder, as an absolute path.
    Dir(PathBuf),
    /// The branch and what happened to it.
    Branch(BranchOutcome),
    /// The bucket and prefix (`s3://reports/2020/`); `dry_run` when
    /// nothing was changed.
    Store {
        /// `s3://bucket/prefix/`.
        url: String,
        /// The run only listed what it would do.
        dry_run: bool,
    },
}

/// The result of publishing to a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchOutcome {
    /// Branch name.
    pub branch: String,
    /// The branch's tip after publishing.
    pub commit: String,
    /// False when the site was unchanged, so no commit was made.
    pub committed: bool,
    /// True when the branch did not exist before (an orphan commit).
    pub created: bool,
    /// The remote the branch was pushed to.
    pub pushed_to: Option<String>,
}

/// What a successful publish did, for the summary.
#[derive(Debug)]
pub struct Published {
    /// Where the site went.
    pub destination: Destination,
    /// The base URL the site was built for.
    pub base_url: BaseUrl,
    /// Number of HTML pages.
    pub pages: usize,
    /// Number of files published (the marker file not counted).
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Differences from the previous publish.
    pub changes: Changes,
    /// Warnings of the build.
    pub warnings: Diagnostics,
}

/// Builds (every check of a build, links under the production base URL
/// among them) and deploys. On any error the destination is left exactly
/// as it was.
pub fn publish(options: &PublishOptions) -> Result<Published, Error> {
    let force = options.site.force;
    if let Target::Dir(dir) = &options.target {
        check_output_dir(&options.site.root, dir, force)?;
    }
    // A missing browser is known before anything is rendered.
    let chromium = options
        .site
        .pdf
        .then(crate::pdf::find_chromium)
        .transpose()?;
    let rendered = render_site(&options.site)?;
    let mut files = site_files(&rendered.site);
    let printed = match &chromium {
        Some(chromium) => print_pdfs(chromium, &files, &rendered.print_pages, options)?,
        None => Vec::new(),
    };
    for (path, bytes) in &printed {
        files.insert(path.clone(), Contents::Bytes(Cow::Borrowed(bytes)));
    }
    let (destination, changes) = match &options.target {
        Target::Dir(dir) => (
            Destination::Dir(absolute(dir)),
            stage::write_files(&files, dir)?,
        ),
        Target::Branch(target) => {
            add_branch_files(&mut files, rendered.domain.as_deref());
            let message = target
                .message
                .clone()
                .unwrap_or_else(|| default_message(&files, &rendered.base_url));
            let (outcome, changes) =
                git::publish(&options.site.root, &files, target, &message, force)?;
            (Destination::Branch(outcome), changes)
        }
        Target::Store(target) => {
            let changes = store::publish(&files, target)?;
            let destination = Destination::Store {
                url: target.url(),
                dry_run: target.dry_run,
            };
            (destination, changes)
        }
    };
    let (count, bytes) = totals(&files)?;
    Ok(Published {
        destination,
        base_url: rendered.base_url,
        pages: rendered.pages,
        files: count,
        bytes,
        changes,
        warnings: rendered.warnings,
    })
}

/// Prints the PDFs of a rendered site (`publish --pdf`): the site is
/// written to a scratch folder, printed there as `build --pdf` prints its
/// staged folder, and the PDFs and the pages whose download links now
/// give the PDFs' sizes are returned, to publish with the rest.
fn print_pdfs(
    chromium: &std::path::Path,
    files: &SiteFiles<'_>,
    print_pages: &[crate::render::site::PrintPage],
    options: &PublishOptions,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let scratch = Scratch::new()?;
    let dir = scratch.0.join("site");
    stage::write_files(files, &dir)?;
    let changed = crate::pdf::print_all(chromium, &dir, print_pages, options.site.paper)?;
    changed
        .into_iter()
        .map(|path| {
            let file = dir.join(&path);
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            Ok((path, bytes))
        })
        .collect()
}

/// A scratch folder in the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("nianbao-publish-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A branch served by GitHub Pages and the like: `.nojekyll` so files are
/// served as they are, `CNAME` for a custom domain, and the marker that
/// lets a later publish recognise the branch as nianbao's.
fn add_branch_files(files: &mut SiteFiles<'_>, domain: Option<&str>) {
    files.insert(MARKER.into(), Contents::Bytes(Cow::Borrowed(MARKER_TEXT)));
    files.insert(".nojekyll".into(), Contents::Bytes(Cow::Borrowed(b"")));
    if let Some(domain) = domain {
        let cname = format!("{domain}\n").into_bytes();
        files.insert("CNAME".into(), Contents::Bytes(Cow::Owned(cname)));
    }
}

fn default_message(files: &SiteFiles<'_>, base: &BaseUrl) -> String {
    let count = files.keys().filter(|p| *p != MARKER).count();
    format!(
        "Publish the report ({count} files)\n\nBase URL: {}\nBuilt by nianbao {}.\n",
        base.absolute(""),
        env!("CARGO_PKG_VERSION")
    )
}

fn totals(files: &SiteFiles<'_>) -> Result<(usize, u64), Error> {
    let mut count = 0;
    let mut bytes = 0;
    for (path, contents) in files {
        if path != MARKER {
            count += 1;
            bytes += contents.size()?;
        }
    }
    Ok((count, bytes))
}
