//! Photo files beside a chapter, probed when the report is read: their
//! content hash (which names every file made from them), format and size
//! as displayed (EXIF orientation applied). Only the header is decoded
//! here; the pixels are decoded when the photo is processed, once.

use std::io::Cursor;
use std::path::Path;

use image::{ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::load::svg;

/// The largest photo file read, in bytes: a camera JPEG is a few MB, a
/// 100-megapixel PNG may be tens of MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most pixels a photo may declare: decoding is refused above it, so a
/// small file declaring 30000×30000 pixels cannot take the machine's memory.
pub const MAX_PIXELS: u64 = 100_000_000;

/// What a photo file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    /// A camera photo: published as WebP with a JPEG fallback.
    Jpeg,
    /// A WebP photo: published like a JPEG.
    Webp,
    /// A screenshot or drawing: kept lossless, as PNG.
    Png,
    /// A vector drawing: published as it is.
    Svg,
}

/// A photo file as read: enough to write its markup without decoding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Content hash of the file (hex), which names every file made from it.
    pub hash: String,
    /// Its format.
    pub kind: PhotoKind,
    /// Width as displayed (after EXIF orientation); for an SVG the size it
    /// declares, 0 when it declares none.
    pub width: u32,
    /// Height as displayed, 0 when unknown (SVG).
    pub height: u32,
}

/// True for the file names nianbao processes as photos.
pub fn is_photo_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(
        ext.as_deref(),
        Some(
            "jpg"
                | "jpeg"
                | "png"
                | "webp"
                | "svg"
                | "gif"
                | "bmp"
                | "tif"
                | "tiff"
                | "heic"
                | "avif"
        )
    )
}

/// The hash that names a photo's files: the first 64 bits of its BLAKE3.
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.to_hex()[..16].to_string()
}

/// Reads a photo file (bounded) and its header. The error says what is
/// wrong in words for the author.
pub fn probe(path: &Path) -> Result<Probe, String> {
    let bytes = read_bounded(path)?;
    let hash = content_hash(&bytes);
    if is_svg(path) {
        // Published as it is, from the site's own origin: no script in it.
        if let Some(problem) = svg::svg_problem(&bytes) {
            return Err(format!(
                "the SVG {problem}; it cannot be published as it is"
            ));
        }
        let (width, height) = svg::svg_size(&bytes).unwrap_or((0, 0));
        return Ok(Probe {
            hash,
            kind: PhotoKind::Svg,
            width,
            height,
        });
    }
    let (kind, width, height) = header(&bytes)?;
    if kind == PhotoKind::Jpeg && !jpeg_is_whole(&bytes) {
        return Err("the photo is cut short: the JPEG ends before its last picture data".into());
    }
    Ok(Probe {
        hash,
        kind,
        width,
        height,
    })
}

/// The file's bytes, refused above [`MAX_FILE_BYTES`].
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the photo: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "the photo is {} MB; photos larger than {} MB are refused",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read the photo: {e}"))
}

fn is_svg(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

/// True when a JPEG's picture data ends with its end marker. Decoders
/// fill a file cut short with grey rather than fail, so a truncated upload
/// would be published half grey. The markers before the picture data are
/// skipped by their lengths: an EXIF thumbnail inside them has an end
/// marker of its own.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xDA {
            // Start of scan: entropy-coded data, where 0xFF is escaped, so
            // an end marker in it is the real one.
            return bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + length;
    }
    false
}

/// Decoding limits: no more than [`MAX_PIXELS`], and memory to match.
pub fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    limits
}

/// A reader of a photo's bytes.
pub type PhotoReader<'a> = ImageReader<Cursor<&'a [u8]>>;

/// A reader for a photo's bytes with its format found from the content.
pub fn reader(bytes: &[u8]) -> Result<(PhotoReader<'_>, PhotoKind), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read the photo: {e}"))?;
    let kind = match reader.format() {
        Some(ImageFormat::Jpeg) => PhotoKind::Jpeg,
        Some(ImageFormat::Png) => PhotoKind::Png,
        Some(ImageFormat::WebP) => PhotoKind::Webp,
        Some(other) => {
            return Err(format!(
                "{} is not a format nianbao publishes; convert the photo to JPEG, PNG or WebP",
                other.to_mime_type()
            ));
        }
        None => {
            return Err(
                "not a photo nianbao can read: the file is not JPEG, PNG, WebP or SVG".into(),
            );
        }
    };
    Ok((reader, kind))
}

/// The format and displayed size from the header, refusing more than
/// [`MAX_PIXELS`] before any pixel is decoded.
fn header(bytes: &[u8]) -> Result<(PhotoKind, u32, u32), String> {
    let (mut reader, kind) = reader(bytes)?;
    reader.limits(limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("the photo is damaged or not what its name says: {e}"))?;
    let (w, h) = decoder.dimensions();
    check_pixels(w, h)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    use image::metadata::Orientation as O;
    let turned = matches!(
        orientation,
        O::Rotate90 | O::Rotate270 | O::Rotate90FlipH | O::Rotate270FlipH
    );
    Ok(if turned { (kind, h, w) } else { (kind, w, h) })
}

/// Refuses a photo declaring more than [`MAX_PIXELS`] (or no pixels).
pub fn check_pixels(width: u32, height: u32) -> Result<(), String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err("the photo has no pixels".into());
    }
    if pixels > MAX_PIXELS {
        return Err(format!(
            "the photo declares {width}×{height} pixels, more than the {} megapixels nianbao decodes",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_it_cannot_publish() {
        assert!(header(b"not an image at all").is_err());
        let err = check_pixels(30_000, 30_000).unwrap_err();
        assert!(err.contains("30000×30000"), "{err}");
        assert!(check_pixels(4000, 3000).is_ok());
    }

    #[test]
    fn a_jpeg_cut_short_is_noticed() {
        // SOI, an APP1 holding a thumbnail's end marker, SOS, data, EOI.
        let whole = [
            0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0xFF, 0xD9, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF,
            0x00, 0x34, 0xFF, 0xD9,
        ];
        assert!(jpeg_is_whole(&whole));
        assert!(!jpeg_is_whole(&whole[..whole.len() - 2]));
        assert!(!jpeg_is_whole(&whole[..8]));
        assert!(!jpeg_is_whole(&[0xFF, 0xD8, 0x00]));
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(content_hash(b"abc"), "6437b3ac38465133");
    }
}
