#!/usr/bin/env python3
"""Photos (issue 16): build time of a report with camera-sized photos, and
the image bytes a phone and a desktop download for one of its pages.

    python3 bench/photos.py                                # target/release/nianbao
    python3 bench/photos.py --nianbao /tmp/nianbao-photos --runs 3
    python3 bench/photos.py --browser                      # also count in Chromium
    python3 bench/photos.py --generate-only --keep         # just the photos and report

Needs Pillow (pip install Pillow); hyperfine if installed (else repeated
timing here), /usr/bin/time for the peak memory (optional), and for
--browser Chromium (/usr/bin/chromium or CHROMIUM=) with playwright-core
from tests/browser/node_modules (npm ci --prefix tests/browser).

Under --work (default /dev/shm/nianbao-photos, tmpfs so the CPU is what is
measured):

1. originals/: --photos (20) generated camera-like photos of 4000x3000
   (12 megapixels): a sky-to-ground gradient with a horizon, value noise at
   four scales (clouds to foliage), shapes (buildings, trees, a sun) and
   sensor grain at full resolution, saved as JPEG quality 92 (3-5 MB, as a
   phone camera writes) with EXIF (Make, Model, date, GPS). Deterministic
   (seeded), and kept between runs: generated once.
2. site/content/: a zh + en report, --per-page (3) photos declared in each
   chapter's metrics.yaml and placed with `![](photo:ID)` between
   paragraphs of one section, so one chapter page holds three photos;
   `cover_photo:` is the first photo.
3. Build time with --nianbao (default target/release/nianbao): the first
   build (cache `.nianbao-cache/` and output/ removed before each run) and
   a rebuild with nothing changed (after one warm-up run), hyperfine
   medians of --runs and --rebuild-runs runs; the build's summary line
   (`photos: N (E encoded, C from cache)`) of each kind is checked: the
   first encodes every photo, the rebuild none.
4. Image bytes of the first chapter page in English, for a 390 px phone at
   DPR 3 and a 1280 px desktop at DPR 1, all three photos counted (a
   reader scrolling through the page; they are lazy-loaded). Computed from
   the HTML the way a browser chooses: the first `<source>` of a `<picture>`
   whose type it takes (WebP, AVIF, JPEG, PNG) and whose media matches,
   else the `<img>`; the slot width from `sizes` (media conditions in px,
   em, rem; lengths in px, vw, em, rem, calc/min/max/clamp) at that
   viewport, 100vw without `sizes`; then the smallest `w` candidate at
   least slot x DPR wide, or the widest. With --browser, Chromium counts
   the bytes of every image response too, scrolling to the bottom (the two
   are printed side by side; the HTML figure is the one compared with the
   budget).

The budgets (issue 16): phone <= 660 KB, desktop <= 1 MB (KB = 1,000
bytes, MB = 1,000,000), first build of 20 photos <= 20 s on 2 cores,
rebuild <= 5% of the first build. Prints the results and writes them as the
section "## Photos (issue 16)" of bench/RESULTS.md (replacing it; the other
sections stay), unless --no-write. --work/site is removed at the end unless
--keep (the originals stay, to be reused).
"""
import argparse
import io
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "RESULTS.md")
HEADING = "## Photos (issue 16)"

WIDTH, HEIGHT = 4000, 3000
BUDGET_PHONE = 660_000
BUDGET_DESKTOP = 1_000_000
BUDGET_FIRST_S = 20.0
BUDGET_REBUILD = 0.05
VIEWPORTS = [("phone", 390, 844, 3), ("desktop", 1280, 900, 1)]
# Formats Chromium takes in <source type=…>.
TYPES = {"image/webp", "image/avif", "image/jpeg", "image/png", "image/svg+xml", ""}


# ---- 1. camera-like photos ---------------------------------------------------

def _pil():
    try:
        from PIL import Image  # noqa: F401
    except ImportError:
        sys.exit("bench/photos.py needs Pillow: pip install Pillow")


def value_noise(size, cells, rng, amplitude):
    """Smooth noise around 128: random values on a grid of `cells`, scaled
    up bicubically, `amplitude` its half range."""
    from PIL import Image
    w, h = cells
    grid = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    lut = [max(0, min(255, 128 + (v - 128) * amplitude // 128)) for v in range(256)]
    return grid.resize(size, Image.BICUBIC).point(lut)


def add(bands, noise):
    from PIL import ImageChops
    return [ImageChops.add(b, noise, 1.0, -128) for b in bands]


def camera_photo(seed):
    """One 4000x3000 photo as JPEG bytes: landscape, clouds, foliage-like
    texture, buildings and trees, grain; EXIF of a (fictional) camera."""
    from PIL import Image, ImageDraw, ImageFilter
    rng = random.Random(seed)
    size = (WIDTH, HEIGHT)
    horizon = rng.randrange(HEIGHT * 2 // 5, HEIGHT * 3 // 5)
    hue = rng.random()

    def colour(base, spread=40):
        return tuple(max(0, min(255, c + rng.randrange(-spread, spread + 1))) for c in base)

    sky_top = colour((40 + int(60 * hue), 90, 170))
    sky_low = colour((200, 170 + int(40 * hue), 150))
    ground_top = colour((70, 110, 50))
    ground_low = colour((40, 60, 30))
    grad = Image.linear_gradient("L")
    img = Image.new("RGB", size)
    sky = Image.composite(Image.new("RGB", (WIDTH, horizon), sky_low),
                          Image.new("RGB", (WIDTH, horizon), sky_top), grad.resize((WIDTH, horizon)))
    ground = Image.composite(Image.new("RGB", (WIDTH, HEIGHT - horizon), ground_low),
                             Image.new("RGB", (WIDTH, HEIGHT - horizon), ground_top),
                             grad.resize((WIDTH, HEIGHT - horizon)))
    img.paste(sky, (0, 0))
    img.paste(ground, (0, horizon))
    draw = ImageDraw.Draw(img)
    sun = rng.randrange(300, WIDTH - 300)
    draw.ellipse([sun - 160, horizon - 700, sun + 160, horizon - 380], fill=colour((255, 230, 170), 15))
    for _ in range(rng.randrange(6, 14)):  # buildings on the horizon
        x = rng.randrange(0, WIDTH - 200)
        w, h = rng.randrange(120, 520), rng.randrange(150, 900)
        draw.rectangle([x, horizon - h, x + w, horizon + 20], fill=colour((110, 105, 100), 50))
        for wy in range(horizon - h + 40, horizon - 20, 70):  # windows
            for wx in range(x + 20, x + w - 30, 60):
                if rng.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 28, wy + 36], fill=colour((60, 70, 90), 30))
    for _ in range(rng.randrange(10, 25)):  # trees
        x, y = rng.randrange(0, WIDTH), rng.randrange(horizon, HEIGHT)
        r = rng.randrange(60, 260)
        draw.rectangle([x - r // 8, y, x + r // 8, y + r], fill=colour((70, 50, 30), 20))
        draw.ellipse([x - r, y - 2 * r, x + r, y + r // 3], fill=colour((40, 90, 40), 30))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    bands = list(img.split())
    # Clouds to foliage: value noise from coarse to fine, then sensor grain.
    for cells, amplitude in (((8, 6), 40), ((40, 30), 22), ((250, 188), 14), ((1000, 750), 12)):
        bands = add(bands, value_noise(size, cells, rng, amplitude))
    grain = Image.frombytes("L", size, rng.randbytes(WIDTH * HEIGHT))
    grain = grain.point([128 + (v - 128) * 7 // 128 for v in range(256)])
    bands = add(bands, grain)
    img = Image.merge("RGB", bands)
    exif = Image.Exif()
    exif[0x010F] = "Benchcam"
    exif[0x0110] = "BC-12 Fictional"
    exif[0x0112] = 1
    exif[0x0132] = "2024:06:01 10:00:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (22.0, 17.0, float(seed % 60)), 3: "E", 4: (114.0, 10.0, 0.0)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def _write_photo(job):
    path, seed = job
    data = camera_photo(seed)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return path, len(data)


def generate_photos(folder, count):
    """photo-01.jpg … in `folder`, generated in parallel, those already
    there (from an earlier run) kept."""
    _pil()
    os.makedirs(folder, exist_ok=True)
    jobs = [(os.path.join(folder, f"photo-{i:02}.jpg"), 1600 + i) for i in range(1, count + 1)]
    todo = [j for j in jobs if not os.path.exists(j[0])]
    if todo:
        print(f"generating {len(todo)} photos of {WIDTH}x{HEIGHT} in {folder}", flush=True)
        start = time.perf_counter()
        with multiprocessing.Pool(os.cpu_count()) as pool:
            for path, size in pool.imap_unordered(_write_photo, todo):
                print(f"  {os.path.basename(path)}: {size / 1e6:.2f} MB", flush=True)
        print(f"  in {time.perf_counter() - start:.1f} s", flush=True)
    return [j[0] for j in jobs]


# ---- 2. the report -----------------------------------------------------------

PARAGRAPH = {
    "zh": "这是基准测试报告的一段正文，用来把照片隔开，像一份真实的年度报告那样。",
    "en": "A paragraph of the benchmark report, between the photos as in a real annual report.",
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_report(site, photos, per_page):
    """A zh + en report: chapter k holds photos k*per_page … in its folder,
    declared in its metrics.yaml and placed in its one section."""
    shutil.rmtree(site, ignore_errors=True)
    content = os.path.join(site, "content")
    write(os.path.join(content, "report.yaml"), (
        "languages: [zh, en]\nyear: 2024\n"
        "title: { zh: \"照片基准测试年报\", en: \"Photo benchmark report\" }\n"
        "organization: { zh: \"基准测试基金会\", en: \"Benchmark Foundation\" }\n"
        "base_url: \"/\"\n"
        "cover_photo: p01\n"))
    for lang, title in (("zh", "前言"), ("en", "Foreword")):
        write(os.path.join(content, f"_index.{lang}.md"), f"---\ntitle: {title}\n---\n{PARAGRAPH[lang]}\n")
    chapters = []
    for start in range(0, len(photos), per_page):
        k = start // per_page + 1
        folder = os.path.join(content, f"{k:02}-page{k}")
        chapters.append(f"page{k}")
        ids = []
        lines = ["photos:"]
        for i, src in enumerate(photos[start:start + per_page], start + 1):
            pid = f"p{i:02}"
            ids.append(pid)
            name = f"IMG_{1000 + i}.jpg"
            os.makedirs(folder, exist_ok=True)
            shutil.copyfile(src, os.path.join(folder, name))
            lines += [
                f"  - id: {pid}",
                f"    file: {name}",
                f"    alt: {{ zh: \"基准测试照片{i}：地平线上的建筑和树\", en: \"Benchmark photo {i}: buildings and trees on the horizon\" }}",
                f"    caption: {{ zh: \"照片{i}\", en: \"Photo {i}\" }}",
                "    credit: \"Photo: Benchmark (generated)\"",
            ]
        write(os.path.join(folder, "metrics.yaml"), "\n".join(lines) + "\n")
        for lang, title in (("zh", f"第{k}章"), ("en", f"Chapter {k}")):
            write(os.path.join(folder, f"_index.{lang}.md"), f"---\ntitle: {title}\n---\n{PARAGRAPH[lang]}\n")
            body = "\n\n".join(f"{PARAGRAPH[lang]}\n\n![](photo:{pid})" for pid in ids)
            write(os.path.join(folder, f"01-photos.{lang}.md"),
                  f"---\ntitle: {'照片' if lang == 'zh' else 'Photos'}\n---\n{body}\n\n{PARAGRAPH[lang]}\n")
    return chapters


# ---- 3. build time ---------------------------------------------------------------

def build(nianbao, site):
    run = subprocess.run([nianbao, "build", "--root", site], text=True, capture_output=True)
    if run.returncode != 0:
        sys.exit(f"nianbao build --root {site} failed ({run.returncode}):\n{run.stderr[-4000:]}")
    return run.stderr


def summary(stderr):
    """(N, encoded, from cache) of the build's `photos: N (E encoded, C from cache)`."""
    m = re.search(r"photos: (\d+) \((\d+) encoded, (\d+) from cache\)", stderr)
    if not m:
        sys.exit(f"no `photos: N (E encoded, C from cache)` in the build's summary:\n{stderr[-2000:]}")
    return tuple(int(g) for g in m.groups())


def clean(site, cache=True):
    shutil.rmtree(os.path.join(site, "output"), ignore_errors=True)
    if cache:
        shutil.rmtree(os.path.join(site, ".nianbao-cache"), ignore_errors=True)


def time_builds(nianbao, site, runs, rebuild_runs, work):
    """Medians (s) of the first build (cache and output emptied) and of the
    rebuild (nothing changed), and how they were measured."""
    cmd = f"{nianbao} build --root {site}"
    if shutil.which("hyperfine"):
        export = os.path.join(work, "hyperfine-photos.json")
        prepare = f"rm -rf {site}/.nianbao-cache {site}/output"
        subprocess.run(["hyperfine", "--style", "basic", "--runs", str(runs), "--export-json", export,
                        "-n", "first build", "--prepare", prepare, cmd], check=True)
        with open(export, encoding="utf-8") as f:
            first = json.load(f)["results"][0]
        subprocess.run(["hyperfine", "--style", "basic", "--warmup", "1", "--runs", str(rebuild_runs),
                        "--export-json", export, "-n", "rebuild", cmd], check=True)
        with open(export, encoding="utf-8") as f:
            again = json.load(f)["results"][0]
        return first["median"], again["median"], f"hyperfine medians ({runs} and {rebuild_runs} runs)"
    print("hyperfine not found: timing here (apt-get install hyperfine for better figures)", flush=True)
    firsts, agains = [], []
    for _ in range(runs):
        clean(site)
        start = time.perf_counter()
        build(nianbao, site)
        firsts.append(time.perf_counter() - start)
    build(nianbao, site)  # warm-up
    for _ in range(rebuild_runs):
        start = time.perf_counter()
        build(nianbao, site)
        agains.append(time.perf_counter() - start)
    return (statistics.median(firsts), statistics.median(agains),
            f"medians of {runs} and {rebuild_runs} runs timed by bench/photos.py")


def peak_rss_mb(nianbao, site):
    """Peak RSS of one first build, or None without /usr/bin/time."""
    if not os.path.exists("/usr/bin/time"):
        return None
    clean(site)
    run = subprocess.run(["/usr/bin/time", "-v", nianbao, "build", "--root", site], text=True, capture_output=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return int(m.group(1)) / 1024 if m and run.returncode == 0 else None


# ---- 4. image bytes: the browser's choice from the HTML -------------------------

class Pictures(HTMLParser):
    """The images of a page: for each, the candidate lists a browser
    considers, in order: [(type, media, srcset, sizes)], the `<img>` last."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []
        self._sources = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "picture":
            self._sources = []
        elif tag == "source" and self._sources is not None:
            self._sources.append((a.get("type") or "", a.get("media") or "", a.get("srcset") or "", a.get("sizes")))
        elif tag == "img":
            img = ("", "", a.get("srcset") or "", a.get("sizes"))
            self.images.append({"src": a.get("src") or "", "alt": a.get("alt") or "",
                                "loading": a.get("loading"), "options": (self._sources or []) + [img]})

    def handle_endtag(self, tag):
        if tag == "picture":
            self._sources = None


ROOT_PX = 16.0


def length_px(text, viewport):
    """A CSS length (px, vw, em, rem, calc/min/max/clamp) in CSS px."""
    expr = text.strip().lower()
    expr = re.sub(r"(\d*\.?\d+)(px|vw|vh|em|rem)\b",
                  lambda m: repr(float(m.group(1)) * {"px": 1, "vw": viewport / 100, "vh": viewport / 100,
                                                      "em": ROOT_PX, "rem": ROOT_PX}[m.group(2)]), expr)
    expr = expr.replace("calc(", "(")
    if not re.fullmatch(r"[\d.\s+\-*/(),]*(?:(?:min|max|clamp)[\d.\s+\-*/(),]*)*", expr):
        raise ValueError(f"cannot evaluate the length `{text}`")
    clamp = lambda lo, v, hi: max(lo, min(v, hi))  # noqa: E731
    return float(eval(expr, {"__builtins__": {}}, {"min": min, "max": max, "clamp": clamp}))


def media_matches(condition, viewport):
    """(min-width: …) / (max-width: …) joined by `and`; an empty media matches."""
    condition = condition.strip().lower()
    if not condition or condition == "all":
        return True
    for part in re.split(r"\band\b", condition):
        part = part.strip()
        if part in ("screen", "all", "only screen"):
            continue
        m = re.fullmatch(r"\(\s*(min|max)-width\s*:\s*([^)]+)\)", part)
        if not m:
            raise ValueError(f"cannot evaluate the media condition `{condition}`")
        px = length_px(m.group(2), viewport)
        if (m.group(1) == "min" and viewport < px) or (m.group(1) == "max" and viewport > px):
            return False
    return True


def slot_px(sizes, viewport):
    """The slot width `sizes` gives at this viewport (100vw without it)."""
    if not sizes:
        return float(viewport)
    for entry in [e.strip() for e in sizes.split(",")]:
        m = re.fullmatch(r"(\(.*\))\s+(.+)", entry)
        if m:
            if media_matches(m.group(1), viewport):
                return length_px(m.group(2), viewport)
        else:
            return length_px(entry, viewport)
    return float(viewport)


def split_srcset(srcset):
    out = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        w = None
        if len(parts) > 1 and parts[1].endswith("w"):
            w = int(parts[1][:-1])
        out.append((parts[0], w))
    return out


def choose(image, viewport, dpr):
    """The URL a browser downloads for this image, with the slot and why."""
    for kind, media, srcset, sizes in image["options"]:
        if kind not in TYPES or not media_matches(media, viewport):
            continue
        candidates = [c for c in split_srcset(srcset) if c[1]]
        if not candidates:
            if srcset:  # x descriptors or a bare URL: the first
                return split_srcset(srcset)[0][0], None, kind
            return image["src"], None, kind or "img"
        slot = slot_px(sizes, viewport)
        need = slot * dpr
        fitting = sorted((c for c in candidates if c[1] >= need), key=lambda c: c[1])
        url, _ = fitting[0] if fitting else max(candidates, key=lambda c: c[1])
        return url, slot, kind or "img"
    return image["src"], None, "img"


def page_bytes(output, page, viewport, dpr):
    """(total bytes, [(alt, url, slot, bytes)]) of the photos of `page`."""
    with open(os.path.join(output, page), encoding="utf-8") as f:
        html = f.read()
    parser = Pictures()
    parser.feed(html)
    chosen, total, seen = [], 0, set()
    page_dir = os.path.dirname(os.path.join(output, page))
    for image in parser.images:
        if "photos/" not in image["src"]:
            continue
        url, slot, _ = choose(image, viewport, dpr)
        path = resolve(output, page_dir, url)
        size = os.path.getsize(path)
        if url not in seen:
            total += size
            seen.add(url)
        chosen.append((image["alt"], url, slot, size))
    return total, chosen


def resolve(output, page_dir, url):
    url = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    if url.startswith("/"):
        return os.path.join(output, url.lstrip("/"))
    return os.path.normpath(os.path.join(page_dir, url))


# ---- 4b. the same in Chromium -------------------------------------------------------

BROWSER_SCRIPT = r"""
import { createRequire } from 'node:module';
const require = createRequire(process.env.BROWSER_DIR + '/package.json');
const { chromium } = require('playwright-core');
const [url, width, height, dpr] = [process.env.PAGE_URL, +process.env.VW, +process.env.VH, +process.env.DPR];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr });
const page = await context.newPage();
const images = [];
page.on('response', async (r) => {
  if (r.request().resourceType() !== 'image') return;
  try { images.push({ url: r.url(), bytes: (await r.body()).length }); } catch { /* redirects */ }
});
await page.goto(url, { waitUntil: 'networkidle' });
for (let y = 0; y < 40; y += 1) {
  const done = await page.evaluate((h) => { window.scrollBy(0, h / 2); return window.scrollY + window.innerHeight >= document.body.scrollHeight; }, height);
  await page.waitForTimeout(150);
  if (done) break;
}
await page.waitForLoadState('networkidle');
await page.waitForTimeout(300);
console.log(JSON.stringify(images));
await browser.close();
"""


def browser_bytes(output, page, width, height, dpr):
    """Bytes of the photo responses Chromium loads for `page`, scrolled to
    the bottom (served from `output` on 127.0.0.1)."""
    import functools
    import http.server
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    browser_dir = os.path.join(ROOT, "tests", "browser")
    if not os.path.exists(chromium) or not os.path.isdir(os.path.join(browser_dir, "node_modules", "playwright-core")):
        sys.exit("--browser needs Chromium (CHROMIUM=) and `npm ci --prefix tests/browser`")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "photos-bytes.mjs")
            with open(script, "w") as f:
                f.write(BROWSER_SCRIPT)
            env = dict(os.environ, BROWSER_DIR=browser_dir, CHROMIUM=chromium, VW=str(width), VH=str(height),
                       DPR=str(dpr), PAGE_URL=f"http://127.0.0.1:{server.server_address[1]}/{page}")
            run = subprocess.run(["node", script], text=True, capture_output=True, env=env, timeout=300)
            if run.returncode != 0:
                sys.exit(f"chromium run failed:\n{run.stderr[-3000:]}")
    finally:
        server.shutdown()
    images = [i for i in json.loads(run.stdout.strip().splitlines()[-1]) if "/photos/" in i["url"]]
    return sum(i["bytes"] for i in images), images


# ---- results -------------------------------------------------------------------------

def machine(nianbao):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    version = subprocess.run([nianbao, "--version"], text=True, capture_output=True).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}; {platform.system()} {platform.release()}; {version}"


def kb(n):
    return f"{n / 1000:,.0f} KB"


def verdict(ok):
    return "✓ within" if ok else "✗ over"


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nianbao", default=os.path.join(ROOT, "target", "release", "nianbao"))
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--per-page", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="runs of the first build (default 3)")
    parser.add_argument("--rebuild-runs", type=int, default=10)
    parser.add_argument("--work", default="/dev/shm/nianbao-photos")
    parser.add_argument("--browser", action="store_true", help="also count the bytes in headless Chromium")
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    parser.add_argument("--generate-only", action="store_true", help="generate the photos and the report, then stop")
    parser.add_argument("--keep", action="store_true", help="keep --work/site")
    args = parser.parse_args()

    originals = generate_photos(os.path.join(args.work, "originals"), args.photos)
    original_bytes = [os.path.getsize(p) for p in originals]
    site = os.path.join(args.work, "site")
    chapters = write_report(site, originals, args.per_page)
    print(f"report with {len(originals)} photos, {args.per_page} a page, in {site}", flush=True)
    if args.generate_only:
        return
    nianbao = os.path.abspath(args.nianbao)
    if not os.access(nianbao, os.X_OK):
        sys.exit(f"no nianbao binary at {nianbao} (cargo build --release, or --nianbao PATH)")

    # Correctness first: the first build encodes everything, a rebuild nothing.
    clean(site)
    first_summary = summary(build(nianbao, site))
    again_summary = summary(build(nianbao, site))
    if first_summary[1] == 0 or again_summary[1] != 0:
        sys.exit(f"first build {first_summary}, rebuild {again_summary}: expected (N, N, 0) then (N, 0, N)")

    first_s, again_s, how = time_builds(nianbao, site, args.runs, args.rebuild_runs, args.work)
    rss = peak_rss_mb(nianbao, site)
    build(nianbao, site)  # leave a complete output (and cache) to measure

    output = os.path.join(site, "output")
    page = f"en/{chapters[0]}/index.html"
    bytes_html, bytes_browser = {}, {}
    for name, width, height, dpr in VIEWPORTS:
        bytes_html[name] = page_bytes(output, page, width, dpr)
        if args.browser:
            bytes_browser[name] = browser_bytes(output, page, width, height, dpr)

    page_originals = sum(original_bytes[:args.per_page])
    checks = {
        "first": first_s <= BUDGET_FIRST_S,
        "rebuild": again_s <= BUDGET_REBUILD * first_s,
        "phone": bytes_html["phone"][0] <= BUDGET_PHONE,
        "desktop": bytes_html["desktop"][0] <= BUDGET_DESKTOP,
    }
    command = "python3 bench/photos.py" + (f" --nianbao {args.nianbao}" if args.nianbao != parser.get_default("nianbao") else "") \
        + (" --browser" if args.browser else "")
    lines = [
        HEADING,
        "",
        f"Produced by `{command}` (see its docstring): {len(originals)} generated camera-like JPEGs of "
        f"{WIDTH}×{HEIGHT} (12 MP, quality 92, EXIF with GPS; {min(original_bytes) / 1e6:.1f}–"
        f"{max(original_bytes) / 1e6:.1f} MB, {sum(original_bytes) / 1e6:.0f} MB in all), "
        f"{args.per_page} on each chapter page of a zh + en report, `cover_photo:` the first; "
        f"sources and output on tmpfs; {how}. KB = 1,000 bytes.",
        "",
        f"Machine: {machine(nianbao)}",
        "",
        "| measure | result | budget | |",
        "| --- | --- | --- | --- |",
        f"| first build, {len(originals)} photos (cache and output emptied) | {first_s:.2f} s | ≤ {BUDGET_FIRST_S:.0f} s | {verdict(checks['first'])} |",
        f"| rebuild, nothing changed | {again_s * 1000:.0f} ms ({again_s / first_s:.1%} of the first build) | ≤ 5% | {verdict(checks['rebuild'])} |",
    ]
    for name, width, _, dpr in VIEWPORTS:
        total, chosen = bytes_html[name]
        budget = BUDGET_PHONE if name == "phone" else BUDGET_DESKTOP
        what = ", ".join(os.path.basename(url).split("-", 1)[1] for _, url, _, _ in chosen)
        lines.append(f"| {name} {width} px at DPR {dpr}: image bytes of `{page}` ({len(chosen)} photos: {what}) "
                     f"| {kb(total)} ({total / page_originals:.1%} of the originals' {page_originals / 1e6:.1f} MB) "
                     f"| ≤ {kb(budget)} | {verdict(checks[name])} |")
    lines += [
        "",
        f"Build summaries: first `photos: {first_summary[0]} ({first_summary[1]} encoded, {first_summary[2]} from cache)`, "
        f"rebuild `photos: {again_summary[0]} ({again_summary[1]} encoded, {again_summary[2]} from cache)`."
        + (f" Peak RSS of a first build: {rss:.0f} MiB." if rss else ""),
    ]
    for name, width, _, dpr in VIEWPORTS:
        slots = sorted({round(slot) for _, _, slot, _ in bytes_html[name][1] if slot})
        lines.append(f"The {name}'s slot from `sizes`: {', '.join(f'{s} px' for s in slots) or 'none'} "
                     f"(× DPR {dpr}).")
    if bytes_browser:
        lines.append("Counted by Chromium as well (all image responses of the page, scrolled to the bottom): "
                     + "; ".join(f"{name} {kb(bytes_browser[name][0])}" for name, *_ in VIEWPORTS) + ".")
    print("\n".join(lines))
    if not args.no_write:
        write_section(lines)
        print(f"\nwritten to {os.path.relpath(RESULTS, ROOT)}")
    if not args.keep:
        shutil.rmtree(site, ignore_errors=True)
    if not all(checks.values()):
        print("over budget: " + ", ".join(k for k, ok in checks.items() if not ok), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
