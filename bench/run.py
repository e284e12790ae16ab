"""``make bench``: speed and quality of dedup beside the baselines, in one run.

Writes bench/results.md (tables) and bench/results.json (every figure). Speed figures are
medians of several passes inside this process. The figures the targets compare (bare
parse, dedup, trafilatura) run interleaved, one pass of each per round, and each ratio is
the median of the ratios within a round, so they hold on a noisy machine. Not part of
``make test``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import lxml.html

import dedup
from dedup import core
from dedup.match.normalize import fold
from dedup.model import Kind
from dedup.profile import stage_timings

from . import adjudicated, baselines, inject, inject_html

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEDUP_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
OUT = Path(__file__).resolve().parent


def load_pages() -> list[tuple[str, bytes]]:
    pages = sorted((CORPUS / "pages").glob("*.html"))
    if not pages:
        sys.exit(f"bench: no pages under {CORPUS / 'pages'}")
    return [(p.name, p.read_bytes()) for p in pages]


def median_seconds(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up: caches, imports, lazily built tables
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


# ---------------------------------------------------------------- speed


PURE = " [pure Python]"


def pure(fn: Callable[[], object]) -> Callable[[], None]:
    """``fn`` run on the pure-Python twin of the compiled core (the same in a process
    where the core is not built)."""

    def run() -> None:
        saved, core.compiled = core.compiled, None
        try:
            fn()
        finally:
            core.compiled = saved

    return run


def block_texts(pages: list[tuple[str, bytes]]) -> list[list[str]]:
    """Each page's blocks' texts: the text input the benchmark feeds as plain text."""
    cleaner = dedup.Cleaner()
    return [[b.text for b in cleaner.clean(data, name=name).blocks] for name, data in pages]


def speed(pages: list[tuple[str, bytes]], runs: int, rounds: int) -> dict:
    cleaner = dedup.Cleaner()
    blocks_per_page = block_texts(pages)
    texts = ["\n\n".join(blocks) for blocks in blocks_per_page]
    text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    def bare() -> None:
        for _, data in pages:
            lxml.html.document_fromstring(data)

    def full(output: str) -> Callable[[], None]:
        # A whole clean of every page with its JSON report, writing "text" (what
        # `dedup clean page.html` writes: the kept blocks) or "html" (what `dedup fix` and
        # `clean -f html` write: the page itself, rewritten).
        def run() -> None:
            cleaner = dedup.Cleaner()  # a new one: every pass starts as a fresh process would
            for name, data in pages:
                r = cleaner.clean(data, name=name)
                r.output(output)
                r.report("json")

        return run

    def text_input() -> None:
        for t in texts:
            cleaner.clean(t, format="text").text  # noqa: B018

    def exact() -> None:
        for blocks in blocks_per_page:
            baselines.exact_hash(blocks)

    def all_pairs() -> None:
        for blocks in blocks_per_page:
            baselines.all_pairs_jaccard(blocks)

    def trafilatura_run() -> None:
        import trafilatura
        from trafilatura import deduplication

        for _, data in pages:
            deduplication.LRU_TEST.clear()
            trafilatura.extract(data, deduplicate=True)

    figures = {}
    n = len(pages)

    def record(label: str, times: list[float]) -> None:
        med = statistics.median(times)
        figures[label] = {
            "seconds": med,
            "pages_per_s": n / med,
            "runs": [round(t, 4) for t in times],
        }
        print(f"  {label}: {med:.3f} s, {n / med:.0f} pages/s", file=sys.stderr)

    # The figures the targets compare run interleaved, one pass of each per round: a
    # machine that slows down for a minute slows every one of them, not one alone.
    bare_l, text_l, html_l, traf_l = (
        "bare lxml.html parse",
        "dedup full clean (HTML in, text out, JSON report)",
        "dedup full clean (HTML in, cleaned HTML out, JSON report)",
        "trafilatura.extract(deduplicate=True)",
    )
    timed = interleaved(
        {
            bare_l: bare,
            text_l: full("text"),
            text_l + PURE: pure(full("text")),
            html_l: full("html"),
            traf_l: trafilatura_run,
        },
        rounds,
    )
    for label, times in timed.items():
        record(label, times)
    text_in = "dedup text input"
    for label, fn, r in [
        ("naive exact-hash dedup (blocks given)", exact, runs),
        ("naive all-pairs exact Jaccard (blocks given)", all_pairs, max(1, runs // 2)),
    ]:
        record(label, median_seconds(fn, r)[1])
    for label, times in interleaved(
        {text_in: text_input, text_in + PURE: pure(text_input)}, runs
    ).items():
        record(label, times)
        figures[label]["mb_per_s"] = text_mb / figures[label]["seconds"]

    def ratio(top: str, bottom: str) -> dict:
        """One figure over another in each round: the median over rounds, and the least
        and the most."""
        each = [a / b for a, b in zip(timed[top], timed[bottom], strict=True)]
        return {"median": statistics.median(each), "min": min(each), "max": max(each)}

    return {
        "pages": n,
        "rounds": rounds,
        "text_mb": text_mb,
        "figures": figures,
        "ratios": {
            "dedup_vs_bare_parse_time": ratio(text_l, bare_l),
            "dedup_pure_vs_bare_parse_time": ratio(text_l + PURE, bare_l),
            "dedup_vs_trafilatura_speed": ratio(traf_l, text_l),
            "dedup_html_vs_bare_parse_time": ratio(html_l, bare_l),
            "dedup_html_vs_trafilatura_speed": ratio(traf_l, html_l),
        },
        "ratio_rule": "median over rounds of the ratio within each round, with the least and most",
        "targets": {"dedup_vs_bare_parse_time": "<= 3", "dedup_vs_trafilatura_speed": ">= 5"},
    }


def _stage_rows(compiled: dict[str, float], twin: dict[str, float]) -> list[str]:
    total, total_twin = sum(compiled.values()), sum(twin.values())
    return [
        f"| {stage} | {sec:.3f} | {sec / total:.0%} | {twin.get(stage, 0.0):.3f} | "
        f"{twin.get(stage, 0.0) / total_twin:.0%} |"
        for stage, sec in compiled.items()
    ]


def interleaved(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each function over ``rounds`` rounds, one pass of each per round."""
    for fn in fns.values():
        fn()  # warm-up: caches, imports, lazily built tables
    times: dict[str, list[float]] = {label: [] for label in fns}
    for _ in range(rounds):
        for label, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - start)
    return times


def stage_profile(pages: list[tuple[str, bytes]], runs: int) -> dict:
    """Seconds per stage over the corpus (median of runs), on the compiled core and on its
    pure-Python twin: the pages as HTML, and their blocks' text as plain text."""
    texts = ["\n\n".join(blocks) for blocks in block_texts(pages)]
    profiles: dict[str, dict] = {"compiled": {}, "pure": {}, "text": {}, "text_pure": {}}

    def compiled() -> None:
        profiles["compiled"] = _stage_profile(_html_clean(pages), runs)
        profiles["text"] = _stage_profile(_text_clean(texts), runs)

    def twin() -> None:
        profiles["pure"] = _stage_profile(_html_clean(pages), runs)
        profiles["text_pure"] = _stage_profile(_text_clean(texts), runs)

    compiled()
    pure(twin)()
    return profiles


def _add(timings: dict[str, float], stage: str, since: float) -> float:
    """Add the seconds since ``since`` to a stage; return the time now."""
    now = time.perf_counter()
    timings[stage] = timings.get(stage, 0.0) + now - since
    return now


def _html_clean(pages: list[tuple[str, bytes]]) -> Callable[[dict[str, float]], None]:
    """A clean of every page with both outputs and the JSON report, timed into a dict."""

    def run(timings: dict[str, float]) -> None:
        cleaner = dedup.Cleaner()
        for name, data in pages:
            r = cleaner.clean(data, name=name)
            start = time.perf_counter()
            r.output("text")
            r.output("html")
            mid = _add(timings, "rewrite", start)
            r.report("json")
            _add(timings, "report", mid)

    return run


def _text_clean(texts: list[str]) -> Callable[[dict[str, float]], None]:
    """A clean of every text with its text output, timed into a dict."""

    def run(timings: dict[str, float]) -> None:
        cleaner = dedup.Cleaner()
        for text in texts:
            r = cleaner.clean(text, format="text")
            start = time.perf_counter()
            r.output("text")
            _add(timings, "rewrite", start)

    return run


def _stage_profile(clean: Callable[[dict[str, float]], None], runs: int) -> dict:
    """Seconds per stage of ``clean`` (the median of ``runs`` after one to warm up)."""
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs + 1):
        with stage_timings() as timings:
            clean(timings)
        for stage, seconds in timings.items():
            samples[stage].append(seconds)
    return {stage: statistics.median(v[1:]) for stage, v in samples.items()}


def _hwm_mib(pid: int) -> float:
    """A process's peak resident set so far (VmHWM), in MiB; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


def _peak_rss(cmd: list[str]) -> tuple[float, float, float, int]:
    """Run a command; return (wall seconds, parent peak MiB, largest worker peak MiB, exit).

    The peaks are read from /proc while it runs: the resource usage a parent gets back
    after a fork also counts the pages the child inherited from this (large) process.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    parent = worker = 0.0
    while proc.poll() is None:
        parent = max(parent, _hwm_mib(proc.pid))
        for child in _children(proc.pid):
            worker = max(worker, _hwm_mib(child))
        time.sleep(0.02)
    return time.perf_counter() - start, parent, worker, proc.returncode


def memory(pages: list[tuple[str, bytes]]) -> dict:
    """Peak RSS of the CLI over the corpus as JSONL, once and ten times repeated."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in (1, 10):
            path = Path(tmp, f"stream{repeat}.jsonl")
            with path.open("w", encoding="utf-8") as fh:
                for _ in range(repeat):
                    for name, data in pages:
                        fh.write(
                            json.dumps({"id": name, "html": data.decode("utf-8", "replace")}) + "\n"
                        )
            for jobs in (1, 2):
                wall, parent, worker, code = _peak_rss(
                    [
                        sys.executable,
                        "-m",
                        "dedup",
                        "clean",
                        str(path),
                        "--html-field",
                        "html",
                        "-q",
                        "--jobs",
                        str(jobs),
                        "-o",
                        str(Path(tmp, "out.jsonl")),
                    ]
                )
                out[f"x{repeat} jobs={jobs}"] = {
                    "records": repeat * len(pages),
                    "peak_rss_mib": parent,
                    "worker_peak_rss_mib": worker,
                    "wall_s": wall,
                    "records_per_s": repeat * len(pages) / wall,
                    "exit": code,
                }
                print(
                    f"  memory x{repeat} jobs={jobs}: {parent:.0f} MiB (workers {worker:.0f})",
                    file=sys.stderr,
                )
    return out


# ---------------------------------------------------------------- quality


def _dedup_kept(texts: list[str]) -> list[int]:
    """The texts that keep a block: a text holding a line break may be read a line a block
    (when one of its lines is written elsewhere too), and goes only when all its lines go."""
    result = dedup.clean("\n\n".join(texts), format="text")
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 2
    return sorted({bisect.bisect_right(starts, b.start) - 1 for b in result.kept})


METHODS: dict[str, Callable[[list[str]], list[int]]] = {
    "dedup": _dedup_kept,
    "naive exact-hash": baselines.exact_hash,
    "naive all-pairs Jaccard": baselines.all_pairs_jaccard,
    "trafilatura deduplicate": baselines.trafilatura_dedup,
}


def _paragraphs(name: str, data: bytes) -> list[str]:
    """The page's paragraphs dedup keeps, each once: a repeat kept for the structure around
    it (an interview's questions) loses that structure in a list of paragraphs."""
    r = dedup.clean(data, name=name)
    texts = [b.text for b in r.kept if b.kind is Kind.PARAGRAPH and len(b.text) >= 80]
    return list(dict.fromkeys(texts))


def injected(pages: list[tuple[str, bytes]], seeds: int) -> dict:
    """Recall per echo kind, content lost, controls removed, per method."""
    docs = []
    for seed in range(seeds):
        rng = random.Random(seed)
        for name, data in pages:
            paragraphs = _paragraphs(name, data)
            if len(paragraphs) >= 8:
                docs.append(inject.document(paragraphs[:40], rng))
    seed_text = (SAMPLES / "arabic-musk-repeated-captions.txt").read_text(encoding="utf-8")
    arabic = [p for p in dict.fromkeys(seed_text.split("\n\n")) if len(p) >= 80]
    for seed in range(seeds * 10):
        docs.append(inject.document(arabic, random.Random(1000 + seed)))
    results = {}
    for method, fn in METHODS.items():
        hit: Counter[str] = Counter()
        tried: Counter[str] = Counter()
        controls_removed: Counter[str] = Counter()
        controls: Counter[str] = Counter()
        lost = originals = 0
        for blocks in docs:
            texts = [b.text for b in blocks]
            kept = set(fn(texts))
            reference = set(range(len(blocks)))
            if method == "trafilatura deduplicate":
                reference = set(baselines.trafilatura_dedup(texts, deduplicate=False))
            protected = set()
            for i, b in enumerate(blocks):
                if b.role == "echo" and i in reference and b.source in reference:
                    tried[b.kind] += 1
                    if b.kind in inject.EQUIVALENT:
                        ok = (i in kept) != (b.source in kept)
                        if i in kept:
                            protected.add(b.source)
                    else:
                        ok = i not in kept and b.source in kept
                    hit[b.kind] += ok
                elif b.role == "control" and i in reference and b.source in reference:
                    controls[b.kind] += 1
                    controls_removed[b.kind] += i not in kept or b.source not in kept
            for i, b in enumerate(blocks):
                if b.role == "original" and i in reference:
                    originals += 1
                    lost += i not in kept and i not in protected
        results[method] = {
            "recall": {k: hit[k] / tried[k] for k in inject.ECHO_KINDS if tried[k]},
            "echoes": dict(tried),
            "recall_all": sum(hit.values()) / max(1, sum(tried.values())),
            "content_lost": lost / max(1, originals),
            "originals": originals,
            "controls_removed": {k: controls_removed[k] / controls[k] for k in controls},
            "controls": dict(controls),
        }
        print(f"  injected, {method}: recall {results[method]['recall_all']:.3f}", file=sys.stderr)
    return {"documents": len(docs), "seeds": seeds, "methods": results}


def injected_html(pages: list[tuple[str, bytes]], seed: int = 0) -> dict:
    """dedup's recall on echoes written into the pages' own markup, and what else it lost."""
    rng = random.Random(seed)
    cleaner = dedup.Cleaner()
    found: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    lost = 0
    for name, data in pages:
        before = cleaner.clean(data, name=name)
        for case in inject_html.cases(before, rng):
            after = cleaner.clean(case.page, format="html", name=name)
            ok, gone = inject_html.score(case, before, after)
            tried[case.kind] += 1
            found[case.kind] += ok
            lost += gone
    total = sum(tried.values())
    print(
        f"  injected into HTML, dedup: recall {sum(found.values()) / max(1, total):.3f}",
        file=sys.stderr,
    )
    return {
        "seed": seed,
        "cases": total,
        "recall": {k: found[k] / tried[k] for k in inject_html.KINDS if tried[k]},
        "tried": {k: tried[k] for k in inject_html.KINDS if tried[k]},
        "recall_all": sum(found.values()) / max(1, total),
        "other_blocks_lost": lost,
    }


def _truth(base: str) -> list[str]:
    truth = CORPUS / "truth"
    for ext in (".json", ".txt", ".expected.html"):
        path = truth / (base + ext)
        if not path.exists():
            continue
        if ext == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if "articleBody" in data:
                return data["articleBody"].split("\n")
            if "with" in data:
                return list(data["with"])
            return (data.get("expected", {}).get("cleaned_text") or "").split("\n")
        if ext == ".txt":
            return path.read_text(encoding="utf-8").split("\n")
        doc = lxml.html.fromstring(path.read_bytes())
        return [
            e.text_content()
            for e in doc.iter("p", "h1", "h2", "h3", "li", "blockquote", "figcaption")
        ]
    return []


def ground_truth(pages: list[tuple[str, bytes]]) -> dict:
    """Share of each truth file's paragraphs that survive cleaning, of those present before."""
    out = {}
    cleaner = dedup.Cleaner()
    lost_examples = []
    for method in METHODS:
        before = after = 0
        for name, data in pages:
            paragraphs = [fold(p) for p in _truth(name[:-5]) if len(fold(p)) >= 15]
            if not paragraphs:
                continue
            blocks = [b.text for b in cleaner.clean(data, name=name).blocks]
            if method == "dedup":
                r = cleaner.clean(data, name=name)
                kept_text = fold(" ".join(b.text for b in r.kept))
            elif method == "trafilatura deduplicate":
                import trafilatura
                from trafilatura import deduplication

                deduplication.LRU_TEST.clear()
                blocks = [trafilatura.extract(data, deduplicate=False) or ""]
                deduplication.LRU_TEST.clear()
                kept_text = fold(trafilatura.extract(data, deduplicate=True) or "")
            else:
                kept_text = fold(" ".join(blocks[i] for i in METHODS[method](blocks)))
            all_text = fold(" ".join(blocks))
            for p in paragraphs:
                if p in all_text:
                    before += 1
                    if p in kept_text:
                        after += 1
                    elif method == "dedup":
                        lost_examples.append((name, p[:100]))
        out[method] = {
            "present_before": before,
            "survive_after": after,
            "share": after / before if before else 1.0,
        }
        print(f"  truth, {method}: {after}/{before}", file=sys.stderr)
    out["dedup_lost_examples"] = lost_examples
    return out


SAMPLES = ROOT / "samples"


# ---------------------------------------------------------------- report


def markdown(results: dict) -> str:
    s = results["speed"]
    lines = [
        "# dedup benchmark",
        "",
        f"{results['machine']}; {s['pages']} pages of ../shared/corpus; {results['runs']} passes each "
        "(median), all in one process.",
        "",
        "## Speed",
        "",
        "| what | seconds | pages/s |",
        "|---|---:|---:|",
    ]
    for label, f in s["figures"].items():
        lines.append(f"| {label} | {f['seconds']:.3f} | {f['pages_per_s']:.0f} |")
    r = s["ratios"]

    def spread(x: dict) -> str:
        return f"**{x['median']:.2f}x** ({x['min']:.2f}-{x['max']:.2f})"

    text_in = s["figures"]["dedup text input"]
    pure_in = s["figures"]["dedup text input" + PURE]
    lines += [
        "",
        f"- the hot loops ran on: {results.get('core', 'pure Python')}; `{PURE.strip()}` rows ran "
        "on its pure-Python twin (DEDUP_PURE)",
        f"- text input: {text_in['mb_per_s']:.1f} MB/s ({pure_in['mb_per_s']:.1f} MB/s on the "
        f"pure twin; {s['text_mb']:.1f} MB of the pages' block text)",
        f"- ratios: the median over {s.get('rounds', results['runs'])} rounds of the ratio "
        "within a round, (least-most); bare parse, dedup and trafilatura run interleaved, one "
        "pass of each per round",
        f"- dedup time / bare parse time: {spread(r['dedup_vs_bare_parse_time'])}; on the pure "
        f"twin {spread(r['dedup_pure_vs_bare_parse_time'])}; with cleaned HTML out: "
        f"{spread(r['dedup_html_vs_bare_parse_time'])}",
        f"- dedup speed / trafilatura speed: {spread(r['dedup_vs_trafilatura_speed'])}; with "
        f"cleaned HTML out: {spread(r['dedup_html_vs_trafilatura_speed'])}",
        "",
        "## Where the time goes (seconds over the corpus, median)",
        "",
        "| stage | compiled core | share | pure-Python twin | share |",
        "|---|---:|---:|---:|---:|",
    ]
    profile = results["profile"]
    lines += _stage_rows(profile["compiled"], profile["pure"])
    if profile.get("text"):
        lines += [
            "",
            f"Text input (the same pages' block text, {s['text_mb']:.1f} MB, cleaned as plain "
            "text; seconds, median):",
            "",
            "| stage | compiled core | share | pure-Python twin | share |",
            "|---|---:|---:|---:|---:|",
            *_stage_rows(profile["text"], profile["text_pure"]),
        ]
    lines += [
        "",
        "## Memory: the CLI over the corpus as JSONL",
        "",
        "| stream | records | peak RSS MiB (main) | peak RSS MiB (a worker) | records/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, m in results["memory"].items():
        lines.append(
            f"| {label} | {m['records']} | {m['peak_rss_mib']:.0f} | "
            f"{m['worker_peak_rss_mib']:.0f} | {m['records_per_s']:.0f} |"
        )
    q = results["injected"]
    lines += [
        "",
        f"## Injected echoes ({q['documents']} documents, seeds 0-{q['seeds'] - 1})",
        "",
        "Recall by perturbation (one copy removed; for truncated copies and pull quotes, the "
        "shorter one):",
        "",
    ]
    methods = list(q["methods"])
    lines.append("| kind | " + " | ".join(methods) + " |")
    lines.append("|---|" + "---:|" * len(methods))
    for kind in inject.ECHO_KINDS:
        cells = [f"{q['methods'][m]['recall'].get(kind, float('nan')):.3f}" for m in methods]
        lines.append(
            f"| {kind} ({q['methods']['dedup']['echoes'].get(kind, 0)}) | "
            + " | ".join(cells)
            + " |"
        )
    lines.append(
        "| **all** | "
        + " | ".join(f"**{q['methods'][m]['recall_all']:.3f}**" for m in methods)
        + " |"
    )
    lines.append(
        "| content lost (originals removed) | "
        + " | ".join(f"{q['methods'][m]['content_lost']:.4f}" for m in methods)
        + " |"
    )
    for kind in inject.CONTROL_KINDS:
        lines.append(
            f"| control removed: {kind} | "
            + " | ".join(
                f"{q['methods'][m]['controls_removed'].get(kind, float('nan')):.3f}"
                for m in methods
            )
            + " |"
        )
    lines += [
        "",
        "trafilatura's `deduplicate` drops a paragraph only when the same text (over 100 "
        "characters) has already been seen more than twice (its MIN_DUPLCHECK_SIZE and "
        "MAX_REPETITIONS), counted across documents in a process-wide cache; a single echo "
        "never reaches that, so its recall is 0 here. Its cache is cleared before each document.",
    ]
    h = results["injected_html"]
    lines += [
        "",
        f"## Echoes written into the pages' markup ({h['cases']} pages cleaned, seed {h['seed']})",
        "",
        "A caption's copy after its `<figcaption>` (in a paragraph, a mobile-only div, a "
        "span or an emphasis), the headline with a name after the `<h1>`, a sentence of the "
        "body as a pull quote after its paragraph; found means the copy went (for equal "
        "copies, either one).",
        "",
        "| kind | cases | dedup recall |",
        "|---|---:|---:|",
    ]
    for kind, value in h["recall"].items():
        lines.append(f"| {kind} | {h['tried'][kind]} | {value:.3f} |")
    lines.append(f"| **all** | {h['cases']} | **{h['recall_all']:.3f}** |")
    lines += [
        "",
        f"Other blocks removed that stayed before the injection: {h['other_blocks_lost']}.",
    ]
    g = results["ground_truth"]
    lines += [
        "",
        "## Ground truth: truth paragraphs that survive cleaning",
        "",
        "| method | present before | survive | share |",
        "|---|---:|---:|---:|",
    ]
    for m in METHODS:
        lines.append(
            f"| {m} | {g[m]['present_before']} | {g[m]['survive_after']} | {g[m]['share']:.4f} |"
        )
    if g["dedup_lost_examples"]:
        lines += ["", "Truth paragraphs dedup removed (each has a near twin that stays):", ""]
        lines += [f"- `{n}`: {p}" for n, p in g["dedup_lost_examples"]]
    a = results.get("adjudicated", {})
    titles = {
        "clusters": (
            "Every cluster of similar blocks on the corpus pages (bench/mine.py), judged by a"
            " person under the text policy: which blocks only say again what one of them says"
            " (they should go) and which are content (bench/adjudicated/clusters.tsv)."
        ),
        "removals": (
            "Single removals rule changes made, in both views and with alt text read, judged"
            " `echo` or `content` (bench/adjudicated/picture-policy.tsv)."
        ),
    }
    if a:
        lines += [
            "",
            "## Verdicts given by hand (bench/adjudicated/)",
            "",
            "Recall is the share of blocks judged to go that dedup removes; over-removals, the"
            " blocks judged content that it removes. `tune` pages are those rules were written"
            " on, `held` the others (bench/mine.py's fixed split by file name).",
        ]
        for name, title in titles.items():
            if name not in a:
                continue
            lines += [
                "",
                f"### {name}",
                "",
                title,
                "",
                "| pages | to go | recall | content | over-removals | stale verdicts |",
                "|---|---:|---:|---:|---:|---:|",
            ]
            for half in ("tune", "held", "all"):
                if half in a[name]:
                    h = a[name][half]
                    lines.append(
                        f"| {half} | {h['echoes']} | {h['recall']} | {h['content']} |"
                        f" {h['over_removals']} | {h.get('stale', 0)} |"
                    )
    corpus = results.get("corpus") or []
    if corpus:
        lines += [
            "",
            "## Corpus mode (bench/corpus.py)",
            "",
            "A generated corpus (seed 0): records of eight body paragraphs and a site's"
            " newsletter line (50 sites). A new paragraph is two sentences chained from the"
            " words of the corpus truth texts' sentences; 10% of body paragraphs are exact"
            " copies of an earlier one, 8% near copies (a word dropped, the last stop"
            " changed). Keep-first truth. `dedup corpus FILE -o OUT --index IDX --jobs 2`,"
            " one process and two workers, the whole run: reading, each document cleaned of"
            " its own echoes, matching, writing the output.",
            "",
            "| paragraphs | documents | seconds | paragraphs/s | peak RSS MiB (main) |"
            " worker MiB | index MiB | precision | recall | near-copy recall |"
            " families with every copy removed |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for c in corpus:
            lines.append(
                f"| {c['paragraphs']:,} | {c['documents']:,} | {c['seconds']} |"
                f" {c['paragraphs_per_second']:,} | {c['peak_rss_mib']} |"
                f" {c.get('worker_peak_rss_mib', '')} | {c['index_mib']} |"
                f" {c['precision']} | {c['recall']} | {c['near_recall']} |"
                f" {c.get('families_wiped', c['originals_removed'])} |"
            )
        staged = [c for c in corpus if c.get("stages")]
        if staged:
            c = staged[-1]
            lines += [
                "",
                f"Where the time goes ({c['paragraphs']:,} paragraphs, one process,"
                " seconds per 1,000 paragraphs): `prepare` is each document cleaned of"
                " its own echoes and its blocks keyed (what the workers do); the rest is the"
                " matching in the main process.",
                "",
                "| " + " | ".join(c["stages"]) + " |",
                "|" + "---:|" * len(c["stages"]),
                "| " + " | ".join(str(v) for v in c["stages"].values()) + " |",
            ]
        lines += [
            "",
            "Anchors measured elsewhere on a 2-core machine over a like generated corpus,"
            " matching only (no per-document cleaning), 1M paragraphs:",
            "",
            "| method | wall | peak RSS | precision | recall | near-dup recall |"
            " families with every copy removed |",
            "|---|---:|---:|---:|---:|---:|---:|",
            "| exact hash of normalised paragraphs (cc_net style) | 24 s | 0.5 GB | 1.000 |"
            " 0.937 | 0.55 | 0 |",
            "| datasketch MinHashLSH in process, query then insert | 1,410 s | 3.1 GB |"
            " 0.997 | 0.989 | 0.96 | 630 |",
            "| datatrove MinHash pipeline, 2 tasks | 1,194 s | 0.6 GB | 0.998 | 0.932 |"
            " 0.81 | 210 |",
            "| text-dedup MinHash (connected components) | 725 s | 4.1 GB | 0.832 | 0.811 |"
            " 0.51 | 9,579 |",
            "| a staged numpy prototype, 1 process | 23 s | 1.0 GB | 0.998 | 0.988 | 0.96 | 357 |",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="passes per speed figure")
    parser.add_argument(
        "--rounds", type=int, default=15, help="interleaved rounds of the figures compared"
    )
    parser.add_argument("--seeds", type=int, default=3, help="injection seeds")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument(
        "--corpus-sizes",
        default="100000",
        help="paragraphs of each generated corpus for corpus mode, comma-separated ('' skips)",
    )
    parser.add_argument(
        "--corpus-only",
        action="store_true",
        help="run corpus mode alone at --corpus-sizes and put its rows into the results there"
        " (a row a size: 10 million paragraphs take over ten minutes, more than a make bench"
        " should)",
    )
    args = parser.parse_args(argv)
    if args.corpus_only:
        results = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
        rows = {c["paragraphs"]: c for c in results.get("corpus", [])}
        for figures in _corpus(args.corpus_sizes):
            rows[figures["paragraphs"]] = figures
        results["corpus"] = [rows[n] for n in sorted(rows)]
        return _written(results)
    pages = load_pages()
    print("bench: speed", file=sys.stderr)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": args.runs,
        "core": core.NAME,
        "speed": speed(pages, args.runs, args.rounds),
    }
    print("bench: profile", file=sys.stderr)
    results["profile"] = stage_profile(pages, args.runs)
    if not args.skip_memory:
        print("bench: memory", file=sys.stderr)
        results["memory"] = memory(pages)
    else:
        results["memory"] = {}
    print("bench: quality", file=sys.stderr)
    results["injected"] = injected(pages, args.seeds)
    results["injected_html"] = injected_html(pages)
    results["ground_truth"] = ground_truth(pages)
    results["adjudicated"] = adjudicated.score(CORPUS)
    for name, halves in results["adjudicated"].items():
        for half, a in halves.items():
            print(
                f"  adjudicated {name} ({half}): recall {a['recall']},"
                f" over-removals {a['over_removals']} of {a['content']}",
                file=sys.stderr,
            )
    results["corpus"] = _corpus(args.corpus_sizes)
    return _written(results)


def _corpus(sizes: str) -> list[dict]:
    """Corpus mode's figures at each of the comma-separated sizes."""
    from . import corpus  # imports this module

    out = []
    for size in filter(None, sizes.split(",")):
        print(f"bench: corpus mode, {size} paragraphs", file=sys.stderr)
        figures = corpus.measure(int(size))
        print(f"  {figures}", file=sys.stderr)
        out.append(figures)
    return out


def _written(results: dict) -> int:
    (OUT / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (OUT / "results.md").write_text(markdown(results), encoding="utf-8")
    print(f"bench: wrote {OUT / 'results.md'} and {OUT / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
