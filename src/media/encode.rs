//! Encoding a photo's [`Plan`]: decode once (with limits, orientation
//! applied), resize with a Lanczos filter, encode WebP (libwebp, lossy),
//! JPEG or PNG. Re-encoding is what strips the metadata: the encoders
//! write pixels only. A cache folder keeps every file by name (the
//! original's hash), so an unchanged photo is read back, not encoded.

use std::path::{Path, PathBuf};

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder};

use super::{Plan, Variant};
use crate::load::photo::{self, PhotoKind};

/// JPEG quality of the web widths and the link-preview image.
const JPEG_QUALITY: u8 = 80;
/// JPEG quality of the print variant.
const PRINT_QUALITY: u8 = 88;
/// WebP quality (libwebp's 0–100 scale).
const WEBP_QUALITY: f32 = 74.0;

/// The cache folder's layout version: bump it when the encoding changes,
/// so files made the old way are not reused.
pub const CACHE_VERSION: &str = "v1";

/// A photo's files, and whether any had to be encoded.
#[derive(Debug)]
pub struct Encoded {
    /// Each variant's file name (below `photos/`) and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// False when every file came from the cache (or needs no encoding).
    pub encoded: bool,
}

/// The files of `plan` for the photo at `source`, from `cache` when it has
/// them all; otherwise encoded and put in `cache` (when given). The error
/// says what is wrong with the photo, for a diagnostic naming the file.
pub fn encode(source: &Path, plan: &Plan, cache: Option<&Path>) -> Result<Encoded, String> {
    let names: Vec<(Variant, String)> = plan
        .variants()
        .into_iter()
        .map(|v| (v, plan.file_name(v)))
        .collect();
    if plan.is_vector() {
        let bytes = original(source, plan)?;
        let files = names.into_iter().map(|(_, n)| (n, bytes.clone())).collect();
        return Ok(Encoded {
            files,
            encoded: false,
        });
    }
    let cache = cache.map(|c| c.join(CACHE_VERSION));
    if let Some(files) = cache.as_deref().and_then(|c| from_cache(c, &names)) {
        return Ok(Encoded {
            files,
            encoded: false,
        });
    }
    let bytes = original(source, plan)?;
    let image = decode(&bytes)?;
    drop(bytes);
    let files = make_all(&image, plan)?;
    if let Some(cache) = &cache {
        // A cache that cannot be written only costs time on the next build.
        let _ = to_cache(cache, &files);
    }
    Ok(Encoded {
        files,
        encoded: true,
    })
}

/// The original's bytes, which must be what was probed: a photo replaced
/// while the site builds would not match the names already written.
fn original(source: &Path, plan: &Plan) -> Result<Vec<u8>, String> {
    let bytes = photo::read_bounded(source)?;
    if photo::content_hash(&bytes) != plan.hash {
        return Err("the photo changed while the site was being built; build again".into());
    }
    Ok(bytes)
}

/// Decodes with limits and turns the pixels the way the camera meant.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let (mut reader, _) = photo::reader(bytes)?;
    reader.limits(photo::limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("the photo is damaged: {e}"))?;
    let (w, h) = decoder.dimensions();
    photo::check_pixels(w, h)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)
        .map_err(|e| format!("the photo is damaged or cut short: {e}"))?;
    image.apply_orientation(orientation);
    // 8 bits per channel, alpha only where the photo has it.
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// Every file of the plan, each width resized once for both formats.
fn make_all(image: &DynamicImage, plan: &Plan) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let mut print = None;
    for &w in &plan.widths {
        let sized = resized(image, w, plan.height_at(w), false)?;
        if plan.has_modern() {
            files.push((plan.file_name(Variant::Modern(w)), webp(&sized)));
        }
        files.push((
            plan.file_name(Variant::Fallback(w)),
            fallback(&sized, plan, JPEG_QUALITY)?,
        ));
        if w == plan.print_width() {
            print = Some(sized);
        }
    }
    if plan.print_variant() == Variant::Print {
        let w = plan.print_width();
        let print = match print {
            Some(sized) => sized,
            None => resized(image, w, plan.height_at(w), false)?,
        };
        files.push((
            plan.file_name(Variant::Print),
            fallback(&print, plan, PRINT_QUALITY)?,
        ));
    }
    if plan.variants().contains(&Variant::Og) {
        let (w, h) = plan.og_size();
        files.push((
            plan.file_name(Variant::Og),
            jpeg(&resized(image, w, h, true)?, JPEG_QUALITY)?,
        ));
    }
    Ok(files)
}

/// `image` at `w`×`h`; `crop` cuts the middle to that shape first.
fn resized(image: &DynamicImage, w: u32, h: u32, crop: bool) -> Result<DynamicImage, String> {
    if !crop && w == image.width() && h == image.height() {
        return Ok(image.clone());
    }
    let mut out = DynamicImage::new(w, h, image.color());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if crop {
        options = options.fit_into_destination(Some((0.5, 0.5)));
    }
    Resizer::new()
        .resize(image, &mut out, &options)
        .map_err(|e| format!("the photo could not be resized: {e}"))?;
    Ok(out)
}

fn fallback(image: &DynamicImage, plan: &Plan, quality: u8) -> Result<Vec<u8>, String> {
    match plan.kind {
        PhotoKind::Png => png(image),
        _ => jpeg(image, quality),
    }
}

fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let rgb = image.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|e| format!("the photo could not be encoded as JPEG: {e}"))?;
    Ok(out)
}

fn png(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
    encoder
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(|e| format!("the photo could not be encoded as PNG: {e}"))?;
    Ok(out)
}

fn webp(image: &DynamicImage) -> Vec<u8> {
    let (w, h) = (image.width(), image.height());
    let encoded = match image {
        DynamicImage::ImageRgba8(rgba) => {
            webp::Encoder::from_rgba(rgba.as_raw(), w, h).encode(WEBP_QUALITY)
        }
        other => {
            let rgb = other.to_rgb8();
            webp::Encoder::from_rgb(rgb.as_raw(), w, h).encode(WEBP_QUALITY)
        }
    };
    encoded.to_vec()
}

/// Every file of a photo from the cache, or `None` when one is missing.
fn from_cache(cache: &Path, names: &[(Variant, String)]) -> Option<Vec<(String, Vec<u8>)>> {
    names
        .iter()
        .map(|(_, name)| Some((name.clone(), std::fs::read(cache.join(name)).ok()?)))
        .collect()
}

/// Puts files in the cache, each written whole before it gets its name, so
/// a build that stops half-way, or one running beside it, never leaves a
/// partial file there.
fn to_cache(cache: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    std::fs::create_dir_all(cache)?;
    for (name, bytes) in files {
        let temp: PathBuf = cache.join(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&temp, bytes)?;
        std::fs::rename(&temp, cache.join(name))?;
    }
    Ok(())
}
