#!/usr/bin/env python3
"""Print-grade PDF (issue 17): how long `build --pdf` takes for the 2020
report (content/, zh + en) and how big its two PDFs are.

    python3 bench/pdf.py                              # target/release/nianbao
    python3 bench/pdf.py --nianbao /tmp/nianbao-pdf --runs 5
    python3 bench/pdf.py --no-write                   # print, leave RESULTS.md alone

Needs hyperfine (apt-get install hyperfine), Chromium (/usr/bin/chromium,
or NIANBAO_CHROMIUM= as nianbao reads it) and pdfinfo (poppler-utils).

The report at the repository's root is built with --nianbao (default
target/release/nianbao) into --work (default /dev/shm/nianbao-pdf, tmpfs, so
the CPU is what is measured), once without and once with `--pdf`, each
--runs (3) times after one warm-up run, the output folder removed before
every run (hyperfine --prepare), SOURCE_DATE_EPOCH set so every run prints
the same PDFs. The time of the PDFs is the difference of the two medians.
Each PDF is then measured: bytes, pages (pdfinfo), page size.

The budgets (issue 17): the 2020 report's two PDFs in <= 15 s on 2 cores
(judged on the whole `build --pdf`, site included), each PDF <= 5 MB
(MB = 1,000,000 bytes). Prints the results and writes them as the section
"## Print-grade PDF (issue 17)" of bench/RESULTS.md (replacing it; the other
sections stay), unless --no-write. Exits 2 when over a budget.
"""
import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "RESULTS.md")
HEADING = "## Print-grade PDF (issue 17)"

BUDGET_S = 15.0
BUDGET_BYTES = 5_000_000
EPOCH = "1700000000"


def languages(root):
    """The report's languages, from content/report.yaml's `languages: [..]`."""
    with open(os.path.join(root, "content", "report.yaml"), encoding="utf-8") as f:
        m = re.search(r"^languages:\s*\[([^\]]*)\]", f.read(), re.M)
    if not m:
        sys.exit("content/report.yaml: no `languages: [..]` line")
    return [s.strip().strip("\"'") for s in m.group(1).split(",")]


def hyperfine(name, command, prepare, runs, export):
    subprocess.run(["hyperfine", "--style", "basic", "--warmup", "1", "--runs", str(runs),
                    "--prepare", prepare, "--export-json", export, "-n", name, command], check=True)
    with open(export, encoding="utf-8") as f:
        r = json.load(f)["results"][0]
    return r["median"], min(r["times"]), max(r["times"])


def pdfinfo(path):
    run = subprocess.run(["pdfinfo", path], text=True, capture_output=True)
    if run.returncode != 0:
        sys.exit(f"pdfinfo {path} failed:\n{run.stderr}")
    info = {}
    for line in run.stdout.splitlines():
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    return info


def chromium_version():
    chromium = os.environ.get("NIANBAO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    try:
        return subprocess.run([chromium, "--version"], text=True, capture_output=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "Chromium (version unknown)"


def machine(nianbao):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    version = subprocess.run([nianbao, "--version"], text=True, capture_output=True).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}; {platform.system()} {platform.release()}; {version}; {chromium_version()}"


def source():
    """The commit the repository is at, and whether its tree has changes."""
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], text=True, capture_output=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", "src", "themes", "Cargo.toml"],
                           text=True, capture_output=True).stdout.strip()
    if not head:
        return "not a git checkout"
    return f"main at `{head}`" + (" with uncommitted changes in src/, themes/ or Cargo.toml" if dirty else "")


def write_section(lines):
    text = open(RESULTS, encoding="utf-8").read() if os.path.exists(RESULTS) else "# Benchmark results\n"
    section = "\n".join(lines) + "\n"
    if HEADING in text:
        start = text.index(HEADING)
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[end:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write(text)


def verdict(ok):
    return "✓ within" if ok else "✗ over"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nianbao", default=os.path.join(ROOT, "target", "release", "nianbao"))
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each build (default 3)")
    parser.add_argument("--work", default="/dev/shm/nianbao-pdf")
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    args = parser.parse_args()

    nianbao = os.path.abspath(args.nianbao)
    if not os.access(nianbao, os.X_OK):
        sys.exit(f"no nianbao binary at {nianbao} (cargo build --release, or --nianbao PATH)")
    for tool in ("hyperfine", "pdfinfo"):
        if not shutil.which(tool):
            sys.exit(f"bench/pdf.py needs {tool} (apt-get install {'hyperfine' if tool == 'hyperfine' else 'poppler-utils'})")
    os.makedirs(args.work, exist_ok=True)
    out = os.path.join(args.work, "out")
    export = os.path.join(args.work, "hyperfine.json")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # hyperfine's commands inherit it
    site_args = [nianbao, "build", "--root", ROOT, "--output", out]
    site_cmd = shlex.join(site_args)
    prepare = shlex.join(["rm", "-rf", out])

    # Correctness first: the PDF build works and writes a PDF per language.
    shutil.rmtree(out, ignore_errors=True)
    run = subprocess.run([*site_args, "--pdf"], text=True, capture_output=True)
    if run.returncode != 0:
        sys.exit(f"{site_cmd} --pdf failed ({run.returncode}):\n{run.stderr[-4000:]}")
    langs = languages(ROOT)
    pdfs = [f"{lang}/report.pdf" for lang in langs]
    for rel in pdfs:
        if not os.path.isfile(os.path.join(out, rel)):
            sys.exit(f"{site_cmd} --pdf wrote no {rel}")

    site_s = hyperfine("build", site_cmd, prepare, args.runs, export)
    pdf_s = hyperfine("build --pdf", site_cmd + " --pdf", prepare, args.runs, export)
    # The last run's output stays: measure its PDFs.
    measured = []
    for rel in pdfs:
        path = os.path.join(out, rel)
        info = pdfinfo(path)
        measured.append((rel, os.path.getsize(path), int(info.get("Pages", "0")), info.get("Page size", "?")))

    checks = {"time": pdf_s[0] <= BUDGET_S}
    for rel, size, _, _ in measured:
        checks[rel] = size <= BUDGET_BYTES
    command = "python3 bench/pdf.py" + (f" --nianbao {args.nianbao}" if args.nianbao != parser.get_default("nianbao") else "") \
        + (f" --runs {args.runs}" if args.runs != 3 else "")
    lines = [
        HEADING,
        "",
        f"Produced by `{command}` (see its docstring): the 2020 report (`content/`, {' + '.join(langs)}) "
        f"built into tmpfs without and with `--pdf`, hyperfine medians of {args.runs} runs after a warm-up, "
        f"the output folder removed before each run, `SOURCE_DATE_EPOCH={EPOCH}`. "
        "The PDFs' time is the difference of the two medians; MB = 1,000,000 bytes.",
        "",
        f"Machine: {machine(nianbao)}",
        "",
        f"Source: {source()}",
        "",
        "| measure | result | budget | |",
        "| --- | --- | --- | --- |",
        f"| `build` (the site, no PDF) | {site_s[0] * 1000:.0f} ms (min {site_s[1] * 1000:.0f}, max {site_s[2] * 1000:.0f}) | | |",
        f"| `build --pdf` (site and {len(pdfs)} PDFs) | {pdf_s[0]:.2f} s (min {pdf_s[1]:.2f}, max {pdf_s[2]:.2f}) "
        f"| ≤ {BUDGET_S:.0f} s on 2 cores | {verdict(checks['time'])} |",
        f"| the {len(pdfs)} PDFs (difference) | {pdf_s[0] - site_s[0]:.2f} s | | |",
    ]
    for rel, size, pages, paper in measured:
        lines.append(f"| `{rel}`: {pages} pages, {paper} | {size / 1e6:.2f} MB ({size:,} bytes) "
                     f"| ≤ {BUDGET_BYTES / 1e6:.0f} MB | {verdict(checks[rel])} |")
    print("\n".join(lines))
    if not args.no_write:
        write_section(lines)
        print(f"\nwritten to {os.path.relpath(RESULTS, ROOT)}")
    if not all(checks.values()):
        print("over budget: " + ", ".join(k for k, ok in checks.items() if not ok), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
