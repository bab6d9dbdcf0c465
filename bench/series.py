#!/usr/bin/env python3
"""A report series against one of its years: build time, peak memory and
save-to-reload latency.

    python3 bench/series.py                          # 1,200 sections, 10 years, 5 runs
    python3 bench/series.py --sections 1200 --years 10 --runs 5 --serve-runs 15
    python3 bench/series.py --nianbao /tmp/nianbao-series --keep

Generates with `bench/gen.py --sections N --years Y` (under --work, default
/dev/shm/nianbao-series, tmpfs so CPU work is compared, not the disk):

- series/content/: series.yaml and Y year folders (2015/ ...), each a full
  report of N sections per language; the same metric ids every year with
  values that differ, and a `type: line` chart with `years: m0_0`;
- one-year/content/: the newest year's folder alone (its report.yaml names
  its languages), i.e. what the series builds Y times.

Then, on the same binary:

1. one build of each, checked: every year of the series is built under
   /<year>/ with as many pages as the year alone. If the year alone does not
   build because a `years:` chart needs a series, that chart is rewritten
   as a two-point `points:` line chart in the one-year copy (and said so);
   `--years-chart keep` makes that an error instead.
2. wall time: `nianbao build` of the year alone and of the series, taking
   turns run by run (run.py's `hyperfine_interleaved`: a warm-up round, then
   --runs rounds; output folder removed before each run); the median.
3. peak RSS: --runs more rounds, taking turns, each under `/usr/bin/time -v`
   (as run.py and resources.py measure it); the median of the peaks.
4. save-to-reload latency of `nianbao serve` for an edit of a section in the
   middle of the newest year (serve_latency.py's method, --serve-runs
   edits), on the series and, for reference, on the year alone.

Prints a Markdown table with the ratios series / one year against the
targets: wall time at most 10.5x, peak memory at most 1.5x, and a serve
latency under 300 ms (median). RESULTS.md is left alone: paste the table
there. --work is removed at the end unless --keep; after a failed build it
is left for inspection.
Needs hyperfine and /usr/bin/time (apt-get install hyperfine time); builds
the release binary unless --nianbao is given.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import gen  # noqa: E402
import serve_latency  # noqa: E402
from run import count, hyperfine_interleaved  # noqa: E402

TARGET_WALL = 10.5
TARGET_MEMORY = 1.5
TARGET_SERVE_MS = 300


def ensure_tools(nianbao):
    missing = [] if shutil.which("hyperfine") else ["hyperfine"]
    if not os.path.exists("/usr/bin/time"):
        missing.append("time")
    if missing:
        sys.exit(f"missing: {' '.join(missing)} (apt-get install {' '.join(missing)})")
    if nianbao:
        return nianbao
    print("building nianbao (release)", flush=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "nianbao")


def build_cmd(nianbao, site, out):
    return [nianbao, "build", "--root", site, "--output", out]


def build_once(cmd):
    """Runs a build from an empty output folder; (exit code, stderr)."""
    shutil.rmtree(cmd[-1], ignore_errors=True)
    run = subprocess.run(cmd, text=True, capture_output=True)
    return run.returncode, run.stderr


def years_chart_as_points(site, year):
    """Rewrites the `years:` line chart of the one-year copy as a line chart
    of two points: the same kind of drawing, without needing a series."""
    path = os.path.join(site, "content", "0001-chapter-0", "metrics.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    line = f"    years: {gen.YEARS_METRIC}\n"
    assert line in text, f"no `years:` chart in {path}"
    points = (f"    points: [{{ x: \"{year - 1}\", metric: {gen.TRENDS[1]} }}, "
              f"{{ x: \"{year}\", metric: {gen.YEARS_METRIC} }}]\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(line, points))


def check_builds(nianbao, one_site, series_site, years, outs, years_chart):
    """One build of each corpus; checks the pages. Returns a note on what
    was changed, if anything."""
    note = ""
    code, err = build_once(build_cmd(nianbao, one_site, outs["one-year"]))
    if code != 0 and "years" in err and years_chart == "auto":
        years_chart_as_points(one_site, years[-1])
        note = ("The year alone was built with its `years:` chart rewritten as a two-point "
                "`points:` line chart (a `years:` chart did not build outside a series).")
        print(note, flush=True)
        code, err = build_once(build_cmd(nianbao, one_site, outs["one-year"]))
    if code != 0:
        sys.exit(f"the year alone did not build:\n{err[-3000:]}")
    one_pages = count(outs["one-year"], name="index.html")
    code, err = build_once(build_cmd(nianbao, series_site, outs["series"]))
    if code != 0:
        sys.exit(f"the series did not build:\n{err[-3000:]}")
    series_pages = count(outs["series"], name="index.html")
    for year in years:
        year_out = os.path.join(outs["series"], str(year))
        if not os.path.isdir(year_out):
            sys.exit(f"the series has no /{year}/ folder in {outs['series']}")
        pages = count(year_out, name="index.html")
        if pages != one_pages:
            print(f"warning: /{year}/ has {pages} pages, the year alone {one_pages}", flush=True)
    print(f"pages: one year {one_pages}, series {series_pages} ({len(years)} years)", flush=True)
    return note, one_pages, series_pages


def peak_kb(cmd):
    shutil.rmtree(cmd[-1], ignore_errors=True)
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))


def peaks_interleaved(commands, runs):
    """Median peak RSS (KiB) of each command over `runs` rounds, the
    commands taking turns."""
    peaks = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            peaks[name].append(peak_kb(cmd))
    return {name: statistics.median(p) for name, p in peaks.items()}


def serve_target(year_dir):
    """A section in the middle of a year's report folder, relative to it."""
    chapters = sorted(d for d in os.listdir(year_dir) if os.path.isdir(os.path.join(year_dir, d)))
    return os.path.join(chapters[len(chapters) // 2], "01-section-0.zh.md")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", type=int, default=1200, help="sections per language and year")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--serve-runs", type=int, default=15, help="edits timed per serve measurement")
    parser.add_argument("--work", default="/dev/shm/nianbao-series")
    parser.add_argument("--nianbao", help="binary to measure (default: build target/release/nianbao)")
    parser.add_argument("--years-chart", choices=["auto", "keep"], default="auto",
                        help="auto: rewrite the year alone's `years:` chart if it does not build alone")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and outputs")
    args = parser.parse_args()
    nianbao = ensure_tools(args.nianbao)

    shutil.rmtree(args.work, ignore_errors=True)
    chapters, years = gen.generate_series(args.sections, args.years, args.work)
    series_site = os.path.join(args.work, "series")
    one_site = os.path.join(args.work, "one-year")
    outs = {"one-year": os.path.join(args.work, "out-one-year"),
            "series": os.path.join(args.work, "out-series")}
    print(f"{args.sections} sections per language in {chapters} chapters, years {years[0]}-{years[-1]}",
          flush=True)

    note, one_pages, series_pages = check_builds(
        nianbao, one_site, series_site, years, outs, args.years_chart)
    commands = [("one-year", build_cmd(nianbao, one_site, outs["one-year"])),
                ("series", build_cmd(nianbao, series_site, outs["series"]))]
    walls = hyperfine_interleaved([(name, " ".join(cmd)) for name, cmd in commands],
                                  f"rm -rf {outs['one-year']} {outs['series']}", args.runs,
                                  os.path.join(args.work, "hyperfine.json"))
    memory = peaks_interleaved(commands, args.runs)
    for out in outs.values():
        shutil.rmtree(out, ignore_errors=True)

    serve = {}
    if not args.no_serve:
        newest = os.path.join(series_site, "content", str(years[-1]))
        edit = serve_target(newest)
        for name, site, content in (("series", series_site, newest),
                                    ("one-year", one_site, os.path.join(one_site, "content"))):
            samples = serve_latency.measure(nianbao, site, os.path.join(content, edit), args.serve_runs)
            serve[name] = serve_latency.summary(samples)
        serve["file"] = os.path.join("content", str(years[-1]), edit)

    wall_ratio = walls["series"]["median"] / walls["one-year"]["median"]
    mem_ratio = memory["series"] / memory["one-year"]

    def verdict(ok):
        return "meets" if ok else "MISSES"

    lines = [
        f"Series case (`python3 bench/series.py --sections {args.sections} --years {args.years} "
        f"--runs {args.runs}`): {args.sections:,} sections per language and year, {chapters} chapters, "
        f"{len(years)} years ({years[0]}-{years[-1]}); the year alone is {years[-1]}. "
        f"Pages: one year {one_pages}, series {series_pages}.",
        "",
        "| | one year | series | series / one year | target |",
        "| --- | --- | --- | --- | --- |",
        f"| wall (median of {args.runs}, taking turns) | {walls['one-year']['median'] * 1000:.0f} ms | "
        f"{walls['series']['median'] * 1000:.0f} ms | {wall_ratio:.2f}× | ≤ {TARGET_WALL}×: "
        f"{verdict(wall_ratio <= TARGET_WALL)} |",
        f"| peak RSS (median of {args.runs}) | {memory['one-year'] / 1024:.0f} MiB | "
        f"{memory['series'] / 1024:.0f} MiB | {mem_ratio:.2f}× | ≤ {TARGET_MEMORY}×: "
        f"{verdict(mem_ratio <= TARGET_MEMORY)} |",
    ]
    if serve:
        (o_min, o_med, o_p90), (s_min, s_med, s_p90) = serve["one-year"], serve["series"]
        lines.append(
            f"| serve save-to-reload, median (min / p90), {args.serve_runs} edits | {o_med:.1f} ms "
            f"({o_min:.1f} / {o_p90:.1f}) | {s_med:.1f} ms ({s_min:.1f} / {s_p90:.1f}) | "
            f"{s_med / o_med:.2f}× | median < {TARGET_SERVE_MS} ms: {verdict(s_med < TARGET_SERVE_MS)} |")
        lines += ["", f"Edited: `{serve['file']}` (the series), the same file in the year alone."]
    if note:
        lines += ["", note]
    print("\n" + "\n".join(lines))
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
