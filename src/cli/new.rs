//! `nianbao new DIR`: start a report that builds as it is.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use nianbao::scaffold::{NewOptions, new_report};

use super::fail;

/// Arguments of `new`.
#[derive(Args)]
pub(crate) struct NewArgs {
    /// The folder to create (it must not exist, or be empty).
    dir: PathBuf,
    /// Language codes, the default first.
    #[arg(long, value_delimiter = ',', default_value = "zh,en")]
    languages: Vec<String>,
    /// The report's title in every language, or LANG=TITLE for one (repeatable).
    #[arg(long, value_name = "TITLE")]
    title: Vec<String>,
    /// The year the report covers [default: last year, as an annual report is written the year after].
    #[arg(long)]
    year: Option<i32>,
    /// Start a report series: the report goes in content/<YEAR>/, what the years share in content/series.yaml.
    #[arg(long)]
    series: bool,
}

/// Runs `new`.
pub(crate) fn run(args: NewArgs) -> ExitCode {
    let options = NewOptions {
        dir: args.dir,
        languages: args.languages,
        titles: args.title,
        year: args.year,
        series: args.series,
    };
    match new_report(&options) {
        Ok(created) => {
            let dir = created.dir.display();
            let what = if options.series {
                "a report series whose first year is a report"
            } else {
                "a report"
            };
            eprintln!(
                "created {dir}: {what} in {} with one chapter ({} files)",
                options.languages.join(", "),
                created.files.len()
            );
            for lang in &created.placeholders {
                eprintln!("  the `{lang}` text is English to translate: look for TODO({lang})");
            }
            eprintln!(
                "next:\n  cd {dir}\n  nianbao serve            # preview, reloads as you save\n  nianbao check --strict\n  nianbao build"
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err, &options.dir),
    }
}
