//! MEDIA: photos made fit for the web. A photo becomes a few widths
//! (never wider than the original) in WebP with a JPEG fallback (PNG stays
//! PNG, lossless; SVG is published as it is), a print variant for the
//! whole-report page and the PDF, and a 1200×630 link-preview image. Every
//! file is named by the original's content hash, so the names are known
//! before anything is encoded ([`Plan`]) and an unchanged photo is never
//! encoded twice ([`encode`] keeps a cache). Nothing of the original is
//! published: no pixels at full size, no EXIF, GPS, XMP or ICC block.

pub mod encode;

use crate::load::photo::{PhotoKind, Probe};

/// The widths offered to browsers, in pixels.
pub const WIDTHS: [u32; 4] = [480, 960, 1440, 2048];

/// The width of the print variant (the whole-report page and the PDF).
pub const PRINT_WIDTH: u32 = 2000;

/// The link-preview image's size (`og:image`).
pub const OG_SIZE: (u32, u32) = (1200, 630);

/// Where a photo's files go below the report's files folder.
pub const DIR: &str = "photos";

/// The files one photo becomes, and how pages refer to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The original's hash.
    pub hash: String,
    /// Its format.
    pub kind: PhotoKind,
    /// Displayed size of the original (an SVG's declared size, 0 × 0 when
    /// it declares none).
    pub width: u32,
    /// Displayed height of the original.
    pub height: u32,
    /// The widths made, smallest first.
    pub widths: Vec<u32>,
}

/// One file of a photo's [`Plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The photo at a width, in the modern format (WebP).
    Modern(u32),
    /// The photo at a width, in the format every browser reads (JPEG, or
    /// PNG for a PNG).
    Fallback(u32),
    /// The print variant.
    Print,
    /// The link-preview image, cropped to 1200×630.
    Og,
    /// An SVG, as it is.
    Original,
}

impl Plan {
    /// The plan for a probed photo.
    pub fn new(probe: &Probe) -> Self {
        if probe.kind == PhotoKind::Svg {
            return Self {
                hash: probe.hash.clone(),
                kind: probe.kind,
                width: probe.width,
                height: probe.height,
                widths: Vec::new(),
            };
        }
        let mut widths: Vec<u32> = WIDTHS
            .iter()
            .copied()
            .filter(|&w| w < probe.width)
            .collect();
        let largest = probe.width.min(WIDTHS[WIDTHS.len() - 1]);
        if !widths.contains(&largest) {
            widths.push(largest);
        }
        Self {
            hash: probe.hash.clone(),
            kind: probe.kind,
            width: probe.width,
            height: probe.height,
            widths,
        }
    }

    /// True for a photo published as it is (SVG).
    pub fn is_vector(&self) -> bool {
        self.kind == PhotoKind::Svg
    }

    /// True when the photo has a WebP variant beside its fallback.
    pub fn has_modern(&self) -> bool {
        matches!(self.kind, PhotoKind::Jpeg | PhotoKind::Webp)
    }

    /// The file the whole-report page and the PDF show: a print variant,
    /// or for a PNG (lossless, so the same pixels at the same width) the
    /// web file of that width when there is one.
    pub fn print_variant(&self) -> Variant {
        let w = self.print_width();
        if self.kind == PhotoKind::Png && self.widths.contains(&w) {
            Variant::Fallback(w)
        } else {
            Variant::Print
        }
    }

    /// Every file of the plan.
    pub fn variants(&self) -> Vec<Variant> {
        if self.is_vector() {
            return vec![Variant::Original];
        }
        let mut all = Vec::new();
        for &w in &self.widths {
            if self.has_modern() {
                all.push(Variant::Modern(w));
            }
            all.push(Variant::Fallback(w));
        }
        if self.print_variant() == Variant::Print {
            all.push(Variant::Print);
        }
        if self.kind != PhotoKind::Png {
            all.push(Variant::Og);
        }
        all
    }

    /// The file name of a variant, below [`DIR`].
    pub fn file_name(&self, variant: Variant) -> String {
        let fallback = self.fallback_ext();
        let hash = &self.hash;
        match variant {
            Variant::Modern(w) => format!("{hash}-{w}.webp"),
            Variant::Fallback(w) => format!("{hash}-{w}.{fallback}"),
            Variant::Print => format!("{hash}-print.{fallback}"),
            Variant::Og => format!("{hash}-og.jpg"),
            Variant::Original => format!("{hash}.svg"),
        }
    }

    /// The path of a variant below the report's files folder.
    pub fn path(&self, variant: Variant) -> String {
        format!("{DIR}/{}", self.file_name(variant))
    }

    fn fallback_ext(&self) -> &'static str {
        match self.kind {
            PhotoKind::Png => "png",
            _ => "jpg",
        }
    }

    /// The height of the photo at width `w`, rounded.
    pub fn height_at(&self, w: u32) -> u32 {
        if self.width == 0 {
            return 0;
        }
        let h = (u64::from(self.height) * u64::from(w) + u64::from(self.width) / 2)
            / u64::from(self.width);
        u32::try_from(h).unwrap_or(u32::MAX).max(1)
    }

    /// The width of the print variant.
    pub fn print_width(&self) -> u32 {
        self.width.min(PRINT_WIDTH)
    }

    /// The size of the link-preview image: 1200×630, or smaller for a
    /// small photo (never enlarged), same shape.
    pub fn og_size(&self) -> (u32, u32) {
        let (ow, oh) = OG_SIZE;
        let scale_w = self.width.min(ow);
        let scale_h = self.height.min(oh);
        // The largest 1200:630 box that fits in the original.
        let w = scale_w.min(
            u32::try_from(u64::from(scale_h) * u64::from(ow) / u64::from(oh)).unwrap_or(u32::MAX),
        );
        let h = u32::try_from(u64::from(w) * u64::from(oh) / u64::from(ow)).unwrap_or(u32::MAX);
        (w.max(1), h.max(1))
    }

    /// The variant a page shows by default (`src`): about 960 pixels.
    pub fn default_width(&self) -> u32 {
        self.widths
            .iter()
            .copied()
            .filter(|&w| w <= 960)
            .max()
            .or_else(|| self.widths.first().copied())
            .unwrap_or(self.width)
    }

    /// A `srcset` of one format: "prefix/photos/h-480.webp 480w, …".
    pub fn srcset(&self, prefix: &str, modern: bool) -> String {
        self.widths
            .iter()
            .map(|&w| {
                let variant = if modern {
                    Variant::Modern(w)
                } else {
                    Variant::Fallback(w)
                };
                format!("{prefix}{} {w}w", self.path(variant))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(kind: PhotoKind, width: u32, height: u32) -> Plan {
        Plan::new(&Probe {
            hash: "0123456789abcdef".into(),
            kind,
            width,
            height,
        })
    }

    #[test]
    fn never_wider_than_the_original() {
        assert_eq!(
            plan(PhotoKind::Jpeg, 4000, 3000).widths,
            [480, 960, 1440, 2048]
        );
        assert_eq!(
            plan(PhotoKind::Jpeg, 1600, 1200).widths,
            [480, 960, 1440, 1600]
        );
        assert_eq!(plan(PhotoKind::Png, 900, 600).widths, [480, 900]);
        assert_eq!(plan(PhotoKind::Jpeg, 300, 200).widths, [300]);
        assert_eq!(plan(PhotoKind::Jpeg, 960, 640).widths, [480, 960]);
    }

    #[test]
    fn names_and_sizes() {
        let p = plan(PhotoKind::Jpeg, 4000, 3000);
        assert_eq!(
            p.path(Variant::Modern(480)),
            "photos/0123456789abcdef-480.webp"
        );
        assert_eq!(p.path(Variant::Print), "photos/0123456789abcdef-print.jpg");
        assert_eq!(p.height_at(480), 360);
        assert_eq!(p.og_size(), (1200, 630));
        assert_eq!(p.default_width(), 960);
        assert_eq!(plan(PhotoKind::Jpeg, 600, 400).og_size(), (600, 315));
        let png = plan(PhotoKind::Png, 900, 600);
        assert_eq!(
            png.path(Variant::Fallback(480)),
            "photos/0123456789abcdef-480.png"
        );
        assert!(
            !png.variants()
                .iter()
                .any(|v| matches!(v, Variant::Modern(_)))
        );
        let svg = plan(PhotoKind::Svg, 0, 0);
        assert_eq!(svg.variants(), [Variant::Original]);
    }
}
