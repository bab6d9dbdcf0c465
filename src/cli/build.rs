//! `nianbao build`: render the report into the output folder.

use std::process::ExitCode;

use clap::Args;

use super::{Common, fail, print_diagnostics};

/// Arguments of `build`.
#[derive(Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    common: Common,
    /// Replace an output folder that nianbao did not create.
    #[arg(long)]
    force: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Also print each language's whole report to <lang>/report.pdf
    /// with headless Chromium (NIANBAO_CHROMIUM names the browser).
    #[arg(long)]
    pdf: bool,
    /// Paper of the PDFs.
    #[arg(long, value_enum, default_value = "a4", requires = "pdf")]
    paper: super::PaperArg,
}

/// "; photos: 3 (1 encoded, 2 from cache)", or "" without photos.
pub(crate) fn photo_summary(count: nianbao::build::PhotoCount) -> String {
    if count.photos == 0 {
        return String::new();
    }
    format!(
        "; photos: {} ({} encoded, {} from cache)",
        count.photos,
        count.encoded,
        count.photos - count.encoded
    )
}

/// Runs `build`.
pub(crate) fn run(args: BuildArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let mut options = args.common.options(args.strict, args.force);
    options.pdf = args.pdf;
    options.paper = args.paper.into();
    let output = options.output_dir();
    match nianbao::build(&options) {
        Ok(rendered) => {
            print_diagnostics(&rendered.warnings, &options.root);
            let changes = &rendered.changes;
            // Every file of the output (PDFs included) was added, changed or kept.
            let files = changes.added.len() + changes.changed.len() + changes.unchanged;
            let written = changes.added.len() + changes.changed.len();
            eprintln!(
                "built {} pages ({} files, {} written, {} unchanged) into {} in {} ms{}",
                rendered.pages,
                files,
                written,
                changes.unchanged,
                output.display(),
                started.elapsed().as_millis(),
                photo_summary(rendered.photos)
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err, &options.root),
    }
}
