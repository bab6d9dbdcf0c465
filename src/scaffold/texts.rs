//! The words of the starter report in Chinese and English. Any other
//! language gets the English text as a placeholder, marked TODO.
//! `{year}` is replaced by the report's year.

/// A text of the starter report in one language.
pub(super) struct Text {
    /// The text.
    pub value: String,
    /// True when it is the English placeholder for another language.
    pub placeholder: bool,
}

/// The text `key` in `lang` for the report of `year`.
pub(super) fn text(lang: &str, key: &str, year: &str) -> Text {
    let own = match lang {
        "zh" => lookup(ZH, key),
        "en" => lookup(EN, key),
        _ => None,
    };
    let placeholder = own.is_none();
    let value = own.or_else(|| lookup(EN, key)).unwrap_or(key);
    Text {
        value: value.replace("{year}", year),
        placeholder,
    }
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A noun unit in YAML: `"人"` or `{ one: person, other: people }`.
pub(super) fn unit(lang: &str, key: &str) -> &'static str {
    let table = if lang == "zh" { ZH_UNITS } else { EN_UNITS };
    lookup(table, key).unwrap_or("\"\"")
}

/// The name of a language in itself, for the language switcher.
pub(super) fn language_name(code: &str) -> &str {
    let primary = code.split('-').next().unwrap_or(code);
    let known = [
        ("ar", "العربية"),
        ("de", "Deutsch"),
        ("es", "Español"),
        ("fr", "Français"),
        ("it", "Italiano"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("pt", "Português"),
        ("ru", "Русский"),
    ];
    lookup(&known, primary).unwrap_or(code)
}

const EN_UNITS: &[(&str, &str)] = &[
    ("people", "people"),
    ("person", "{ one: person, other: people }"),
];

const ZH_UNITS: &[(&str, &str)] = &[("people", "\"人\""), ("person", "\"人\"")];

const EN: &[(&str, &str)] = &[
    ("title", "Annual Report {year}"),
    ("subtitle", "A year of work in review"),
    ("organization", "Your Organisation"),
    (
        "description",
        "What we did in {year}, in numbers and in stories.",
    ),
    ("foreword_title", "Foreword"),
    (
        "foreword",
        "Welcome to our report for {year}. This foreword opens the cover page:
replace it with your own words.

This year we raised {{ metric:funds_raised }}, and {{ metric:volunteers }}
gave their time. Every number in the report is written once, in a
metrics.yaml file, so every language shows the same figure.
",
    ),
    ("chapter_title", "Our year"),
    ("chapter_kicker", "Chapter 1"),
    (
        "chapter_summary",
        "We helped {{ metric:people_helped }} with {{ metric:funds_raised }}.",
    ),
    (
        "chapter_lead",
        "A chapter opens with this lead paragraph. Its sections follow, each a
Markdown file of its own, in the order of their number prefix.
",
    ),
    ("funds_title", "Funds"),
    (
        "funds",
        "We raised {{ metric:funds_raised }} in {year}, up {{ metric:funds_raised | change }}
on the {{ metric:funds_raised | previous }} of the year before.

![How the money was spent](chart:spending)

## Spending {#spending}

Programmes took {{ metric:spend_programmes }}, emergency relief
{{ metric:spend_relief }} and administration {{ metric:spend_admin }}.
",
    ),
    ("people_title", "People"),
    (
        "people",
        "This year {{ metric:volunteers }} gave their time, and our programmes
reached {{ metric:people_helped }}.

| Programme | People trained |
| --- | --- |
| First aid | {{ metric:trainees }} |

All figures are audited.[^audit]

[^audit]: By an independent auditor. Name your own source here.
",
    ),
    ("funds_raised", "Funds raised"),
    (
        "funds_raised_note",
        "Includes donated goods at market value.",
    ),
    ("volunteers", "Volunteers"),
    ("people_helped", "People helped"),
    ("spend_programmes", "Programmes"),
    ("spend_relief", "Emergency relief"),
    ("spend_admin", "Administration"),
    ("trainees", "First-aid trainees"),
    ("chart_title", "How the money was spent"),
    ("chart_note", "Source: audited accounts."),
];

const ZH: &[(&str, &str)] = &[
    ("title", "{year}年度报告"),
    ("subtitle", "{year}年工作概览"),
    ("organization", "您的机构名称"),
    ("description", "{year}年的工作、故事与数字。"),
    ("foreword_title", "前言"),
    (
        "foreword",
        "欢迎阅读我们的{year}年度报告。这段前言显示在封面上，
请换成您自己的文字。

全年募集资金{{ metric:funds_raised }}，志愿者{{ metric:volunteers }}。
报告中的每个数字只在 metrics.yaml 中写一次，
因此各语言页面的数字始终一致。
",
    ),
    ("chapter_title", "我们的一年"),
    ("chapter_kicker", "第一章"),
    (
        "chapter_summary",
        "以{{ metric:funds_raised }}帮助{{ metric:people_helped }}。",
    ),
    (
        "chapter_lead",
        "章节以这段导语开头，后面是各个小节。
每节是一个单独的 Markdown 文件，按文件名前的编号排序。
",
    ),
    ("funds_title", "资金募集与使用"),
    (
        "funds",
        "{year}年募集资金{{ metric:funds_raised }}，比上年增长{{ metric:funds_raised | change }}，
上年为{{ metric:funds_raised | previous }}。

![资金使用情况](chart:spending)

## 资金使用 {#spending}

项目支出{{ metric:spend_programmes }}，应急救助{{ metric:spend_relief }}，
管理费用{{ metric:spend_admin }}。
",
    ),
    ("people_title", "志愿服务"),
    (
        "people",
        "全年{{ metric:volunteers }}参与志愿服务，项目惠及{{ metric:people_helped }}。

| 项目 | 培训人数 |
| --- | --- |
| 应急救护培训 | {{ metric:trainees }} |

以上数据均经审计。[^audit]

[^audit]: 由独立审计机构审计。请在这里写明您的数据来源。
",
    ),
    ("funds_raised", "募集资金"),
    ("funds_raised_note", "含捐赠物资折价。"),
    ("volunteers", "志愿者"),
    ("people_helped", "受益人数"),
    ("spend_programmes", "项目支出"),
    ("spend_relief", "应急救助"),
    ("spend_admin", "管理费用"),
    ("trainees", "救护培训人数"),
    ("chart_title", "资金使用情况"),
    ("chart_note", "来源：审计报告。"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_english_key_has_a_chinese_text() {
        for (key, _) in EN {
            assert!(lookup(ZH, key).is_some(), "zh lacks {key}");
        }
        assert_eq!(EN.len(), ZH.len());
    }

    #[test]
    fn other_languages_get_the_english_placeholder() {
        let fr = text("fr", "title", "2026");
        assert_eq!(fr.value, "Annual Report 2026");
        assert!(fr.placeholder);
        assert!(!text("zh", "title", "2026").placeholder);
        assert_eq!(language_name("fr"), "Français");
        assert_eq!(language_name("pt-br"), "Português");
        assert_eq!(language_name("xx"), "xx");
    }
}
