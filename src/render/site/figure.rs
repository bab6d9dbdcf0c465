//! A chart placed in a page's text, through the theme's `figure.html`.

use crate::model::nav;
use crate::render::markdown::unique_id;
use crate::render::view::FigureView;

use super::prose::PageMarkdown;

impl PageMarkdown<'_> {
    /// The figure for chart `id` with its caption (inline HTML); `None`
    /// for a chart the report does not have. A template error is kept for
    /// the page to report, and the figure left out.
    pub(super) fn figure(&self, id: &str, caption: &str) -> Option<String> {
        let view = self.figure_view(id, caption)?;
        let mut ctx = tera::Context::new();
        ctx.insert("figure", &view);
        match self.renderer.theme.tera.render(FIGURE_TEMPLATE, &ctx) {
            Ok(html) => Some(html),
            Err(err) => {
                let mut failed = self.failed.borrow_mut();
                failed.get_or_insert_with(|| self.renderer.theme.diagnostic(&err));
                Some(String::new())
            }
        }
    }

    fn figure_view(&self, id: &str, caption: &str) -> Option<FigureView> {
        let chart = self.charts.get(id)?;
        let dom_id = unique_id(&format!("chart-{id}"), &mut self.figures.borrow_mut());
        // The drawing's own ids follow the figure's, so a chart placed twice
        // on a page has unique ids in both places.
        let svg = chart
            .inline
            .replace(&format!("\"chart-{id}-"), &format!("\"{dom_id}-"))
            .replace(&format!(" chart-{id}-desc\""), &format!(" {dom_id}-desc\""));
        let r = self.renderer;
        let code = &self.lang.code;
        let note = r
            .report
            .catalog
            .charts
            .get(id)
            .and_then(|c| c.note.as_ref());
        Some(FigureView {
            caption: caption.to_string(),
            svg,
            note: note.map_or(String::new(), |n| n.get(code).to_string()),
            table: chart.table.clone(),
            data_table: r.t(code, "data_table"),
            download_url: format!(
                "{}{}",
                nav::root_prefix(self.path),
                super::chart_path(&r.report.layout, id, code)
            ),
            download_label: r.t(code, "download_svg"),
            dom_id,
        })
    }
}

/// The built-in template of a chart figure.
pub(super) const FIGURE_TEMPLATE: &str = "figure.html";
