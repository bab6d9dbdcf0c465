//! `nianbao add-year YEAR`: start a series' next year from its latest one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use nianbao::Error;
use nianbao::scaffold::{AddYearOutcome, AddedYear, ConversionPlan, add_year};

use super::print_diagnostics;

/// Arguments of `add-year`.
#[derive(Args)]
pub(crate) struct AddYearArgs {
    /// The year to start (four digits, after the latest year of the series).
    year: String,
    /// Site folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// At a single-year root: move the report into content/<its year>/ and write content/series.yaml first.
    #[arg(long)]
    convert: bool,
}

/// Runs `add-year`: exit 0 when the year was created, 1 when nothing was
/// (a content problem, or a single-year root without `--convert`), 2 for a
/// usage error.
pub(crate) fn run(args: AddYearArgs) -> ExitCode {
    match add_year(&args.root, &args.year, args.convert) {
        Ok(AddYearOutcome::Added(added)) => {
            print_added(&added);
            ExitCode::SUCCESS
        }
        Ok(AddYearOutcome::WouldConvert(plan)) => {
            print_plan(&plan);
            ExitCode::from(1)
        }
        Err(Error::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Error::Content(diags)) => {
            print_diagnostics(&diags, &args.root);
            eprintln!("add-year stopped: no year was added");
            ExitCode::from(1)
        }
        Err(other) => {
            eprintln!("error: {other}");
            eprintln!("add-year stopped: no year was added");
            ExitCode::from(1)
        }
    }
}

fn print_plan(plan: &ConversionPlan) {
    let year = &plan.year;
    eprintln!(
        "content/ holds a single-year report ({year}), not a series; `nianbao add-year {} --convert` would:",
        plan.new_year
    );
    for name in &plan.moves {
        eprintln!("  move content/{name} -> content/{year}/{name}");
    }
    let moved = if plan.moved_keys.is_empty() {
        String::new()
    } else {
        format!(" ({} moved out of report.yaml)", plan.moved_keys.join(", "))
    };
    eprintln!(
        "  write content/series.yaml with {}{moved}",
        plan.series_keys.join(", ")
    );
    eprintln!("  create content/{}/ from content/{year}/", plan.new_year);
    eprintln!("nothing was changed; run it again with --convert to do this");
}

fn print_added(added: &AddedYear) {
    if let Some(c) = &added.converted {
        let how = if c.resumed {
            "finished an interrupted conversion"
        } else {
            "converted content/ into a series"
        };
        eprintln!(
            "{how}: moved {} entr{} into content/{}/, wrote content/series.yaml",
            c.moved,
            if c.moved == 1 { "y" } else { "ies" },
            c.year
        );
        print_rewritten(&c.rewritten);
    }
    if added.leftover_removed {
        eprintln!("removed the leftover of an interrupted add-year");
    }
    eprintln!(
        "created {}/ from {}: {} files, {} metric value(s) emptied (last year's value kept in a comment beside each)",
        added.dir.display(),
        added.from,
        added.files,
        added.emptied
    );
    print_rewritten(&added.rewritten);
    eprintln!(
        "next:\n  fill in every `value:` in {dir}/**/metrics.yaml (check and build list the ones left)\n  rewrite each section (check warns while one is identical to {from}'s)\n  nianbao check",
        dir = added.dir.display(),
        from = added.from
    );
}

fn print_rewritten(files: &[impl AsRef<Path>]) {
    for file in files {
        eprintln!(
            "  {} was written again from its data: its comments and layout are lost (flow-style or unusual YAML)",
            file.as_ref().display()
        );
    }
}
