//! The pipeline: load → model → render → output. `check` runs the same
//! pipeline and writes nothing, so the two can never disagree.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostics, Error};
use crate::model::Report;
use crate::model::nav::BaseUrl;
use crate::render::site::RenderedSite;
use crate::render::theme::Theme;
use crate::{load, model, output, render};

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// Site folder holding `content/` and `themes/`.
    pub root: PathBuf,
    /// Output folder (default `<root>/output`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from report.yaml.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Replace an output folder that nianbao did not create.
    pub force: bool,
    /// Also print each language's whole-report page to `<lang>/report.pdf`
    /// with headless Chromium (`build --pdf`).
    pub pdf: bool,
}

impl Options {
    /// Options for the site at `root`, everything else default.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            strict: false,
            force: false,
            pdf: false,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// A successful render: the site and its warnings.
#[derive(Debug)]
pub struct Rendered {
    /// Files of the site.
    pub site: RenderedSite,
    /// Warnings (errors make [`render_site`] fail instead).
    pub warnings: Diagnostics,
    /// Number of HTML pages.
    pub pages: usize,
    /// What writing changed in the output folder (empty when only rendered).
    pub changes: output::Changes,
    /// Where the site is published (`--base-url` or report.yaml).
    pub base_url: BaseUrl,
    /// The custom domain from report.yaml, if any.
    pub domain: Option<String>,
    /// Each language's code and whole-report page folder (`en`, `en/print/`).
    pub print_pages: Vec<(String, String)>,
}

/// A loaded and validated report with its theme: what rendering needs.
pub struct Prepared {
    /// The report.
    pub report: Report,
    /// Its theme.
    pub theme: Theme,
}

/// Loads and validates the report and loads its theme. Returns what could
/// be prepared and every problem found on the way.
pub fn prepare(options: &Options) -> (Option<Prepared>, Diagnostics) {
    let (raw, mut diags) = load::discover(&options.root);
    let Some(report) = model::report::build(raw, options.base_url.as_deref(), &mut diags) else {
        return (None, diags);
    };
    render::site::check_references(&report, &mut diags);
    let codes: Vec<String> = report.languages.iter().map(|l| l.code.clone()).collect();
    let theme = render::theme::load(&options.root, &report.theme, &codes, &mut diags);
    (theme.map(|theme| Prepared { report, theme }), diags)
}

/// Loads, validates and renders the report at `options.root`, in memory.
pub fn render_site(options: &Options) -> Result<Rendered, Error> {
    render_and_check(options, false)
}

/// Renders in memory and, with `lint`, runs the checks of `nianbao check`
/// on top of what rendering needs.
fn render_and_check(options: &Options, lint: bool) -> Result<Rendered, Error> {
    let (prepared, diags) = prepare(options);
    let mut site = RenderedSite::default();
    let mut diags = diags;
    // Rendering a report with errors would only add follow-on noise.
    if let Some(p) = &prepared
        && !diags.has_errors()
    {
        let charts = render::site::render_charts(&p.report, &p.theme);
        let render_options = render::site::RenderOptions { pdf: options.pdf };
        let (mut rendered, render_diags) =
            render::site::render_with_options(&p.report, &p.theme, &charts, render_options);
        diags.extend(render_diags);
        if !diags.has_errors() {
            let pdfs = pdf_paths(&p.report, options.pdf);
            diags.extend(rendered.check_links(&p.report.base_url, &pdfs));
            if lint {
                crate::lint::check(&p.report, &mut diags);
            }
        }
        // Only the link check needs them; the site is held until written.
        rendered.written = Default::default();
        site = rendered;
    }
    finish(prepared.map(|p| p.report), site, diags, options.strict)
}

/// The PDFs `build --pdf` prints after rendering, which pages link to.
fn pdf_paths(report: &Report, pdf: bool) -> Vec<String> {
    let langs = report.languages.iter().filter(|_| pdf);
    langs.map(|l| render::site::pdf_path(&l.code)).collect()
}

/// Applies `--strict`, and turns errors into `Err` (counting pages otherwise).
pub fn finish(
    report: Option<Report>,
    site: RenderedSite,
    mut diags: Diagnostics,
    strict: bool,
) -> Result<Rendered, Error> {
    if strict {
        diags.make_strict();
    }
    diags.sort();
    if diags.has_errors() || report.is_none() {
        return Err(Error::Content(diags));
    }
    let print_pages = report.as_ref().map_or_else(Vec::new, |r| {
        r.languages
            .iter()
            .map(|l| {
                let path = render::site::print_path(&l.code, r.default_lang());
                (l.code.clone(), path)
            })
            .collect()
    });
    let (base_url, domain) = report.map(|r| (r.base_url, r.domain)).unwrap_or_default();
    let pages = site
        .files
        .iter()
        .filter(|f| f.path.ends_with("index.html"))
        .count();
    Ok(Rendered {
        site,
        warnings: diags,
        pages,
        base_url,
        domain,
        print_pages,
        changes: output::Changes::default(),
    })
}

/// Renders and writes the site (with `options.pdf`, prints the PDFs in the
/// staged folder before it replaces the output). On any error the previous
/// output is left exactly as it was.
pub fn build(options: &Options) -> Result<Rendered, Error> {
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir, options.force)?;
    // A missing browser is known before anything is rendered.
    let chromium = options.pdf.then(crate::pdf::find_chromium).transpose()?;
    let rendered = render_site(options)?;
    let changes = match &chromium {
        None => output::write_site(&rendered.site, &output_dir)?,
        Some(chromium) => output::write_site_then(&rendered.site, &output_dir, &|staged| {
            crate::pdf::print_all(chromium, staged, &rendered.print_pages)
        })?,
    };
    Ok(Rendered {
        changes,
        ..rendered
    })
}

/// Runs every validation of `build`, and the checks of [`crate::lint`],
/// and writes nothing.
pub fn check(options: &Options) -> Result<Diagnostics, Error> {
    render_and_check(options, true).map(|r| r.warnings)
}

/// True when `path` looks like a report folder.
pub fn is_site_root(path: &Path) -> bool {
    path.join("content").join("report.yaml").is_file()
}
