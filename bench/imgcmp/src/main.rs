//! Compares the crates nianbao could use to resize and encode photos, on
//! camera-sized JPEGs, at one web width (1440 px):
//!
//! - resize: `fast_image_resize` Lanczos3 against `image::imageops::resize`
//!   Lanczos3 (time, and PSNR between the two results);
//! - modern format: `webp` (libwebp, lossy) at several qualities, `ravif`
//!   (AVIF, rav1e) at its default speed, `image`'s own WebP encoder
//!   (lossless only);
//! - JPEG fallback: `image`'s `JpegEncoder`, `jpeg-encoder`, `mozjpeg`.
//!
//! Every encoder gets the same resized pixels (fast_image_resize's); its
//! output is decoded again and compared with them: PSNR over RGB, SSIM on
//! luma (11×11 Gaussian window, the usual constants) and `dssim-core`'s
//! DSSIM (0 = identical, lower is better). Times are wall-clock, one
//! thread per encode (nianbao encodes photos in parallel, one per core),
//! median of `--runs` runs per photo.
//!
//! Usage: imgcmp [--runs N] [--width W] [--out DIR] PHOTO...
//! With several photos, a last table gives the mean of the per-photo
//! medians. The encoded files are left in DIR (default: a temporary
//! folder) to be looked at. AVIF files are decoded with `avifdec`.
//!
//! Outside nianbao's workspace (own `[workspace]` table); on Debian:
//!
//! ```sh
//! apt-get install nasm libavif-bin   # rav1e's and mozjpeg's assembly; avifdec
//! CARGO_TARGET_DIR=/tmp/imgcmp-target cargo build --release --features asm \
//!     --manifest-path bench/imgcmp/Cargo.toml
//! python3 bench/photos.py --generate-only --keep   # the photos, once
//! P=/dev/shm/nianbao-photos/originals
//! nice /tmp/imgcmp-target/release/imgcmp --runs 3 $P/photo-01.jpg $P/photo-02.jpg $P/photo-03.jpg
//! ```
//!
//! Without `--features asm`, rav1e is pure Rust (and slower).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader, RgbImage};

struct Args {
    runs: usize,
    width: u32,
    out: PathBuf,
    photos: Vec<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        runs: 3,
        width: 1440,
        out: std::env::temp_dir().join("imgcmp-out"),
        photos: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--width" => a.width = it.next().and_then(|v| v.parse().ok()).expect("--width W"),
            "--out" => a.out = it.next().map(PathBuf::from).expect("--out DIR"),
            _ => a.photos.push(PathBuf::from(arg)),
        }
    }
    assert!(!a.photos.is_empty(), "usage: imgcmp [--runs N] [--width W] [--out DIR] PHOTO...");
    a
}

/// One measured candidate on one photo.
struct Row {
    name: String,
    ms: f64,
    bytes: usize,
    psnr: f64,
    ssim: f64,
    dssim: f64,
}

fn main() {
    let args = args();
    std::fs::create_dir_all(&args.out).expect("output folder");
    let mut all: Vec<Vec<Row>> = Vec::new();
    for photo in &args.photos {
        println!("## {}", photo.display());
        let rows = measure(photo, &args);
        print_rows(&rows);
        all.push(rows);
    }
    if all.len() > 1 {
        println!("## mean of the per-photo medians ({} photos)", all.len());
        let mut mean = Vec::new();
        for (i, r) in all[0].iter().enumerate() {
            let n = all.len() as f64;
            let avg = |f: &dyn Fn(&Row) -> f64| all.iter().map(|rows| f(&rows[i])).sum::<f64>() / n;
            mean.push(Row {
                name: r.name.clone(),
                ms: avg(&|r| r.ms),
                bytes: avg(&|r| r.bytes as f64).round() as usize,
                psnr: avg(&|r| r.psnr),
                ssim: avg(&|r| r.ssim),
                dssim: avg(&|r| r.dssim),
            });
        }
        print_rows(&mean);
    }
}

fn print_rows(rows: &[Row]) {
    println!(
        "| {:<38} | {:>9} | {:>9} | {:>7} | {:>7} | {:>8} |",
        "candidate", "ms", "bytes", "PSNR dB", "SSIM", "DSSIM"
    );
    println!("| {:-<38} | {:->9} | {:->9} | {:->7} | {:->7} | {:->8} |", "", "", "", "", "", "");
    for r in rows {
        println!(
            "| {:<38} | {:>9.1} | {:>9} | {:>7.2} | {:>7.4} | {:>8.5} |",
            r.name, r.ms, r.bytes, r.psnr, r.ssim, r.dssim
        );
    }
    println!();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// Runs `f` `runs` times; the median time in ms and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    (median(times), last.expect("at least one run"))
}

fn decode(path: &Path) -> RgbImage {
    let reader = ImageReader::open(path).expect("open").with_guessed_format().expect("read");
    let mut decoder = reader.into_decoder().expect("decoder");
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).expect("decode");
    image.apply_orientation(orientation);
    image.into_rgb8()
}

fn measure(photo: &Path, args: &Args) -> Vec<Row> {
    let original = decode(photo);
    let (w0, h0) = original.dimensions();
    let w = args.width;
    let h = ((h0 as f64) * (w as f64) / (w0 as f64)).round() as u32;
    let stem = photo.file_stem().unwrap().to_string_lossy().into_owned();
    let mut rows = Vec::new();

    // Resize.
    let source = DynamicImage::ImageRgb8(original);
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let (ms_fir, fir) = timed(args.runs, || {
        let mut out = DynamicImage::new(w, h, source.color());
        resizer.resize(&source, &mut out, &options).expect("resize");
        out.into_rgb8()
    });
    let rgb_source = source.as_rgb8().expect("rgb");
    let (ms_img, img) = timed(args.runs, || {
        image::imageops::resize(rgb_source, w, h, image::imageops::FilterType::Lanczos3)
    });
    // Each resize measured against the other (the same numbers both ways).
    let q = Quality::new(&fir);
    let (psnr, ssim, dssim) = q.compare(&img);
    rows.push(Row { name: format!("resize fast_image_resize L3 {w}x{h}"), ms: ms_fir, bytes: 0, psnr, ssim, dssim });
    rows.push(Row { name: "resize image::imageops L3 (vs fir)".into(), ms: ms_img, bytes: 0, psnr, ssim, dssim });
    drop(source);

    let reference = &fir;
    let raw = reference.as_raw();

    // WebP, lossy, libwebp.
    for quality in [60.0f32, 74.0, 80.0, 90.0] {
        let (ms, bytes) = timed(args.runs, || webp::Encoder::from_rgb(raw, w, h).encode(quality).to_vec());
        let back = libwebp_decode(&bytes);
        let (psnr, ssim, dssim) = q.compare(&back);
        std::fs::write(args.out.join(format!("{stem}-webp-q{quality}.webp")), &bytes).ok();
        rows.push(Row { name: format!("webp (libwebp) lossy q{quality}"), ms, bytes: bytes.len(), psnr, ssim, dssim });
    }

    // WebP, lossless, image's own encoder.
    let (ms, bytes) = timed(args.runs, || {
        let mut out = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut out)
            .write_image(raw, w, h, image::ExtendedColorType::Rgb8)
            .expect("webp lossless");
        out
    });
    let back = libwebp_decode(&bytes);
    let (psnr, ssim, dssim) = q.compare(&back);
    rows.push(Row { name: "image WebPEncoder lossless".into(), ms, bytes: bytes.len(), psnr, ssim, dssim });

    // AVIF, ravif (rav1e), default speed, one thread.
    let pixels: Vec<rgb::RGB8> = raw.chunks_exact(3).map(|p| rgb::RGB8::new(p[0], p[1], p[2])).collect();
    let asm = if cfg!(feature = "asm") { "asm" } else { "no asm" };
    for (quality, speed) in [(60.0f32, 5u8), (70.0, 5), (80.0, 5), (70.0, 8), (70.0, 10)] {
        let encoder = ravif::Encoder::new().with_quality(quality).with_speed(speed).with_num_threads(Some(1));
        let (ms, bytes) = timed(args.runs, || {
            encoder
                .encode_rgb(imgref::Img::new(pixels.as_slice(), w as usize, h as usize))
                .expect("avif")
                .avif_file
        });
        let path = args.out.join(format!("{stem}-avif-q{quality}-s{speed}.avif"));
        std::fs::write(&path, &bytes).expect("write avif");
        let back = avifdec(&path);
        let (psnr, ssim, dssim) = q.compare(&back);
        let default = if speed == 5 { " (default)" } else { "" };
        rows.push(Row { name: format!("ravif q{quality} speed {speed}{default}, {asm}"), ms, bytes: bytes.len(), psnr, ssim, dssim });
    }

    // JPEG.
    let (ms, bytes) = timed(args.runs, || {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(reference)
            .expect("jpeg");
        out
    });
    jpeg_row(&mut rows, &q, "image JpegEncoder q80", ms, bytes);

    let (ms, bytes) = timed(args.runs, || {
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 80)
            .encode(raw, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
            .expect("jpeg-encoder");
        out
    });
    jpeg_row(&mut rows, &q, "jpeg-encoder q80", ms, bytes);

    let (ms, bytes) = timed(args.runs, || {
        let mut out = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut out, 80);
        e.set_optimized_huffman_tables(true);
        e.encode(raw, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).expect("jpeg-encoder");
        out
    });
    jpeg_row(&mut rows, &q, "jpeg-encoder q80 optimized Huffman", ms, bytes);

    let (ms, bytes) = timed(args.runs, || mozjpeg_encode(raw, w, h, 80.0));
    jpeg_row(&mut rows, &q, "mozjpeg q80 (defaults: progressive)", ms, bytes);

    rows
}

fn jpeg_row(rows: &mut Vec<Row>, q: &Quality, name: &str, ms: f64, bytes: Vec<u8>) {
    // Decoded with libjpeg-turbo (through mozjpeg's decoder), as a browser
    // would; `image`'s decoder (zune-jpeg) is checked against it.
    let back = libjpeg_decode(&bytes);
    let zune = image::load_from_memory(&bytes).expect("jpeg decodes").into_rgb8();
    let (agree, _, _) = Quality::new(&back).compare(&zune);
    if agree < 40.0 {
        println!("note: {name}: image's JPEG decoder disagrees with libjpeg-turbo (PSNR {agree:.1} dB between them)");
    }
    let (psnr, ssim, dssim) = q.compare(&back);
    rows.push(Row { name: name.into(), ms, bytes: bytes.len(), psnr, ssim, dssim });
}

fn libjpeg_decode(bytes: &[u8]) -> RgbImage {
    let mut started = mozjpeg::Decompress::new_mem(bytes).expect("libjpeg header").rgb().expect("libjpeg rgb");
    let (w, h) = (started.width() as u32, started.height() as u32);
    let raw = started.read_scanlines::<u8>().expect("libjpeg scanlines");
    started.finish().expect("libjpeg finish");
    RgbImage::from_raw(w, h, raw).expect("libjpeg size")
}

/// Decoded with libwebp, as a browser would.
fn libwebp_decode(bytes: &[u8]) -> RgbImage {
    let image = webp::Decoder::new(bytes).decode().expect("libwebp decodes");
    assert!(!image.is_alpha());
    RgbImage::from_raw(image.width(), image.height(), image.to_vec()).expect("libwebp size")
}

fn mozjpeg_encode(raw: &[u8], w: u32, h: u32, quality: f32) -> Vec<u8> {
    let mut comp = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    comp.set_size(w as usize, h as usize);
    comp.set_quality(quality);
    let mut started = comp.start_compress(Vec::new()).expect("mozjpeg start");
    started.write_scanlines(raw).expect("mozjpeg scanlines");
    started.finish().expect("mozjpeg finish")
}

fn avifdec(path: &Path) -> RgbImage {
    let png = path.with_extension("png");
    let status = Command::new("avifdec").arg(path).arg(&png).output().expect("avifdec (apt-get install libavif-bin)");
    assert!(status.status.success(), "avifdec failed: {}", String::from_utf8_lossy(&status.stderr));
    let image = image::open(&png).expect("decoded png").into_rgb8();
    std::fs::remove_file(&png).ok();
    image
}

/// The reference pixels, prepared once for the comparisons.
struct Quality<'a> {
    reference: &'a RgbImage,
    luma: Vec<f64>,
    dssim: dssim_core::Dssim,
    dssim_ref: dssim_core::DssimImage<f32>,
}

impl<'a> Quality<'a> {
    fn new(reference: &'a RgbImage) -> Self {
        let dssim = dssim_core::Dssim::new();
        let dssim_ref = dssim
            .create_image_rgb(rgb_slice(reference), reference.width() as usize, reference.height() as usize)
            .expect("dssim image");
        Quality { reference, luma: luma(reference), dssim, dssim_ref }
    }

    /// PSNR (dB, RGB), SSIM (luma), DSSIM of `other` against the reference.
    fn compare(&self, other: &RgbImage) -> (f64, f64, f64) {
        assert_eq!(self.reference.dimensions(), other.dimensions());
        let mse = self
            .reference
            .as_raw()
            .iter()
            .zip(other.as_raw())
            .map(|(&a, &b)| {
                let d = a as f64 - b as f64;
                d * d
            })
            .sum::<f64>()
            / self.reference.as_raw().len() as f64;
        let psnr = if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0f64 * 255.0 / mse).log10() };
        let (w, h) = (other.width() as usize, other.height() as usize);
        let ssim = ssim(&self.luma, &luma(other), w, h);
        let img = self.dssim.create_image_rgb(rgb_slice(other), w, h).expect("dssim image");
        let (dssim, _) = self.dssim.compare(&self.dssim_ref, img);
        (psnr, ssim, f64::from(dssim))
    }
}

fn rgb_slice(image: &RgbImage) -> &[rgb::RGB8] {
    // RGB8 is #[repr(C)] of three u8.
    let raw = image.as_raw();
    unsafe { std::slice::from_raw_parts(raw.as_ptr().cast::<rgb::RGB8>(), raw.len() / 3) }
}

/// BT.601 luma, 0–255.
fn luma(image: &RgbImage) -> Vec<f64> {
    image
        .pixels()
        .map(|p| 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64)
        .collect()
}

/// Mean SSIM (Wang et al. 2004): 11×11 Gaussian window (σ 1.5), K1 0.01,
/// K2 0.03, over the positions where the window fits.
fn ssim(x: &[f64], y: &[f64], w: usize, h: usize) -> f64 {
    const R: usize = 5;
    let kernel: Vec<f64> = {
        let k: Vec<f64> = (0..=2 * R).map(|i| (-((i as f64 - R as f64).powi(2)) / (2.0 * 1.5 * 1.5)).exp()).collect();
        let s: f64 = k.iter().sum();
        k.into_iter().map(|v| v / s).collect()
    };
    let blur = |f: &dyn Fn(usize) -> f64| -> Vec<f64> {
        // Horizontal pass over valid columns, then vertical over valid rows.
        let ow = w - 2 * R;
        let oh = h - 2 * R;
        let mut tmp = vec![0.0; ow * h];
        for row in 0..h {
            for c in 0..ow {
                let mut s = 0.0;
                for (k, kv) in kernel.iter().enumerate() {
                    s += kv * f(row * w + c + k);
                }
                tmp[row * ow + c] = s;
            }
        }
        let mut out = vec![0.0; ow * oh];
        for row in 0..oh {
            for c in 0..ow {
                let mut s = 0.0;
                for (k, kv) in kernel.iter().enumerate() {
                    s += kv * tmp[(row + k) * ow + c];
                }
                out[row * ow + c] = s;
            }
        }
        out
    };
    let mx = blur(&|i| x[i]);
    let my = blur(&|i| y[i]);
    let xx = blur(&|i| x[i] * x[i]);
    let yy = blur(&|i| y[i] * y[i]);
    let xy = blur(&|i| x[i] * y[i]);
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let n = mx.len();
    let mut sum = 0.0;
    for i in 0..n {
        let (ux, uy) = (mx[i], my[i]);
        let vx = xx[i] - ux * ux;
        let vy = yy[i] - uy * uy;
        let cxy = xy[i] - ux * uy;
        sum += ((2.0 * ux * uy + c1) * (2.0 * cxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
    sum / n as f64
}
