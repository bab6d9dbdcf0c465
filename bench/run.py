#!/usr/bin/env python3
"""Benchmark nianbao against Hugo on the same synthetic bilingual report.

One command on a fresh machine (as root, for apt):

    python3 bench/run.py                  # 120, 1200 and 12000 sections per language
    python3 bench/run.py --sizes 120 1200 --runs 5

Sources and outputs live on tmpfs (/dev/shm) so CPU work is compared, not
the disk. Every run starts from an empty output folder. Wall times come
from hyperfine (median), peak memory from /usr/bin/time -v. Each build is
checked for the number of pages it should produce. Results go to
bench/RESULTS.md.
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NIANBAO = os.path.join(ROOT, "target", "release", "nianbao")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def ensure_tools():
    missing = [pkg for tool, pkg in (("hugo", "hugo"), ("hyperfine", "hyperfine")) if not shutil.which(tool)]
    if not os.path.exists("/usr/bin/time"):
        missing.append("time")
    if missing:
        print(f"installing {' '.join(missing)} from Debian", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True)
    print("building nianbao (release)", flush=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)


def peak_kb(cmd):
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))


def count(path, name=None, suffix=None):
    n = 0
    for _, _, files in os.walk(path):
        n += sum(1 for f in files if (name and f == name) or (suffix and f.endswith(suffix)))
    return n


def hyperfine(commands, prepare, runs, export):
    args = ["hyperfine", "--style", "basic", "--runs", str(runs), "--warmup", "1", "--export-json", export]
    for name, cmd in commands:
        args += ["--prepare", prepare, "-n", name, cmd]
    subprocess.run(args, check=True)
    with open(export) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def bench_size(n, work, runs):
    src = os.path.join(work, f"src-{n}")
    shutil.rmtree(src, ignore_errors=True)
    gen = sh([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "--sections", str(n), "--out", src])
    chapters = int(re.search(r"in (\d+) chapters", gen.stdout).group(1))
    nb_out, hugo_out = os.path.join(work, f"out-{n}-nianbao"), os.path.join(work, f"out-{n}-hugo")
    nb_cmd = [NIANBAO, "build", "--root", os.path.join(src, "nianbao"), "--output", nb_out]
    hugo_cmd = ["hugo", "--quiet", "--source", os.path.join(src, "hugo"), "--destination", hugo_out]
    results = hyperfine(
        [("nianbao", " ".join(nb_cmd)), ("hugo", " ".join(hugo_cmd))],
        f"rm -rf {nb_out} {hugo_out}", runs, os.path.join(work, f"hyperfine-{n}.json"))
    for out in (nb_out, hugo_out):
        shutil.rmtree(out, ignore_errors=True)
    memory = {"nianbao": peak_kb(nb_cmd), "hugo": peak_kb(hugo_cmd)}
    # Every page was produced: nianbao renders a page per chapter and language
    # plus the covers and the whole-report pages (every section again);
    # Hugo a page per section, a list per chapter, and homes.
    nb_pages, hugo_pages = count(nb_out, name="index.html"), count(hugo_out, suffix=".html")
    want_nb, want_hugo_min = 2 * (chapters + 2), 2 * (n + chapters + 1)
    assert nb_pages == want_nb, f"nianbao produced {nb_pages} pages, expected {want_nb}"
    assert hugo_pages >= want_hugo_min, f"hugo produced {hugo_pages} pages, expected at least {want_hugo_min}"
    charts = count(os.path.join(nb_out, "charts"), suffix=".svg")
    assert charts == 2 * chapters, f"nianbao drew {charts} charts, expected {2 * chapters}"
    shutil.rmtree(src, ignore_errors=True)
    return {
        "sections": n, "chapters": chapters,
        "nianbao": results["nianbao"]["median"], "hugo": results["hugo"]["median"],
        "nianbao_mem": memory["nianbao"], "hugo_mem": memory["hugo"],
        "nianbao_pages": nb_pages, "hugo_pages": hugo_pages, "charts": charts,
    }


def bench_2020(work, runs):
    out = os.path.join(work, "out-2020")
    results = hyperfine([("nianbao-2020", f"{NIANBAO} build --root {ROOT} --output {out}")],
                        f"rm -rf {out}", max(runs, 20), os.path.join(work, "hyperfine-2020.json"))
    r = results["nianbao-2020"]
    return {"median": r["median"], "min": r["min"], "max": r["max"]}


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    hugo = sh(["hugo", "version"]).stdout.split()[1]
    nianbao = sh([NIANBAO, "--version"]).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}; {platform.system()} {platform.release()}; {nianbao}; Hugo {hugo}"


def write_results(rows, report_2020, info):
    lines = [
        "# Benchmark results",
        "",
        "Produced by `python3 bench/run.py` (see its docstring). Synthetic bilingual report from",
        "`bench/gen.py`: 6 sections a chapter, ~400 CJK characters or ~250 English words a section,",
        "lists, tables, links; nianbao also formats a metric per section and draws one chart per",
        "chapter and language, Hugo none. Sources and outputs on tmpfs; every run from an empty",
        "output folder; wall time is the hyperfine median.",
        "",
        f"Machine: {info}",
        "",
        "| sections per language | nianbao wall | Hugo wall | ratio nianbao/Hugo | nianbao peak RSS | Hugo peak RSS | memory ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['sections']:,} | {r['nianbao'] * 1000:.0f} ms | {r['hugo'] * 1000:.0f} ms | "
            f"{r['nianbao'] / r['hugo']:.2f}× | {r['nianbao_mem'] / 1024:.0f} MB | "
            f"{r['hugo_mem'] / 1024:.0f} MB | {r['nianbao_mem'] / r['hugo_mem']:.2f}× |")
    lines += ["", "Pages checked: " + "; ".join(
        f"{r['sections']:,}: nianbao {r['nianbao_pages']} pages + {r['charts']} charts, Hugo {r['hugo_pages']} pages"
        for r in rows)]
    sizes = {r["sections"]: r for r in rows}
    if 1200 in sizes and 12000 in sizes:
        lines += ["", f"Scaling: nianbao 12,000 / 1,200 = {sizes[12000]['nianbao'] / sizes[1200]['nianbao']:.1f}× "
                      f"(linear would be 10×); Hugo {sizes[12000]['hugo'] / sizes[1200]['hugo']:.1f}×."]
    if report_2020:
        lines += ["", f"The 2020 report (`content/`), full release build: median "
                      f"{report_2020['median'] * 1000:.1f} ms (min {report_2020['min'] * 1000:.1f}, max {report_2020['max'] * 1000:.1f})."]
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    notes = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        if "\n## Profile" in text:
            notes = text[text.index("\n## Profile"):]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n" + notes)
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 1200, 12000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/dev/shm/nianbao-bench")
    args = parser.parse_args()
    ensure_tools()
    os.makedirs(args.work, exist_ok=True)
    rows = [bench_size(n, args.work, args.runs) for n in args.sizes]
    report_2020 = bench_2020(args.work, args.runs)
    write_results(rows, report_2020, machine())
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
