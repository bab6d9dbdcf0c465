//! Markdown to HTML with pulldown-cmark, plus what a bilingual report needs:
//! `{{ metric:ID }}` values in the page's language, `![caption](chart:ID)`
//! figures, soft breaks dropped between CJK characters, stable heading ids
//! and footnote ids unique on a page.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd, TextMergeStream};

use crate::html as page_html;
use crate::model::scan::{is_safe_url, options, url_scheme};

/// What the Markdown renderer needs to know about the page it renders for.
pub struct Context<'a> {
    /// Resolves a metric reference (id, filter) to its text in the page's language.
    pub metric: &'a dyn Fn(&str, Option<&str>) -> Option<String>,
    /// Turns an image alone in its paragraph into a `<figure>` (a chart,
    /// a photo); `None` leaves it an image.
    pub figure: &'a dyn Fn(&FigureRequest<'_>) -> Option<String>,
    /// The URL an image of the page is published at, when it is not
    /// published as written (a photo beside the chapter becomes
    /// `photos/<hash>-960.jpg`); `None` keeps the URL.
    pub image: &'a dyn Fn(&str) -> Option<String>,
    /// Prefix that makes footnote ids unique on the page (the section slug).
    pub id_prefix: &'a str,
    /// Ids already used on the page; new ids are added.
    pub ids: &'a mut Ids,
    /// The smallest heading level the body may use (3 inside a section).
    pub min_heading: u8,
    /// Requested anchor (`{#id}`, heading slug, section slug) → the id it
    /// got on this page. Shared by the bodies of one chapter, so an in-page
    /// link `#id` points at the chapter's own heading even when the page
    /// (the whole-report view) holds several chapters with the same ids.
    pub anchors: &'a mut BTreeMap<String, String>,
    /// Prefix for relative link and image URLs (`../slug/` when a chapter's
    /// text is shown on another page), "" to keep them as written.
    pub link_base: &'a str,
    /// Accessible name of the scrolling box around each table ("Table").
    pub table_label: &'a str,
}

/// An image alone in its paragraph: `![caption](chart:ID)`,
/// `![](photo:ID)`, `![alt](team.jpg "caption")`.
pub struct FigureRequest<'a> {
    /// The image's URL (a published photo's URL by then).
    pub target: &'a str,
    /// Its text as HTML (a chart's caption).
    pub inner_html: &'a str,
    /// Its text as plain text (a photo's alt text).
    pub inner_text: &'a str,
    /// Its title (a photo's caption).
    pub title: &'a str,
}

/// A heading of the rendered body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 2..=6 after shifting.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Plain text.
    pub text: String,
}

/// Rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Fragments of `#id` links that named no anchor yet when rendered (a
    /// heading further on in the chapter): see [`fix_fragments`].
    pub unresolved: Vec<String>,
    /// The body's links as the page holds them and where they are
    /// written, so that a broken one is reported there.
    pub links: Vec<BodyLink>,
}

/// A URL of a body (a link, an image or a raw-HTML `href`/`src`): as the
/// page holds it, and where the body has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// The URL as the page holds it, character references decoded.
    pub href: String,
    /// The URL as written, when the page holds another form (rebased, or
    /// percent-encoded).
    pub source: Option<String>,
    /// Byte offset of the URL in the body.
    pub offset: usize,
    /// Written in raw HTML.
    pub raw_html: bool,
}

/// The `href` value pulldown-cmark writes for `url`.
fn written_href(url: &str) -> String {
    let mut html = String::new();
    let link = Tag::Link {
        link_type: pulldown_cmark::LinkType::Inline,
        dest_url: CowStr::from(url.to_string()),
        title: CowStr::Borrowed(""),
        id: CowStr::Borrowed(""),
    };
    pulldown_cmark::html::push_html(
        &mut html,
        [Event::Start(link), Event::End(TagEnd::Link)].into_iter(),
    );
    html.split('"').nth(1).unwrap_or_default().to_string()
}

/// Points the `#id` links a body left unresolved at the ids the anchors got
/// once the whole chapter was rendered.
pub fn fix_fragments(html: &mut String, unresolved: &[String], anchors: &BTreeMap<String, String>) {
    for fragment in unresolved {
        let Some(id) = anchors.get(fragment).filter(|id| *id != fragment) else {
            continue;
        };
        let from = format!("href=\"{}\"", written_href(&format!("#{fragment}")));
        let to = format!("href=\"{}\"", written_href(&format!("#{id}")));
        *html = html.replace(&from, &to);
    }
}

/// Renders a Markdown body to HTML.
pub fn render(body: &str, ctx: &mut Context<'_>) -> Html {
    let parser = Parser::new_ext(body, options());
    let mut spots = Spots::new(body, &parser);
    let events: Vec<Event<'_>> =
        TextMergeStream::new(parser.into_offset_iter().map(|(event, range)| {
            spots.note(&event, &range);
            event
        }))
        .collect();
    let mut html = render_events(events, body.len(), &spots.urls, ctx);
    html.links.extend(spots.raw);
    html.links.sort_by_key(|l| l.offset);
    html
}

/// `urls` holds the offset of each link's URL in event order: the passes
/// before `rewrite_links` change links but never add or remove one.
fn render_events<'a>(
    mut events: Vec<Event<'a>>,
    size: usize,
    urls: &[usize],
    ctx: &mut Context<'_>,
) -> Html {
    drop_cjk_soft_breaks(&mut events);
    substitute_metrics(&mut events, ctx);
    let headings = assign_heading_ids(&mut events, ctx);
    number_footnotes(&mut events, ctx);
    let (unresolved, links) = rewrite_links(&mut events, urls, ctx);
    let events = replace_figure_paragraphs(events, ctx);
    let mut html = String::with_capacity(size * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Html {
        html,
        headings,
        unresolved,
        links,
    }
}

/// Where a body's URLs are written, noted while it is parsed: the offset
/// of each link's and image's URL in event order, and the URLs of raw HTML.
struct Spots<'b> {
    body: &'b str,
    /// Reference definitions: lowercase label → the definition's span.
    definitions: HashMap<String, Range<usize>>,
    urls: Vec<usize>,
    raw: Vec<BodyLink>,
    /// The lines of the HTML block being read, joined (a tag may span
    /// lines), with the offset in the body where each line starts.
    block: Option<(String, Vec<(usize, usize)>)>,
}

impl<'b> Spots<'b> {
    fn new<'p>(
        body: &'b str,
        parser: &Parser<'p, pulldown_cmark::DefaultBrokenLinkCallback>,
    ) -> Self {
        let definitions = parser
            .reference_definitions()
            .iter()
            .map(|(label, def)| (label.to_lowercase(), def.span.clone()))
            .collect();
        Self {
            body,
            definitions,
            urls: Vec::new(),
            raw: Vec::new(),
            block: None,
        }
    }

    fn note(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                },
            ) => {
                let at = self.url_offset(range, *link_type, dest_url, id);
                self.urls.push(at);
            }
            Event::Start(Tag::HtmlBlock) => self.block = Some((String::new(), Vec::new())),
            Event::Html(raw) => {
                let at = self.source_of(raw, range);
                match &mut self.block {
                    Some((joined, starts)) => {
                        starts.push((joined.len(), at));
                        joined.push_str(raw);
                    }
                    None => self.raw_urls(raw, &[(0, at)]),
                }
            }
            Event::InlineHtml(raw) => self.raw_urls(raw, &[(0, self.source_of(raw, range))]),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((joined, starts)) = self.block.take() {
                    self.raw_urls(&joined, &starts);
                }
            }
            _ => {}
        }
    }

    /// Where the text of a raw-HTML event starts in the body: at its range,
    /// unless a container (a quote, a list) left markers in that range.
    fn source_of(&self, raw: &str, range: &Range<usize>) -> usize {
        match self.body.get(range.clone()) {
            Some(text) if text.starts_with(raw) => range.start,
            Some(text) => text.find(raw).map_or(range.start, |i| range.start + i),
            None => range.start,
        }
    }

    /// The `href`/`src` values of raw HTML; `starts` maps offsets in `raw`
    /// (ascending) to offsets in the body.
    fn raw_urls(&mut self, raw: &str, starts: &[(usize, usize)]) {
        for link in page_html::scan(raw).links {
            let (from, at) = starts
                .iter()
                .rev()
                .find(|(from, _)| *from <= link.offset)
                .copied()
                .unwrap_or((0, 0));
            if is_site_url(&link.value) {
                self.raw.push(BodyLink {
                    href: link.value.into_owned(),
                    source: None,
                    offset: at + link.offset - from,
                    raw_html: true,
                });
            }
        }
    }

    /// The offset of a link's URL: after `](` in an inline link, in the
    /// definition `[label]: URL` of a reference link, else the link's start.
    fn url_offset(&self, range: &Range<usize>, kind: LinkType, url: &str, id: &str) -> usize {
        let (span, after) = match kind {
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                match self.definitions.get(&id.to_lowercase()) {
                    Some(span) => (span.clone(), "]:"),
                    None => return range.start,
                }
            }
            _ => (range.clone(), "]("),
        };
        let Some(text) = self.body.get(span.clone()) else {
            return range.start;
        };
        text.rmatch_indices(after)
            .find_map(|(i, _)| {
                let rest = &text[i + after.len()..];
                let trimmed = rest.trim_start().trim_start_matches('<');
                trimmed
                    .starts_with(url)
                    .then(|| span.start + i + after.len() + rest.len() - trimmed.len())
            })
            .unwrap_or(range.start)
    }
}

/// True for a URL the link check follows: relative, rooted, or http(s)
/// (a same-host address is checked too); not `mailto:`, `chart:` and the like.
fn is_site_url(url: &str) -> bool {
    url_scheme(url).is_none_or(|s| s == "http" || s == "https")
}

/// A link's URL as the page holds it once the attribute is read back:
/// pulldown-cmark percent-encodes some characters.
fn page_form(url: &str) -> Option<String> {
    // Everything but controls, space, `"<>[\]`{|}` and non-ASCII is written as it is.
    let as_is = url
        .bytes()
        .all(|b| b.is_ascii_graphic() && !br#""<>[\]`{|}"#.contains(&b));
    (!as_is).then(|| page_html::decode_entities(&written_href(url)).into_owned())
}

/// Renders a one-line Markdown string (a summary from front matter) to
/// inline HTML. Unlike a body, it is not trusted with raw HTML: tags in it
/// are shown as written, and links or images whose URL could run script
/// (anything but http, https, mailto and relative URLs) keep only their text.
pub fn render_inline(text: &str, ctx: &mut Context<'_>) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(text, options())
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
        .collect();
    let events = without_unsafe_links(events);
    let events: Vec<Event<'_>> = TextMergeStream::new(events.into_iter()).collect();
    let html = render_events(events, text.len(), &[], ctx).html;
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

/// Drops the tags of links and images with an unsafe URL, keeping their
/// text (an image's text is its alt text).
fn without_unsafe_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut dropped = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let unsafe_url = !is_safe_url(dest_url);
                dropped.push(unsafe_url);
                if unsafe_url {
                    continue;
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) if dropped.pop().unwrap_or(false) => {
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

use crate::model::lang::is_cjk;
use crate::model::number::capitalised;

fn edge_char(event: &Event<'_>, last: bool) -> Option<char> {
    let text = match event {
        Event::Text(t) | Event::Code(t) => t,
        _ => return None,
    };
    if last {
        text.chars().next_back()
    } else {
        text.chars().next()
    }
}

/// Inline markup that a line break may sit next to without separating words.
fn is_inline_boundary(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

fn neighbour_char(events: &[Event<'_>], index: usize, backwards: bool) -> Option<char> {
    let mut i = index;
    loop {
        i = if backwards { i.checked_sub(1)? } else { i + 1 };
        let event = events.get(i)?;
        if let Some(c) = edge_char(event, backwards) {
            return Some(c);
        }
        if !is_inline_boundary(event) {
            return None;
        }
    }
}

fn drop_cjk_soft_breaks(events: &mut [Event<'_>]) {
    for i in 0..events.len() {
        if !matches!(events[i], Event::SoftBreak) {
            continue;
        }
        let before = neighbour_char(events, i, true);
        let after = neighbour_char(events, i, false);
        if before.is_some_and(is_cjk) && after.is_some_and(is_cjk) {
            events[i] = Event::Text(CowStr::Borrowed(""));
        }
    }
}

fn substitute_metrics(events: &mut [Event<'_>], ctx: &Context<'_>) {
    let mut in_code = false;
    // A text that opens a paragraph, heading or list item opens a sentence.
    let mut opens_block = false;
    for event in events.iter_mut() {
        let opens = opens_block;
        opens_block = false;
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item) => opens_block = true,
            Event::Text(text) if !in_code && text.contains("{{") => {
                let replaced = replace_placeholders(text, opens, ctx);
                *event = Event::Text(CowStr::from(replaced));
            }
            _ => {}
        }
    }
}

/// True when a value written after `before` opens a sentence: at the start
/// of a block, or after a full stop, question or exclamation mark and a
/// space.
fn opens_sentence(before: &str, opens_block: bool) -> bool {
    let trimmed = before.trim_end();
    if trimmed.is_empty() {
        return opens_block;
    }
    trimmed.len() < before.len() && trimmed.ends_with(['.', '!', '?'])
}

/// Replaces each `{{ metric:ID }}` in `text`; unknown references are left
/// as written (the build reports them from `scan_references`).
fn replace_placeholders(text: &str, opens_block: bool, ctx: &Context<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = rest[start + 2..start + len].trim();
        let (head, filter) = match inner.split_once('|') {
            Some((h, f)) => (h.trim(), Some(f.trim())),
            None => (inner, None),
        };
        let value = head
            .strip_prefix("metric:")
            .and_then(|id| (ctx.metric)(id.trim(), filter));
        match value {
            // "Over 1,200 volunteers…", "Plus de 1 200 bénévoles…".
            Some(v) if opens_sentence(&out, opens_block) => out.push_str(&capitalised(&v)),
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// A URL-fragment-friendly id from heading text: lowercase letters, digits
/// and CJK characters, other runs become `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// The ids used on a page, and for each requested id the next suffix to
/// try, so the thousandth `overview` on a page costs what the first did.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    /// True when `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.used.contains(id)
    }
}

impl FromIterator<String> for Ids {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Self {
            used: iter.into_iter().collect(),
            next: HashMap::new(),
        }
    }
}

/// Returns `id`, or `id-2`, `id-3`… (the first one free) so that it is
/// unique on the page, and marks it used.
pub fn unique_id(id: &str, ids: &mut Ids) -> String {
    if ids.used.insert(id.to_string()) {
        return id.to_string();
    }
    let n = ids.next.entry(id.to_string()).or_insert(2);
    loop {
        let candidate = format!("{id}-{n}");
        *n += 1;
        if ids.used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn shifted(level: HeadingLevel, min: u8) -> HeadingLevel {
    // `#` and `##` both map to the smallest allowed level, so authors can
    // write `##` inside a section and the page outline stays valid.
    let n = (level as u8 + min.saturating_sub(2)).clamp(min, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

fn assign_heading_ids(events: &mut [Event<'_>], ctx: &mut Context<'_>) -> Vec<Heading> {
    let mut headings = Vec::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            continue;
        };
        let text = heading_text(&events[i + 1..]);
        let base = id
            .as_ref()
            .map_or_else(|| slugify(&text), |id| id.to_string());
        let new_id = unique_id(&base, ctx.ids);
        ctx.anchors.entry(base).or_insert_with(|| new_id.clone());
        let new_level = shifted(*level, ctx.min_heading);
        if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[i] {
            *level = new_level;
            *id = Some(CowStr::from(new_id.clone()));
        }
        headings.push(Heading {
            level: new_level as u8,
            id: new_id,
            text,
        });
    }
    for event in events.iter_mut() {
        if let Event::End(TagEnd::Heading(level)) = event {
            *level = shifted(*level, ctx.min_heading);
        }
    }
    headings
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

fn footnote_id(prefix: &str, label: &str) -> String {
    format!("fn-{prefix}-{}", slugify(label))
}

/// A footnote of one body: its number, its id, and the id of its first
/// reference (the target of the back link).
struct Note {
    number: usize,
    id: String,
    back: Option<String>,
}

/// Numbers footnotes in order of first mention and gives every footnote
/// and every reference an id unique on the page (a note referred to twice
/// gets two reference ids; its back link goes to the first).
fn number_footnotes(events: &mut [Event<'_>], ctx: &mut Context<'_>) {
    let mut notes: BTreeMap<String, Note> = BTreeMap::new();
    for event in events.iter() {
        let (Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))) =
            event
        else {
            continue;
        };
        if !notes.contains_key(label.as_ref()) {
            let note = Note {
                number: notes.len() + 1,
                id: unique_id(&footnote_id(ctx.id_prefix, label), ctx.ids),
                back: None,
            };
            notes.insert(label.to_string(), note);
        }
    }
    // References first, so a definition written above them still links back.
    for event in events.iter_mut() {
        let Event::FootnoteReference(label) = event else {
            continue;
        };
        let Some(note) = notes.get_mut(label.as_ref()) else {
            continue;
        };
        let ref_id = unique_id(&format!("ref-{}", note.id), ctx.ids);
        let html = format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{ref_id}\">{}</a></sup>",
            note.id, note.number
        );
        note.back.get_or_insert(ref_id);
        *event = Event::Html(CowStr::from(html));
    }
    for event in events.iter_mut() {
        let html = match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let Some(note) = notes.get(label.as_ref()) else {
                    continue;
                };
                match &note.back {
                    Some(back) => format!(
                        "<div class=\"footnote\" id=\"{}\"><a class=\"footnote-label\" href=\"#{back}\">{}</a>",
                        note.id, note.number
                    ),
                    None => format!(
                        "<div class=\"footnote\" id=\"{}\"><span class=\"footnote-label\">{}</span>",
                        note.id, note.number
                    ),
                }
            }
            Event::End(TagEnd::FootnoteDefinition) => "</div>".to_string(),
            _ => continue,
        };
        *event = Event::Html(CowStr::from(html));
    }
}

/// True for a URL relative to the page: no scheme, not rooted, not a fragment.
fn is_relative_url(url: &str) -> bool {
    if url.is_empty() || url.starts_with(['/', '#', '?']) {
        return false;
    }
    let first_delimiter = url.find(['/', '?', '#']).unwrap_or(url.len());
    !url[..first_delimiter].contains(':')
}

/// Points `#id` links at the id the anchor got on this page, and rebases
/// relative URLs with `link_base`. Returns the fragments with no anchor
/// yet, and each link's URL as the page holds it with its offset from
/// `urls` (the n-th link's; none for a text without offsets).
fn rewrite_links(
    events: &mut [Event<'_>],
    urls: &[usize],
    ctx: &Context<'_>,
) -> (Vec<String>, Vec<BodyLink>) {
    let mut unresolved = Vec::new();
    let mut links = Vec::new();
    let mut urls = urls.iter();
    for event in events.iter_mut() {
        let event_is_image = matches!(event, Event::Start(Tag::Image { .. }));
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        let offset = urls.next();
        let new = if let Some(fragment) = dest_url.strip_prefix('#') {
            match ctx.anchors.get(fragment) {
                Some(id) if id != fragment => Some(format!("#{id}")),
                Some(_) => None,
                None => {
                    unresolved.push(fragment.to_string());
                    None
                }
            }
        } else if let Some(published) = image_url(event_is_image, dest_url, ctx) {
            Some(published)
        } else if !ctx.link_base.is_empty() && is_relative_url(dest_url) {
            Some(format!("{}{dest_url}", ctx.link_base))
        } else {
            None
        };
        if let Some(&offset) = offset.filter(|_| is_site_url(dest_url)) {
            let shown = new.as_deref().unwrap_or(dest_url);
            let escaped = page_form(shown);
            let changed = new.is_some() || escaped.is_some();
            links.push(BodyLink {
                href: escaped.unwrap_or_else(|| shown.to_string()),
                source: changed.then(|| dest_url.to_string()),
                offset,
                raw_html: false,
            });
        }
        if let Some(new) = new {
            *dest_url = CowStr::from(new);
        }
    }
    (unresolved, links)
}

/// Charts become figures; tables get a box that scrolls sideways on
/// narrow screens (focusable and named, so keyboard users can scroll it).
fn replace_figure_paragraphs<'a>(events: Vec<Event<'a>>, ctx: &Context<'_>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Table(_))) {
            out.push(Event::Html(CowStr::from(format!(
                "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                crate::render::html_escape(ctx.table_label)
            ))));
        }
        if matches!(events[i], Event::End(TagEnd::Table)) {
            out.push(events[i].clone());
            out.push(Event::Html(CowStr::from("</div>\n")));
            i += 1;
            continue;
        }
        if let Some((figure, consumed)) = figure_paragraph(&events[i..], ctx) {
            out.push(Event::Html(CowStr::from(figure)));
            i += consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// The published URL of an image the page shows (not of a link).
fn image_url(is_image: bool, dest_url: &str, ctx: &Context<'_>) -> Option<String> {
    is_image
        .then(|| is_relative_url(dest_url))
        .filter(|relative| *relative)
        .and_then(|_| (ctx.image)(dest_url))
}

/// Paragraph, image, its text, end image, end paragraph → figure, when the
/// page makes one of that image.
fn figure_paragraph(events: &[Event<'_>], ctx: &Context<'_>) -> Option<(String, usize)> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        ..,
    ] = events
    else {
        return None;
    };
    let end_image = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Image)))?;
    if !matches!(
        events.get(end_image + 1),
        Some(Event::End(TagEnd::Paragraph))
    ) {
        return None;
    }
    let inner = &events[2..end_image];
    let mut inner_html = String::new();
    pulldown_cmark::html::push_html(&mut inner_html, inner.iter().cloned());
    let inner_text: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            Event::SoftBreak | Event::HardBreak => Some(" "),
            _ => None,
        })
        .collect();
    let request = FigureRequest {
        target: dest_url,
        inner_html: &inner_html,
        inner_text: &inner_text,
        title,
    };
    let figure = (ctx.figure)(&request)?;
    Some((figure, end_image + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(body: &str) -> Html {
        render_with(body, &mut Ids::default(), &mut BTreeMap::new(), "")
    }

    fn render_with(
        body: &str,
        ids: &mut Ids,
        anchors: &mut BTreeMap<String, String>,
        link_base: &str,
    ) -> Html {
        let metric = |id: &str, filter: Option<&str>| match (id, filter) {
            ("a", None) => Some("25362万元".to_string()),
            ("a", Some("number")) => Some("25362万".to_string()),
            ("x", None) => Some("<b>".to_string()),
            _ => None,
        };
        let figure = |req: &FigureRequest<'_>| {
            (req.target == "chart:c").then(|| format!("<figure>{}</figure>", req.inner_html))
        };
        let image = |url: &str| (url == "team.jpg").then(|| "../photos/h-960.jpg".to_string());
        let mut ctx = Context {
            metric: &metric,
            figure: &figure,
            image: &image,
            id_prefix: "s1",
            ids,
            min_heading: 3,
            anchors,
            link_base,
            table_label: "Table",
        };
        render(body, &mut ctx)
    }

    fn render_summary(text: &str) -> String {
        let metric = |_: &str, _: Option<&str>| None;
        let figure = |_: &FigureRequest<'_>| None;
        let image = |_: &str| None;
        let (mut ids, mut anchors) = (Ids::default(), BTreeMap::new());
        let mut ctx = Context {
            metric: &metric,
            figure: &figure,
            image: &image,
            id_prefix: "summary",
            ids: &mut ids,
            min_heading: 3,
            anchors: &mut anchors,
            link_base: "",
            table_label: "Table",
        };
        render_inline(text, &mut ctx)
    }

    #[test]
    fn summaries_keep_only_safe_links() {
        for text in [
            "[s](javascript:alert(3))",
            "[s](JavaScript:alert(3))",
            "[s](java\tscript:alert(3))",
            "[s](jav&#x61;script:alert(3))",
            "[s](vbscript:x)",
            "[s](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(3)>",
            "![s](javascript:alert(3))",
            "[s][r]\n\n[r]: javascript:alert(3)",
        ] {
            let html = render_summary(text);
            let lower = html.to_ascii_lowercase();
            assert!(
                !lower.contains("href") && !lower.contains("src="),
                "{text} → {html}"
            );
        }
        assert_eq!(
            render_summary("[a](https://x.org) [b](mailto:a@b.c) [c](../d/)"),
            "<a href=\"https://x.org\">a</a> <a href=\"mailto:a@b.c\">b</a> <a href=\"../d/\">c</a>"
        );
        assert_eq!(render_summary("[s](javascript:x)"), "s");
    }

    #[test]
    fn cjk_soft_breaks_vanish() {
        assert_eq!(render_plain("红十字\n会").html, "<p>红十字会</p>\n");
        assert_eq!(render_plain("救助，\n发放").html, "<p>救助，发放</p>\n");
        assert_eq!(
            render_plain("红十字\n*会*").html,
            "<p>红十字<em>会</em></p>\n"
        );
        assert_eq!(render_plain("Red\nCross").html, "<p>Red\nCross</p>\n");
        assert_eq!(render_plain("红十字\nRed").html, "<p>红十字\nRed</p>\n");
        assert_eq!(render_plain("한국\n어").html, "<p>한국\n어</p>\n");
    }

    #[test]
    fn metrics_are_substituted_and_escaped() {
        assert_eq!(
            render_plain("募集{{ metric:a }}。").html,
            "<p>募集25362万元。</p>\n"
        );
        assert_eq!(render_plain("{{metric:a|number}}").html, "<p>25362万</p>\n");
        assert_eq!(render_plain("{{ metric:x }}").html, "<p>&lt;b&gt;</p>\n");
        assert_eq!(
            render_plain("`{{ metric:a }}`").html,
            "<p><code>{{ metric:a }}</code></p>\n"
        );
        assert_eq!(
            render_plain("{{ metric:zz }}").html,
            "<p>{{ metric:zz }}</p>\n"
        );
    }

    #[test]
    fn charts_become_figures() {
        assert_eq!(
            render_plain("![去向 *图*](chart:c)").html,
            "<figure>去向 <em>图</em></figure>"
        );
        let refs = crate::model::scan::scan_references(
            "text ![x](chart:c) more\n\n![y](chart:d)\n{{ metric:a | change }}",
        );
        assert_eq!(refs.len(), 3);
        assert!(refs[0].inline && !refs[1].inline);
        assert_eq!(refs[2].filter.as_deref(), Some("change"));
        assert_eq!(refs[1].id, "d");
    }

    #[test]
    fn headings_get_unique_shifted_ids() {
        let out = render_plain("## Overview\n\n## Overview {#own}\n\n### 救护 培训\n");
        assert!(out.html.contains("<h3 id=\"overview\">"), "{}", out.html);
        assert!(out.html.contains("<h3 id=\"own\">"));
        assert!(out.html.contains("<h4 id=\"救护-培训\">"));
        assert_eq!(out.headings.len(), 3);
    }

    #[test]
    fn footnotes_are_prefixed() {
        let out = render_plain("A[^1].\n\n[^1]: Note.\n");
        assert!(out.html.contains("href=\"#fn-s1-1\""), "{}", out.html);
        assert!(out.html.contains("id=\"fn-s1-1\""));
        assert!(!out.html.contains("id=\"1\""));
    }

    #[test]
    fn footnotes_referred_twice_keep_ids_unique() {
        let out = render_plain("A[^n] and B[^n].\n\n[^n]: Note.\n");
        assert!(out.html.contains("id=\"ref-fn-s1-n\""), "{}", out.html);
        assert!(out.html.contains("id=\"ref-fn-s1-n-2\""), "{}", out.html);
        assert!(out.html.contains("href=\"#ref-fn-s1-n\""), "{}", out.html);
        let unreferenced = render_plain("[^x]: Alone.\n");
        assert!(
            unreferenced
                .html
                .contains("<span class=\"footnote-label\">1</span>"),
            "{}",
            unreferenced.html
        );
    }

    #[test]
    fn bodies_sharing_a_page_get_unique_ids_and_their_own_links() {
        let mut ids = Ids::default();
        let body = "## Overview\n\nSee [above](#overview) and[^1].\n\n[^1]: Note.\n";
        let first = render_with(body, &mut ids, &mut BTreeMap::new(), "");
        let second = render_with(body, &mut ids, &mut BTreeMap::new(), "");
        assert!(
            first.html.contains("<h3 id=\"overview\">"),
            "{}",
            first.html
        );
        assert!(first.html.contains("href=\"#overview\""), "{}", first.html);
        assert!(
            second.html.contains("<h3 id=\"overview-2\">"),
            "{}",
            second.html
        );
        assert!(
            second.html.contains("href=\"#overview-2\""),
            "{}",
            second.html
        );
        assert!(second.html.contains("id=\"fn-s1-1-2\""), "{}", second.html);
        assert!(
            second.html.contains("href=\"#fn-s1-1-2\""),
            "{}",
            second.html
        );
        assert!(
            second.html.contains("href=\"#ref-fn-s1-1-2\""),
            "{}",
            second.html
        );
    }

    #[test]
    fn relative_urls_are_rebased() {
        let out = render_with(
            "[a](photo.jpg) [b](https://x.org/) [c](/abs) [d](#top) [e](mailto:a@b.c) ![i](img/p.png)",
            &mut Ids::default(),
            &mut BTreeMap::new(),
            "../relief/",
        );
        assert!(
            out.html.contains("href=\"../relief/photo.jpg\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("href=\"https://x.org/\""));
        assert!(out.html.contains("href=\"/abs\""));
        assert!(out.html.contains("href=\"#top\""));
        assert!(out.html.contains("href=\"mailto:a@b.c\""));
        assert!(
            out.html.contains("src=\"../relief/img/p.png\""),
            "{}",
            out.html
        );
    }

    #[test]
    fn links_are_noted_where_written_as_the_page_holds_them() {
        let body = "[a](../x/) ![b](<p 1.png>) [c][R] [m](mailto:a@b.c)\n\n<div>\n<img\n src=\"q.png\"></div>\n\n[r]: <#later>\n";
        let out = render_with(body, &mut Ids::default(), &mut BTreeMap::new(), "../ch/");
        let noted: Vec<_> = out
            .links
            .iter()
            .map(|l| {
                (
                    l.href.as_str(),
                    l.source.as_deref(),
                    &body[l.offset..],
                    l.raw_html,
                )
            })
            .map(|(href, source, at, raw)| (href, source, at.split(['"', ')', '>']).next(), raw))
            .collect();
        assert_eq!(
            noted,
            [
                ("../ch/../x/", Some("../x/"), Some("../x/"), false),
                ("../ch/p%201.png", Some("p 1.png"), Some("p 1.png"), false),
                ("q.png", None, Some("q.png"), true),
                ("#later", None, Some("#later"), false),
            ]
        );
    }

    #[test]
    fn tables_scroll_in_a_named_box() {
        let out = render_plain("| a | b |\n| - | - |\n| 1 | 2 |\n");
        assert!(
            out.html.starts_with("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n<table>"),
            "{}",
            out.html
        );
        assert!(
            out.html.trim_end().ends_with("</table>\n</div>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn links_to_later_headings_are_fixed_once_the_chapter_is_rendered() {
        let mut anchors = BTreeMap::new();
        let mut ids: Ids = ["später".to_string()].into_iter().collect();
        let mut first = render_with("[on](#später)\n", &mut ids, &mut anchors, "");
        assert_eq!(first.unresolved, ["später"]);
        let second = render_with("## Später\n", &mut ids, &mut anchors, "");
        assert!(second.html.contains("id=\"später-2\""), "{}", second.html);
        fix_fragments(&mut first.html, &first.unresolved, &anchors);
        assert!(
            first.html.contains("href=\"#sp%C3%A4ter-2\""),
            "{}",
            first.html
        );
    }
}
