//! Figures in a page's text: a chart through the theme's `figure.html`,
//! a photo through its `photo.html`.

use crate::load::discover::Page;
use crate::model::nav;
use crate::render::markdown::{FigureRequest, unique_id};
use crate::render::view::FigureView;

use super::photo::{PhotoText, Placement};
use super::prose::PageMarkdown;

impl PageMarkdown<'_> {
    /// The figure an image alone in its paragraph of `page` becomes: a
    /// chart (`chart:ID`), a declared photo (`photo:ID`) or one of the
    /// page's own photos; `None` for anything else. A template error is
    /// kept for the page to report, and the figure left out.
    pub(super) fn figure(
        &self,
        req: &FigureRequest<'_>,
        page: &Page,
        print: bool,
    ) -> Option<String> {
        let html = if let Some(id) = req.target.strip_prefix("chart:") {
            let view = self.figure_view(id, req.inner_html)?;
            let mut ctx = tera::Context::new();
            ctx.insert("figure", &view);
            self.renderer.theme.tera.render(FIGURE_TEMPLATE, &ctx)
        } else {
            let placement = if print {
                Placement::Print
            } else {
                Placement::Text
            };
            let r = self.renderer;
            let view = match req.target.strip_prefix("photo:") {
                Some(id) => {
                    let photo = r.report.catalog.photos.get(id)?;
                    r.declared_photo_view(photo, &self.lang.code, self.path, placement)
                }
                None => {
                    let file = r
                        .photo_file_by_url(req.target)
                        .or_else(|| r.photo_file_of(&page.file, req.target))?;
                    let words = PhotoText {
                        alt: req.inner_text.to_string(),
                        caption: req.title.to_string(),
                        credit: String::new(),
                    };
                    r.photo_view(file, words, self.path, placement)
                }
            };
            r.photo_html(&view)
        };
        match html {
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
