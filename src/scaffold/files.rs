//! The files of the starter report: report.yaml and metrics.yaml with
//! comments that explain every key, one Markdown file per page and
//! language, and UI strings for languages the default theme lacks.

use super::texts::{self, Text, language_name, unit};

/// A front matter field of a starter page.
pub(super) struct Field {
    /// The front matter key (`title`).
    pub key: &'static str,
    /// The key of its text in [`texts`] (`funds_title`).
    pub text: &'static str,
}

/// The report being scaffolded: its languages, titles and year.
pub(super) struct Plan<'a> {
    /// Language codes, the default first.
    pub languages: &'a [String],
    /// The title per language (from `--title`), else the starter's.
    pub titles: &'a std::collections::BTreeMap<String, String>,
    /// The year as written in report.yaml.
    pub year: String,
}

impl Plan<'_> {
    fn text(&self, lang: &str, key: &str) -> Text {
        match self.titles.get(lang).filter(|_| key == "title") {
            Some(title) => Text {
                value: title.clone(),
                placeholder: false,
            },
            None => texts::text(lang, key, &self.year),
        }
    }

    /// `key:` followed by one line per language, for report.yaml.
    fn block(&self, key: &str) -> String {
        let mut out = format!("{key}:\n");
        for lang in self.languages {
            let t = self.text(lang, key);
            out.push_str(&format!(
                "  {lang}: {}{}\n",
                quote(&t.value),
                todo(lang, &t)
            ));
        }
        out
    }

    /// `{ zh: "…", en: "…" }`, and the languages given a placeholder.
    fn flow(&self, key: &str) -> (String, Vec<&str>) {
        let mut placeholders = Vec::new();
        let items: Vec<String> = self
            .languages
            .iter()
            .map(|lang| {
                let t = self.text(lang, key);
                if t.placeholder {
                    placeholders.push(lang.as_str());
                }
                format!("{lang}: {}", quote(&t.value))
            })
            .collect();
        (format!("{{ {} }}", items.join(", ")), placeholders)
    }

    /// `    key: { … }` with a TODO comment when a placeholder is in it.
    fn flow_line(&self, indent: &str, key: &str, text_key: &str) -> String {
        let (map, placeholders) = self.flow(text_key);
        let todo = if placeholders.is_empty() {
            String::new()
        } else {
            format!("  # TODO({}): translate", placeholders.join(", "))
        };
        format!("{indent}{key}: {map}{todo}\n")
    }

    fn unit_line(&self, noun: &str) -> String {
        let items: Vec<String> = self
            .languages
            .iter()
            .map(|lang| format!("{lang}: {}", unit(lang, noun)))
            .collect();
        format!("    unit: {{ {} }}\n", items.join(", "))
    }

    /// `content/report.yaml`.
    pub(super) fn report_yaml(&self) -> String {
        let languages = self.languages.join(", ");
        let mut out = String::from(REPORT_HEAD);
        out.push_str(&format!(
            "languages: [{languages}]\n\nyear: {}\n\n",
            self.year
        ));
        for key in ["title", "subtitle", "organization"] {
            out.push_str(&self.block(key));
        }
        out.push_str("# One sentence for search engines and link previews.\n");
        out.push_str(&self.block("description"));
        out.push_str(REPORT_TAIL);
        out
    }

    /// A chapter's `metrics.yaml`.
    pub(super) fn metrics_yaml(&self) -> String {
        let mut out = String::from(METRICS_HEAD);
        for m in METRICS {
            out.push_str(&format!("  - id: {}\n", m.id));
            out.push_str(&self.flow_line("    ", "label", m.id));
            out.push_str(&format!("    value: {}\n", m.value));
            match m.noun {
                None => out.push_str("    unit: cny\n"),
                Some(noun) => out.push_str(&self.unit_line(noun)),
            }
            for line in m.extra {
                out.push_str(&format!("    {line}\n"));
            }
            if m.id == "funds_raised" {
                out.push_str(&self.flow_line("    ", "note", "funds_raised_note"));
            }
        }
        out.push_str(CHARTS_HEAD);
        out.push_str(&self.flow_line("    ", "title", "chart_title"));
        out.push_str(&self.flow_line("    ", "note", "chart_note"));
        out.push_str("    series: [spend_programmes, spend_relief, spend_admin]\n");
        out
    }

    /// A Markdown page: front matter from `front`, then the text `body`.
    pub(super) fn page(&self, lang: &str, front: &[Field], body: &str) -> String {
        let mut out = String::from("---\n");
        let mut placeholder = false;
        for field in front {
            let t = self.text(lang, field.text);
            placeholder |= t.placeholder;
            let key = field.key;
            out.push_str(&format!("{key}: {}{}\n", quote(&t.value), todo(lang, &t)));
        }
        out.push_str("---\n");
        let t = self.text(lang, body);
        if placeholder || t.placeholder {
            out.push_str(&format!(
                "*TODO({lang}): translate this page from English.*\n\n"
            ));
        }
        out.push_str(&t.value);
        out
    }
}

/// UI strings for a language the default theme has none for: the English
/// ones, to translate.
pub(super) fn ui_strings(lang: &str, english: &str) -> String {
    let mut out = format!(
        "# UI strings of the theme in `{lang}`. TODO({lang}): translate the English below.\n# The default theme's English file is the model; keys it has and this file lacks stay English.\n"
    );
    for line in english.lines().filter(|l| !l.starts_with('#')) {
        match line.strip_prefix("language_name:") {
            Some(_) => out.push_str(&format!("language_name: {}\n", quote(language_name(lang)))),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn todo(lang: &str, t: &Text) -> String {
    if t.placeholder {
        format!("  # TODO({lang}): translate")
    } else {
        String::new()
    }
}

/// A YAML double-quoted string.
pub(super) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One metric of the starter report.
struct MetricSpec {
    id: &'static str,
    value: &'static str,
    /// A noun unit key (texts::unit), or `None` for yuan.
    noun: Option<&'static str>,
    /// Further keys, written as they are.
    extra: &'static [&'static str],
}

const METRICS: &[MetricSpec] = &[
    MetricSpec {
        id: "funds_raised",
        value: "12560000",
        noun: None,
        extra: &[
            "change: 0.124                     # +12.4% on last year (a ratio)",
            "previous: 11174000                # last year's value, only where your source states it",
        ],
    },
    MetricSpec {
        id: "volunteers",
        value: "3000",
        noun: Some("people"),
        extra: &["approx: over                      # over 3,000 / 3000余"],
    },
    MetricSpec {
        id: "people_helped",
        value: "48200",
        noun: Some("person"),
        extra: &[
            "# display: { zh: plain }         # force a style per language: plain | wan | yi | million",
        ],
    },
    MetricSpec {
        id: "spend_programmes",
        value: "9800000",
        noun: None,
        extra: &[],
    },
    MetricSpec {
        id: "spend_relief",
        value: "2100000",
        noun: None,
        extra: &[],
    },
    MetricSpec {
        id: "spend_admin",
        value: "660000",
        noun: None,
        extra: &[],
    },
    MetricSpec {
        id: "trainees",
        value: "1250",
        noun: Some("people"),
        extra: &[],
    },
];

const REPORT_HEAD: &str = "\
# report.yaml: the report as a whole. Start here.
#
# Every text that is not prose is a map from language code to text, with one
# entry per language below. The reference of every key and of the Markdown
# and metrics.yaml formats is docs/content-format.md in nianbao's repository.

# The first language is the default, served at \"/\"; the others at \"/<code>/\".
# Every Markdown file exists once per language: name.zh.md, name.en.md, ...
";

const REPORT_TAIL: &str = "
# Where the site will be published. `nianbao publish` builds for this URL and
# checks every link under it (`--base-url` overrides it). A sub-path works:
# \"https://example.org/report/2025/\". \"/\" serves the site from a domain's root.
base_url: \"/\"

# A custom domain for GitHub Pages: `nianbao publish --git-branch` writes it
# to a CNAME file. Leave it out otherwise.
# domain: report.example.org

# The theme: a folder under themes/. The default theme is built in; a folder
# themes/default/ overrides single files of it (templates, CSS, UI strings).
theme: default

# Metric ids (from any metrics.yaml) shown as big numbers on the cover.
highlights: [funds_raised, volunteers, people_helped]
";

const METRICS_HEAD: &str = "\
# metrics.yaml: this chapter's numbers and charts. Numbers live here once;
# pages refer to them by id, and each language formats them its own way
# (12560000 cny is 1256万元 in Chinese, CNY 12.56 million in English).
#
# Each metric: id ([a-z0-9_], unique in the report), label, value (a plain
# number in base units: yuan, people, a ratio for percent), and unit: cny,
# percent, ml, m2, or a noun per language. Optional: approx (over | nearly),
# change (a ratio: 0.124 is +12.4%), previous, display, note.
# A metric nothing refers to is a warning, so remove what you do not use.
metrics:
";

const CHARTS_HEAD: &str = "
# Charts are drawn at build time as SVG, with a data table under each.
# Types: bar, hbar, donut (series of metric ids), grouped_bar (groups, each
# a label and a series; the legend is the labels of the first group's
# metrics, or keys), line (points: { x: \"2024\", metric: ID }). A chart
# combines metrics of one unit. Place it in a page with ![caption](chart:ID).
charts:
  - id: spending
    type: donut
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_reads_back_as_written() {
        for text in [
            "plain",
            "a \"quoted\" \\ word",
            "两行\n文字",
            "tab\there",
            "# not a comment: x",
        ] {
            let back: String = serde_yaml::from_str(&quote(text)).unwrap();
            assert_eq!(back, text);
        }
    }
}
