//! Where each link of a Markdown body is written, recorded while the body
//! is rendered, for the link check of [`crate::links`] to report a broken
//! one there.

use std::path::Path;
use std::sync::Arc;

use crate::links::Written;
use crate::load::discover::Page;
use crate::render::markdown::BodyLink;

/// The links of one rendered body of `page`, located in its file.
/// `elsewhere`: the body is shown on a page that is not its own.
pub(crate) fn written(page: &Page, links: Vec<BodyLink>, elsewhere: bool) -> Vec<Written> {
    if links.is_empty() {
        return Vec::new();
    }
    let file: Arc<Path> = Arc::from(page.file.as_path());
    let offsets: Vec<usize> = links.iter().map(|l| page.body_offset + l.offset).collect();
    let positions = line_cols(&page.text, &offsets);
    links
        .into_iter()
        .zip(positions)
        .map(|(link, (line, col))| Written {
            href: link.href,
            source: link.source,
            file: file.clone(),
            line,
            col,
            elsewhere,
            raw_html: link.raw_html,
        })
        .collect()
}

/// The 1-based (line, column) of each of `offsets` (ascending) in `text`,
/// columns in characters, in one pass up to the last offset: a body's
/// links are located without indexing the whole file each time.
fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let (mut line, mut col, mut at) = (1, 1, 0);
    offsets
        .iter()
        .map(|&offset| {
            let offset = offset.min(text.len());
            let Some(between) = text.get(at..offset) else {
                // Out of order or inside a character: count from the start.
                return crate::error::line_col(text, offset);
            };
            match between.rfind('\n') {
                Some(last) => {
                    line += between.bytes().filter(|&b| b == b'\n').count();
                    col = between[last + 1..].chars().count() + 1;
                }
                None => col += between.chars().count(),
            }
            at = offset;
            (line, col)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_cols_count_characters_in_one_pass() {
        let text = "ab\n红十字会 x\n\nz";
        let offsets = [0, 3, text.find('x').unwrap_or(0), text.len() - 1, 1];
        let expected: Vec<_> = offsets
            .iter()
            .map(|&o| crate::error::line_col(text, o))
            .collect();
        assert_eq!(line_cols(text, &offsets), expected);
        assert_eq!(line_cols(text, &[4]), [(2, 1)], "inside 红: its start");
    }
}
