//! What nianbao reads from and writes into a printed PDF (with `lopdf`):
//! the page each named destination is on (Chromium writes one for every
//! `id` a link of the page points at), for the contents' page numbers; and
//! the document's metadata.

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use crate::error::Error;

/// The document information a PDF gets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The report's title in the PDF's language.
    pub title: String,
    /// The publishing organisation.
    pub author: String,
    /// The report's description or subtitle.
    pub subject: String,
    /// BCP 47 tag of the language (`zh-Hans`).
    pub lang: String,
    /// "nianbao 0.1.0".
    pub creator: String,
    /// Seconds since 1970 of the build (`SOURCE_DATE_EPOCH` when set).
    pub created: u64,
}

fn pdf_error(path: &Path, e: lopdf::Error) -> Error {
    Error::Tool(format!(
        "{}: the printed PDF could not be read: {e}",
        path.display()
    ))
}

/// Named destination → page number (1-based) of the PDF at `path`.
pub fn destinations(path: &Path) -> Result<BTreeMap<String, u32>, Error> {
    let doc = Document::load(path).map_err(|e| pdf_error(path, e))?;
    let numbers: BTreeMap<ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut found = BTreeMap::new();
    let Ok(catalog) = doc.catalog() else {
        return Ok(found);
    };
    // PDF 1.1 style: a dictionary in the catalog.
    if let Ok(dests) = catalog.get(b"Dests").and_then(|d| resolve_dict(&doc, d)) {
        for (name, dest) in dests.iter() {
            if let Some(page) = page_of(&doc, dest, &numbers) {
                found.insert(String::from_utf8_lossy(name).into_owned(), page);
            }
        }
    }
    // PDF 1.2 style: a name tree under /Names /Dests.
    if let Ok(tree) = catalog
        .get(b"Names")
        .and_then(|n| resolve_dict(&doc, n))
        .and_then(|n| n.get(b"Dests"))
        .and_then(|d| resolve_dict(&doc, d))
    {
        name_tree(&doc, tree, &numbers, &mut found, 0);
    }
    Ok(found)
}

fn resolve_dict<'a>(doc: &'a Document, object: &'a Object) -> lopdf::Result<&'a Dictionary> {
    match doc.dereference(object)?.1 {
        Object::Dictionary(d) => Ok(d),
        _ => Err(lopdf::Error::DictKey("not a dictionary".into())),
    }
}

fn name_tree(
    doc: &Document,
    node: &Dictionary,
    numbers: &BTreeMap<ObjectId, u32>,
    found: &mut BTreeMap<String, u32>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    if let Ok(Object::Array(names)) = node
        .get(b"Names")
        .and_then(|n| doc.dereference(n))
        .map(|(_, o)| o)
    {
        for pair in names.chunks(2) {
            if let [Object::String(name, _), dest] = pair
                && let Some(page) = page_of(doc, dest, numbers)
            {
                found.insert(String::from_utf8_lossy(name).into_owned(), page);
            }
        }
    }
    if let Ok(Object::Array(kids)) = node
        .get(b"Kids")
        .and_then(|n| doc.dereference(n))
        .map(|(_, o)| o)
    {
        for kid in kids {
            if let Ok(kid) = resolve_dict(doc, kid) {
                name_tree(doc, kid, numbers, found, depth + 1);
            }
        }
    }
}

/// The page a destination (`[page /XYZ …]`, or `<< /D [...] >>`) points at.
fn page_of(doc: &Document, dest: &Object, numbers: &BTreeMap<ObjectId, u32>) -> Option<u32> {
    let (_, dest) = doc.dereference(dest).ok()?;
    let array = match dest {
        Object::Array(a) => a,
        Object::Dictionary(d) => match doc.dereference(d.get(b"D").ok()?).ok()?.1 {
            Object::Array(a) => a,
            _ => return None,
        },
        _ => return None,
    };
    match array.first()? {
        Object::Reference(id) => numbers.get(id).copied(),
        _ => None,
    }
}

/// Sets the PDF's document information and language, in place.
pub fn set_metadata(path: &Path, meta: &Metadata) -> Result<(), Error> {
    let mut doc = Document::load(path).map_err(|e| pdf_error(path, e))?;
    let date = Object::string_literal(pdf_date(meta.created));
    let mut info = Dictionary::new();
    info.set("Title", text(&meta.title));
    if !meta.author.is_empty() {
        info.set("Author", text(&meta.author));
    }
    if !meta.subject.is_empty() {
        info.set("Subject", text(&meta.subject));
    }
    info.set("Creator", text(&meta.creator));
    info.set("Producer", text(&meta.creator));
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    // Chromium's own information (its clock among it) is replaced, not
    // left beside ours.
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", Object::Reference(id));
        }
    }
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.set("Lang", text(&meta.lang));
    }
    // The document's id from its content, so the same build writes the
    // same file: hashed with the id left blank, then set.
    let blank = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    doc.trailer
        .set("ID", Object::Array(vec![blank.clone(), blank]));
    let bytes = save(&mut doc, path)?;
    let hash = blake3::hash(&bytes);
    let id = Object::String(hash.as_bytes()[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let bytes = save(&mut doc, path)?;
    let temp = path.with_extension("pdf.part");
    std::fs::write(&temp, &bytes).map_err(|e| Error::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
}

fn save(doc: &mut Document, path: &Path) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| {
        Error::Tool(format!(
            "{}: the PDF could not be written: {e}",
            path.display()
        ))
    })?;
    Ok(bytes)
}

/// A PDF text string: ASCII as it is, anything else as UTF-16 with its mark.
fn text(value: &str) -> Object {
    if value.is_ascii() {
        return Object::string_literal(value);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in value.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `D:YYYYMMDDHHmmSSZ` for seconds since 1970 (UTC).
pub fn pdf_date(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The calendar date of a day count since 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_pdf_form() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_700_000_000), "D:20231114221320Z");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000Z");
    }

    #[test]
    fn text_strings() {
        assert_eq!(text("Report"), Object::string_literal("Report"));
        let Object::String(bytes, _) = text("年报") else {
            panic!("not a string")
        };
        assert_eq!(bytes, [0xFE, 0xFF, 0x5E, 0x74, 0x62, 0xA5]);
    }
}
