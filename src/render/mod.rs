//! RENDER: the validated report and a theme → the list of output files.
//! Pure: nothing here touches the disk; the output stage writes.

pub mod charts;
pub mod data;
mod links;
pub mod markdown;
pub mod sink;
pub mod site;
pub mod theme;
pub mod view;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path below the output folder, `/`-separated (`en/reform/index.html`).
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Escapes text for HTML and XML text and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A short, stable fingerprint of bytes (FNV-1a, 64 bit) for cache-busting
/// file names. Not cryptographic; stable across Rust versions, unlike
/// `DefaultHasher`.
pub fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:010x}", hash >> 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_dangerous() {
        assert_eq!(
            html_escape("<script>\"a\" & 'b'"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;"
        );
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(b"body{}"), fingerprint(b"body{}"));
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
        assert_eq!(fingerprint(b"").len(), 10);
    }
}
