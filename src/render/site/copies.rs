//! Files that are not rendered: the theme's static files (under
//! fingerprinted names) and files copied as they are from content/.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics};
use crate::render::fingerprint;
use crate::render::theme::Theme;

use super::Renderer;

/// Theme static file name → fingerprinted path below the output folder.
pub(super) fn asset_paths(theme: &Theme) -> BTreeMap<String, String> {
    theme
        .static_files
        .iter()
        .map(|(name, bytes)| {
            (
                name.clone(),
                format!("assets/{}", fingerprinted_name(name, bytes)),
            )
        })
        .collect()
}

/// A theme's static files: (fingerprinted path below the output folder, bytes).
pub fn asset_files(theme: &Theme) -> Vec<(String, &[u8])> {
    let paths = asset_paths(theme);
    theme
        .static_files
        .iter()
        .filter_map(|(name, bytes)| Some((paths.get(name)?.clone(), bytes.as_slice())))
        .collect()
}

impl Renderer<'_> {
    /// Files copied as they are: content/assets/ and each chapter's files
    /// (next to the chapter page in every language). A file that would
    /// replace a generated one is an error naming both, not a silent swap.
    pub(super) fn copies(
        &self,
        generated: &[String],
        diags: &mut Diagnostics,
    ) -> Vec<(PathBuf, String)> {
        let files = self.report.layout.files();
        let assets_dir = Path::new("content").join(&files).join("assets");
        let mut planned: Vec<(&PathBuf, PathBuf, String)> = self
            .report
            .assets
            .iter()
            .map(|(src, rel)| {
                let file = assets_dir.join(rel);
                (src, file, format!("{files}assets/{}", slash_path(rel)))
            })
            .collect();
        for chapter in &self.report.chapters {
            for lang in &self.report.languages {
                let dir = self.report.layout.page(&lang.code, Some(&chapter.slug));
                planned.extend(chapter.files.iter().map(|(src, rel)| {
                    (
                        src,
                        chapter.dir.join(rel),
                        format!("{dir}{}", slash_path(rel)),
                    )
                }));
            }
        }
        let generated: HashSet<&str> = generated.iter().map(String::as_str).collect();
        let mut reported = HashSet::new();
        for (_, file, dest) in &planned {
            if generated.contains(dest.as_str()) && reported.insert(file.clone()) {
                let msg = format!("this file would replace the generated `{dest}`");
                let hint = "rename or remove it; nianbao writes that file itself";
                diags.push(Diagnostic::error(file, 0, 0, msg).with_hint(hint));
            }
        }
        planned
            .into_iter()
            .map(|(src, _, dest)| (src.clone(), dest))
            .collect()
    }
}

fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let hash = fingerprint(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
