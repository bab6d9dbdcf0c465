//! `nianbao publish`: check, build for the production base URL, verify
//! every internal link, then deploy to a folder or a git branch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args};
use nianbao::Options;
use nianbao::publish::{
    self, BranchTarget, Changes, Destination, PublishOptions, Published, StoreTarget, Target,
};

use super::{PaperArg, fail, print_diagnostics};

/// How many changed files the summary lists by name.
const LISTED: usize = 40;

/// Arguments of `publish`.
#[derive(Args)]
#[command(group(ArgGroup::new("target").required(true).args(["to", "git_branch"])))]
pub(crate) struct PublishArgs {
    /// Site folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The production URL (e.g. https://example.org/report/2020/) [default: base_url in report.yaml].
    #[arg(long)]
    base_url: Option<String>,
    /// Publish into this folder, replacing it atomically, or to s3://BUCKET/PREFIX (S3, OSS, COS, R2, MinIO).
    #[arg(long, value_name = "DIR|s3://BUCKET/PREFIX")]
    to: Option<String>,
    /// The S3 endpoint (overrides AWS_ENDPOINT_URL), for s3:// targets.
    #[arg(long, value_name = "URL", requires = "to")]
    endpoint: Option<String>,
    /// Print what would be uploaded and deleted, and change nothing (s3:// targets).
    #[arg(long, requires = "to")]
    dry_run: bool,
    /// Commit the site as the whole content of this branch of the site's git repository.
    #[arg(long, value_name = "BRANCH")]
    git_branch: Option<String>,
    /// Push the branch to this remote afterwards.
    #[arg(long, value_name = "NAME", conflicts_with = "to")]
    remote: Option<String>,
    /// Commit message for the branch.
    #[arg(long, value_name = "TEXT", conflicts_with = "to")]
    message: Option<String>,
    /// Replace a folder or branch that nianbao did not create.
    #[arg(long)]
    force: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Also print each language's whole report to <lang>/report.pdf and publish it with the site (headless Chromium; NIANBAO_CHROMIUM names the browser)
    #[arg(long)]
    pdf: bool,
    /// Paper of the PDFs
    #[arg(long, value_enum, default_value = "a4", requires = "pdf")]
    paper: PaperArg,
}

impl PublishArgs {
    fn options(self) -> Result<PublishOptions, nianbao::Error> {
        let target = match (self.to, self.git_branch) {
            // Any `scheme://` is a store or refused, never a local folder.
            (Some(url), _) if url.contains("://") => {
                let mut target = StoreTarget::parse(&url)?;
                target.endpoint = self.endpoint;
                target.dry_run = self.dry_run;
                Target::Store(target)
            }
            (Some(_), _) if self.dry_run || self.endpoint.is_some() => {
                return Err(nianbao::Error::Usage(
                    "--dry-run and --endpoint are for s3:// targets".into(),
                ));
            }
            (Some(dir), _) => Target::Dir(PathBuf::from(dir)),
            (None, branch) => Target::Branch(BranchTarget {
                branch: branch.unwrap_or_default(),
                remote: self.remote,
                message: self.message,
            }),
        };
        let site = Options {
            root: self.root,
            output: None,
            base_url: self.base_url,
            strict: self.strict,
            force: self.force,
            pdf: self.pdf,
            paper: self.paper.into(),
            preview: false,
        };
        Ok(PublishOptions { site, target })
    }
}

/// Runs `publish`.
pub(crate) fn run(args: PublishArgs) -> ExitCode {
    let root = args.root.clone();
    let options = match args.options() {
        Ok(options) => options,
        Err(err) => return fail(err, &root),
    };
    let root = &options.site.root;
    match publish::publish(&options) {
        Ok(published) => {
            print_diagnostics(&published.warnings, root);
            print_summary(&published);
            ExitCode::SUCCESS
        }
        Err(err) => fail(err, root),
    }
}

/// The summary of a publish to object storage (or of its dry run).
fn print_store_summary(p: &Published, url: &str, dry_run: bool) {
    let c = &p.changes;
    if dry_run {
        for path in c.added.iter().chain(&c.changed) {
            eprintln!("upload {path}");
        }
        for path in &c.removed {
            eprintln!("delete {path}");
        }
        eprintln!(
            "dry run: {} to upload, {} unchanged, {} to delete; nothing changed",
            c.added.len() + c.changed.len(),
            c.unchanged,
            c.removed.len()
        );
        return;
    }
    eprintln!(
        "published to {}: {} uploaded, {} unchanged, {} deleted ({} files, {})",
        url.trim_end_matches('/'),
        c.added.len() + c.changed.len(),
        c.unchanged,
        c.removed.len(),
        p.files,
        human_bytes(p.bytes)
    );
}

fn print_summary(p: &Published) {
    if let Destination::Store { url, dry_run } = &p.destination {
        print_store_summary(p, url, *dry_run);
        return;
    }
    let base = if p.base_url.origin.is_empty() {
        format!("base path {}", p.base_url.path)
    } else {
        p.base_url.absolute("")
    };
    let place = match &p.destination {
        Destination::Dir(dir) => dir.display().to_string(),
        Destination::Branch(b) => format!("branch {}", b.branch),
        Destination::Store { url, .. } => url.clone(),
    };
    eprintln!(
        "published {} pages ({} files, {}) to {place} for {base}",
        p.pages,
        p.files,
        human_bytes(p.bytes)
    );
    if let Destination::Branch(b) = &p.destination {
        let short = b.commit.get(..7).unwrap_or(&b.commit);
        let what = match (b.committed, b.created) {
            (false, _) => "nothing changed: the branch stays at",
            (true, true) => "new branch, first commit",
            (true, false) => "new commit",
        };
        eprintln!("  {what} {short}");
        if let Some(remote) = &b.pushed_to {
            eprintln!("  pushed {} to {remote}", b.branch);
        }
    }
    print_changes(&p.changes);
    if p.base_url.origin.is_empty() {
        eprintln!(
            "note: the base URL has no host, so sitemap.xml and canonical links hold paths only; pass --base-url https://… (or set base_url in report.yaml) for full URLs"
        );
    }
}

fn print_changes(c: &Changes) {
    if c.changed.is_empty() && c.removed.is_empty() && c.unchanged == 0 {
        eprintln!("  first publish: all {} files are new", c.added.len());
        return;
    }
    eprintln!(
        "  since the previous publish: {} added, {} changed, {} removed, {} unchanged",
        c.added.len(),
        c.changed.len(),
        c.removed.len(),
        c.unchanged
    );
    let listed = [("+", &c.added), ("~", &c.changed), ("-", &c.removed)]
        .into_iter()
        .flat_map(|(sign, paths)| paths.iter().map(move |p| (sign, p)));
    let total = c.added.len() + c.changed.len() + c.removed.len();
    for (sign, path) in listed.take(LISTED) {
        eprintln!("    {sign} {path}");
    }
    if total > LISTED {
        eprintln!("    … and {} more", total - LISTED);
    }
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1_234), "1.2 kB");
        assert_eq!(human_bytes(25_300_000), "25.3 MB");
    }
}
