//! The link check of a site written part by part (each year of a series,
//! or a whole site in one part): the links of each part's pages are
//! resolved as soon as the part is added, against every file added so far.
//! A link to a file not added yet waits under that file's path, and is
//! resolved again when the file comes; whatever still waits at
//! [`Checker::finish`] is broken. So the check holds the site's file names,
//! the pages' anchors and the waiting links, not every link of every page,
//! and resolves each link about once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::report::{self, BrokenLink};
use super::resolve::{SiteIndex, Verdict, file_keys, scope};
use super::{ScannedLink, ScannedPage, WrittenLinks};
use crate::error::Diagnostics;
use crate::model::nav::BaseUrl;

/// A link of a page, waiting for the file it leads to.
#[derive(Debug)]
struct Waiting {
    page: Arc<str>,
    link: ScannedLink,
}

/// A link check fed part by part.
#[derive(Debug)]
pub struct Checker {
    index: SiteIndex,
    /// Links to files not added yet, by the path they lead to.
    waiting: HashMap<String, Vec<Waiting>>,
    /// Where the waiting links are written, for their diagnostics.
    written: WrittenLinks,
    /// Broken links found so far.
    diags: Diagnostics,
}

impl Checker {
    /// A check of a site served under `base`.
    pub fn new(base: BaseUrl) -> Self {
        Self {
            index: SiteIndex {
                base,
                files: HashSet::new(),
                anchors: HashMap::new(),
            },
            waiting: HashMap::new(),
            written: WrittenLinks::new(),
            diags: Diagnostics::new(),
        }
    }

    /// Adds a part of the site: its scanned pages, its other files, and
    /// where the links of its Markdown bodies are written; then resolves
    /// its links, and the waiting links whose files it brings.
    pub fn add(
        &mut self,
        pages: Vec<ScannedPage>,
        files: impl IntoIterator<Item = String>,
        written: WrittenLinks,
    ) {
        let mut added: Vec<String> = files.into_iter().collect();
        let mut links = Vec::new();
        for page in pages {
            added.push(page.path.clone());
            let path: Arc<str> = Arc::from(page.path.as_str());
            links.extend(page.links.into_iter().map(|link| (path.clone(), link)));
            self.index.anchors.insert(page.path, page.anchors);
        }
        self.index.files.extend(added.iter().cloned());
        for path in &added {
            for key in file_keys(path) {
                if let Some(waiting) = self.waiting.remove(key) {
                    links.extend(waiting.into_iter().map(|w| (w.page, w.link)));
                }
            }
        }
        let pages_written: HashSet<String> = written.keys().cloned().collect();
        self.written.extend(written);
        let (broken, waiting) = self.resolve(links, &pages_written);
        self.report(broken);
        // Where this part's links are written is kept only for those waiting.
        for page in pages_written {
            let hrefs = waiting.get(page.as_str());
            let keep = self.written.get_mut(&page).is_some_and(|written| {
                written.retain(|w| hrefs.is_some_and(|h| h.contains(w.href.as_str())));
                !written.is_empty()
            });
            if !keep {
                self.written.remove(&page);
            }
        }
    }

    /// Every broken link of the site, once all of it has been added.
    pub fn finish(mut self) -> Diagnostics {
        let index = &self.index;
        let mut broken: Vec<BrokenLink> = std::mem::take(&mut self.waiting)
            .into_values()
            .flatten()
            .filter_map(|w| match index.verdict(&w.page, &w.link.value) {
                Verdict::Leads => None,
                Verdict::Broken(why) | Verdict::Missing { why, .. } => {
                    Some(BrokenLink::of(&w.page, w.link, why))
                }
            })
            .collect();
        broken.sort_by(|a, b| (&a.page, a.line, a.col).cmp(&(&b.page, b.line, b.col)));
        self.report(broken);
        self.diags
    }

    /// Resolves `links`: the broken ones are returned, those leading to a
    /// file not added yet wait for it (and are returned by page and URL
    /// for the pages in `noted`, whose written links are kept for them).
    fn resolve(
        &mut self,
        links: Vec<(Arc<str>, ScannedLink)>,
        noted: &HashSet<String>,
    ) -> (Vec<BrokenLink>, HashMap<String, HashSet<String>>) {
        let (verdicts, slots) = self.verdicts(&links);
        let mut broken = Vec::new();
        let mut waiting: HashMap<String, HashSet<String>> = HashMap::new();
        for ((page, link), slot) in links.into_iter().zip(slots) {
            match &verdicts[slot] {
                Verdict::Leads => {}
                Verdict::Broken(why) => broken.push(BrokenLink::of(&page, link, why.clone())),
                Verdict::Missing { target, .. } => {
                    if noted.contains(&*page) {
                        let by_page = waiting.entry(page.to_string()).or_default();
                        by_page.insert(link.value.clone());
                    }
                    let list = match self.waiting.get_mut(target) {
                        Some(list) => list,
                        None => self.waiting.entry(target.clone()).or_default(),
                    };
                    list.push(Waiting { page, link });
                }
            }
        }
        broken.sort_by(|a, b| (&a.page, a.line, a.col).cmp(&(&b.page, b.line, b.col)));
        (broken, waiting)
    }

    /// The verdict on each distinct place `links` lead to, and which one
    /// each link has. The template links of a site repeat on every page
    /// (navigation, the stylesheet): each is resolved once.
    fn verdicts(&self, links: &[(Arc<str>, ScannedLink)]) -> (Vec<Verdict>, Vec<usize>) {
        let mut first: HashMap<(&str, &str), usize> = HashMap::new();
        let mut unique: Vec<(&str, &str)> = Vec::new();
        let slots: Vec<usize> = links
            .iter()
            .map(|(page, link)| {
                *first.entry(scope(page, &link.value)).or_insert_with(|| {
                    unique.push((page, &link.value));
                    unique.len() - 1
                })
            })
            .collect();
        let index = &self.index;
        let verdicts = unique
            .par_iter()
            .map(|(page, href)| index.verdict(page, href))
            .collect();
        (verdicts, slots)
    }

    fn report(&mut self, broken: Vec<BrokenLink>) {
        if !broken.is_empty() {
            self.diags
                .extend(report::diagnostics(broken, &self.written));
        }
    }
}
