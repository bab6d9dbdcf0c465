#!/usr/bin/env python3
"""Reports that are large in one direction, to keep loading and checking
linear: many metrics in one file, a long section of metric references, a
chart with many series, and a YAML alias bomb.

    python3 bench/resources.py                    # every case, release binary
    python3 bench/resources.py --case metrics --metrics 8000 --refs-mb 1
    python3 bench/resources.py --nianbao /tmp/nianbao-old --runs 1 --case series
    python3 bench/resources.py --case alias       # peak RSS of the alias bomb

Cases (generated under --out, default /dev/shm/nianbao-resources):

- metrics: --metrics metrics (32,000) in one metrics.yaml, and a section
  with --refs-mb MB (4) of `{{ metric:ID }}` references to them.
- series: --series metrics (5,000) drawn by one bar chart, each series item
  with its own label.
- alias: content/report.yaml with a 4 MiB string under an anchor and 2,000
  aliases to it; `check` must refuse it (exit 1) without expanding it.

Times `nianbao check` and `nianbao build` (hyperfine median, --runs runs,
output folder removed before each build), then peak RSS of one run of each
with /usr/bin/time -v. Prints a Markdown table to paste into
bench/RESULTS.md. Needs hyperfine and /usr/bin/time (apt-get install
hyperfine time); builds the release binary unless --nianbao is given.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Authors write a paragraph on one line: 400 references (~7 KB) a line.
REF_LINE_ITEMS = 400


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def skeleton(root, report_extra=""):
    content = os.path.join(root, "content")
    shutil.rmtree(root, ignore_errors=True)
    write(os.path.join(content, "report.yaml"), (
        "languages: [zh, en]\nyear: 2020\n"
        "title: { zh: \"资源测试年报\", en: \"Resource test report\" }\n" + report_extra))
    for lang, title in (("zh", "前言"), ("en", "Foreword")):
        write(os.path.join(content, f"_index.{lang}.md"), f"---\ntitle: {title}\n---\n{title}\n")
    chapter = os.path.join(content, "01-figures")
    for lang, title in (("zh", "数据"), ("en", "Data")):
        write(os.path.join(chapter, f"_index.{lang}.md"), f"---\ntitle: {title}\n---\n{title}\n")
    return chapter


def metric_lines(i):
    return [
        f"  - id: m{i}",
        f"    label: {{ zh: \"指标{i}\", en: \"Metric {i}\" }}",
        f"    value: {1000 + 7 * i}",
        "    unit: { zh: \"人\", en: \"people\" }",
    ]


def section(chapter, name, zh_body, en_body):
    for lang, body in (("zh", zh_body), ("en", en_body)):
        title = "数据节" if lang == "zh" else "Data section"
        write(os.path.join(chapter, f"{name}.{lang}.md"), f"---\ntitle: {title}\n---\n{body}")


def references(count, megabytes):
    """`megabytes` MB of references cycling through m0..m{count-1}, in
    paragraphs of one line each."""
    out, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        line = " ".join(f"{{{{ metric:m{(i + k) % count} }}}}" for k in range(REF_LINE_ITEMS))
        i += REF_LINE_ITEMS
        out.append(line)
        size += len(line) + 2
    return "\n\n".join(out) + "\n"


def gen_metrics(root, count, refs_mb):
    chapter = skeleton(root, "highlights: [m0]\n")
    lines = ["metrics:"]
    for i in range(count):
        lines += metric_lines(i)
    write(os.path.join(chapter, "metrics.yaml"), "\n".join(lines) + "\n")
    refs = references(count, refs_mb)
    section(chapter, "01-references", refs, refs)


def gen_series(root, count):
    chapter = skeleton(root, "highlights: [m0]\n")
    lines = ["metrics:"]
    for i in range(count):
        lines += metric_lines(i)
    lines += [
        "charts:",
        "  - id: big",
        "    type: bar",
        "    title: { zh: \"大图\", en: \"Big chart\" }",
        "    series:",
    ]
    lines += [f"      - {{ metric: m{i}, label: {{ zh: \"项{i}\", en: \"Item {i}\" }} }}"
              for i in range(count)]
    write(os.path.join(chapter, "metrics.yaml"), "\n".join(lines) + "\n")
    section(chapter, "01-chart", "![大图](chart:big)\n", "![Big chart](chart:big)\n")


def gen_alias(root, megabytes=4, aliases=2000):
    big = "x" * (megabytes * 1024 * 1024)
    refs = ", ".join(["*s"] * aliases)
    chapter = skeleton(root, f"domain: &s \"{big}\"\nhighlights: [{refs}]\n")
    section(chapter, "01-a", "正文\n", "Text\n")


def hyperfine(nianbao, site, runs, export):
    out = os.path.join(site, "output")
    args = ["hyperfine", "--style", "basic", "--runs", str(runs), "--export-json", export,
            "-n", "check", f"{nianbao} check --root {site}",
            "-n", "build", "--prepare", f"rm -rf {out}", f"{nianbao} build --root {site}"]
    subprocess.run(args, check=True)
    with open(export, encoding="utf-8") as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def peak(nianbao, site, command, expect):
    run = subprocess.run(["/usr/bin/time", "-v", nianbao, command, "--root", site],
                         text=True, capture_output=True)
    if run.returncode != expect:
        sys.exit(f"{command} on {site} exited {run.returncode}, expected {expect}:\n{run.stderr[-3000:]}")
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    return kb, run.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=["metrics", "series", "alias", "all"], default="all")
    parser.add_argument("--metrics", type=int, default=32000)
    parser.add_argument("--refs-mb", type=float, default=4)
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default="/dev/shm/nianbao-resources")
    parser.add_argument("--nianbao", help="binary to time (default: build target/release/nianbao)")
    args = parser.parse_args()
    nianbao = args.nianbao
    if not nianbao:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        nianbao = os.path.join(ROOT, "target", "release", "nianbao")
    cases = ["metrics", "series", "alias"] if args.case == "all" else [args.case]
    rows = []
    for case in cases:
        site = os.path.join(args.out, case)
        if case == "alias":
            gen_alias(site)
            kb, stderr = peak(nianbao, site, "check", expect=1)
            first = next((l for l in stderr.splitlines() if "error" in l), "")
            rows.append(f"| alias bomb | check exits 1 | peak RSS {kb / 1024:.0f} MB | `{first.strip()[:120]}` |")
            continue
        if case == "metrics":
            gen_metrics(site, args.metrics, args.refs_mb)
            what = f"{args.metrics:,} metrics, {args.refs_mb:g} MB of references"
        else:
            gen_series(site, args.series)
            what = f"{args.series:,} labelled chart series"
        times = hyperfine(nianbao, site, args.runs, os.path.join(args.out, f"{case}.json"))
        check_kb, _ = peak(nianbao, site, "check", expect=0)
        shutil.rmtree(os.path.join(site, "output"), ignore_errors=True)
        build_kb, _ = peak(nianbao, site, "build", expect=0)
        rows.append(
            f"| {what} | check {times['check']['median']:.2f} s, build {times['build']['median']:.2f} s"
            f" | peak RSS check {check_kb / 1024:.0f} MB, build {build_kb / 1024:.0f} MB | {args.runs} runs |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
