//! The logo that `brand: logo:` names, read from the report folder.
//! Whether it is usable (inside the folder, SVG or PNG, no script) is the
//! model's to say ([`crate::model::brand`]); this only reads it, and never
//! reads a path that leaves the folder of the file naming it.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::load::discover::relative;
use crate::load::fsguard::{Boundary, Refusal};

/// Logos larger than this are refused: a logo is a few kilobytes, and
/// every page of the site loads it.
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;

/// A logo as read.
#[derive(Debug, Clone)]
pub struct RawLogo {
    /// The path as written after `logo:`.
    pub written: String,
    /// Where it is, relative to the site root (for messages).
    pub file: PathBuf,
    /// What reading it gave.
    pub read: LogoRead,
}

/// What reading a logo gave.
#[derive(Debug, Clone)]
pub enum LogoRead {
    /// Its bytes.
    Bytes(Arc<[u8]>),
    /// The path is absolute or climbs out with `..`: not read.
    Outside,
    /// No file there.
    Missing,
    /// Refused or unreadable (a symlink out of the report, a folder, too
    /// large): why, in words.
    Unreadable(String),
}

/// Reads the logo `written` (relative to `folder`, the folder holding the
/// YAML file that names it) inside the report at `boundary`.
pub fn read(boundary: &Boundary, folder: &Path, written: &str) -> RawLogo {
    let file = relative(boundary.root(), &folder.join(written));
    let read = match inside(written) {
        None => LogoRead::Outside,
        Some(rel) => match boundary.read(&folder.join(rel), MAX_LOGO_BYTES) {
            Ok(bytes) => LogoRead::Bytes(bytes.into()),
            Err(Refusal::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
                LogoRead::Missing
            }
            Err(refusal) => LogoRead::Unreadable(refusal.diagnostic(&file).message),
        },
    };
    RawLogo {
        written: written.to_string(),
        file,
        read,
    }
}

/// `written` as a path below its folder: plain names only (`.` allowed),
/// never absolute, never `..`. `None` for an empty path.
pub fn inside(written: &str) -> Option<PathBuf> {
    let path = Path::new(written.trim());
    let mut rel = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => rel.push(name),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!rel.as_os_str().is_empty()).then_some(rel)
}

/// The first component of a logo path that stays inside its folder: the
/// entry at the top of that folder which holds the logo (`assets` for
/// `assets/logo.svg`, the file itself for `logo.svg`).
pub fn top_entry(written: &str) -> Option<String> {
    let rel = inside(written)?;
    let first = rel.components().next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_below_the_folder_are_inside() {
        assert_eq!(
            inside("assets/logo.svg"),
            Some(PathBuf::from("assets/logo.svg"))
        );
        assert_eq!(inside("./logo.png"), Some(PathBuf::from("logo.png")));
        for outside in [
            "../logo.svg",
            "/etc/logo.svg",
            "assets/../../x.svg",
            "",
            ".",
        ] {
            assert_eq!(inside(outside), None, "{outside}");
        }
        assert_eq!(top_entry("assets/logo.svg").as_deref(), Some("assets"));
        assert_eq!(top_entry("logo.svg").as_deref(), Some("logo.svg"));
    }
}
