"""Speed of the links detectors, each against a simple baseline in the same run.

    python bench/bench_links.py [--data ../shared/data] [--urls 50000] [--pages 300]
        [--library 100000] [--url-model FOLDER]

* URLs/s of the shipped URL model (one core) vs character 3-5-gram TF-IDF +
  logistic regression (the published baseline's pipeline); target >= 20,000/s.
  Wall-clock and CPU-time rates are both printed: on a shared machine the
  CPU-time ones are the steadier. Hosts in the sample are almost all distinct,
  so no per-host cache helps the figure.
* Pages/s from HTML (parse + score) vs the stdlib ``html.parser`` reading only the
  title; target >= 100/s.
* Template lookup in a library of ``--library`` pages vs a linear NumPy scan of
  all signatures; target <= 10 ms.

Without the shared data, URLs and pages are generated.
"""

from __future__ import annotations

import argparse
import os
import random
import tarfile
import time
from html.parser import HTMLParser
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from fanzha.links.pages import parse_page  # noqa: E402
from fanzha.links.service import page_model, url_model  # noqa: E402
from fanzha.links.shingles import page_shingles  # noqa: E402
from fanzha.links.templates import TemplateLibrary  # noqa: E402


def load_urls(data: Path, n: int) -> tuple[list[str], list[str]]:
    path = data / "url" / "deepurlbench_before_2022-08-09.parquet"
    if path.is_file():
        import pandas as pd

        frame = pd.read_parquet(path).sample(n, random_state=1)
        return frame["url"].tolist(), frame["label"].tolist()
    rng = random.Random(1)
    words = ["login", "shop", "news", "secure", "pay", "blog", "verify", "docs"]
    urls = [
        f"http://{rng.choice(words)}{i}.example.com/{rng.choice(words)}/{i}"
        for i in range(n)
    ]
    return urls, [rng.choice(["benign", "phishing"]) for _ in urls]


def bench_urls(
    urls: list[str], labels: list[str], model_dir: str = ""
) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    detector = url_model(model_dir)
    detector.risks(urls[:1000])
    started, cpu = time.perf_counter(), time.process_time()
    detector.risks(urls)
    ours = len(urls) / (time.perf_counter() - started)
    ours_cpu = len(urls) / (time.process_time() - cpu)

    half = len(urls) // 2
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(3, 5), max_features=200_000, sublinear_tf=True
    )
    model = LogisticRegression(max_iter=200).fit(
        vectorizer.fit_transform(urls[:half]), [y != "benign" for y in labels[:half]]
    )
    started, cpu = time.perf_counter(), time.process_time()
    model.predict_proba(vectorizer.transform(urls[half:]))
    base = (len(urls) - half) / (time.perf_counter() - started)
    base_cpu = (len(urls) - half) / (time.process_time() - cpu)
    return {
        "urls_per_s": round(ours),
        "baseline_urls_per_s": round(base),
        "ratio": round(ours / base, 2),
        "urls_per_cpu_s": round(ours_cpu),
        "baseline_urls_per_cpu_s": round(base_cpu),
        "cpu_ratio": round(ours_cpu / base_cpu, 2),
    }


def load_pages(data: Path, n: int) -> list[bytes]:
    path = data / "url" / "pages_setfit" / "html_pages.tar.xz"
    if not path.is_file():
        return [
            (
                f"<title>Page {i}</title><form><input type=password></form>"
                + "<p>text</p>" * 500
            ).encode()
            for i in range(n)
        ]
    pages = []
    with tarfile.open(path, "r:xz") as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".html"):
                handle = archive.extractfile(member)
                pages.append(handle.read() if handle else b"")
                if len(pages) >= n:
                    break
    return pages


class _TitleOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""


def bench_pages(pages: list[bytes]) -> dict[str, float]:
    detector = page_model()
    started = time.perf_counter()
    for data in pages:
        detector.score(parse_page(data))
    ours = len(pages) / (time.perf_counter() - started)

    started = time.perf_counter()
    for data in pages:
        _TitleOnly().feed(data.decode("utf-8", "replace"))
    base = len(pages) / (time.perf_counter() - started)
    return {
        "pages_per_s": round(ours, 1),
        "baseline_htmlparser_pages_per_s": round(base, 1),
        "ratio": round(ours / base, 2),
    }


def bench_library(
    pages: list[bytes], size: int, queries: int = 300
) -> dict[str, float]:
    rng = random.Random(2)
    bases = [sorted(page_shingles(parse_page(p))) for p in pages if p.strip()]
    library = TemplateLibrary()
    for i in range(size):
        base = bases[i % len(bases)]
        kept = [s for s in base if rng.random() > 0.1] + [f"x:noise{i}"]
        library.add(f"t{i}", kept, campaign=f"c{i % len(bases)}")

    probes = [bases[rng.randrange(len(bases))] for _ in range(queries)]
    times = []
    for probe in probes:
        started = time.perf_counter()
        library.query(probe)
        times.append(time.perf_counter() - started)

    matrix = np.stack([library.signature_of(t) for t in library.templates])
    scan = []
    for probe in probes[:50]:
        signature = library.hasher.signature(probe)
        started = time.perf_counter()
        np.argsort(-(matrix == signature).mean(axis=1))[:5]
        scan.append(time.perf_counter() - started)
    ours, base = float(np.median(times)) * 1e3, float(np.median(scan)) * 1e3
    return {
        "library_size": len(library),
        "lookup_ms_median": round(ours, 3),
        "lookup_ms_p99": round(float(np.quantile(times, 0.99)) * 1e3, 3),
        "baseline_linear_scan_ms": round(base, 3),
        "speedup": round(base / ours, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--urls", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--library", type=int, default=100_000)
    parser.add_argument("--url-model", default="", help="URL model folder (shipped)")
    args = parser.parse_args()

    urls, labels = load_urls(args.data, args.urls)
    print("urls", bench_urls(urls, labels, args.url_model), flush=True)
    pages = load_pages(args.data, args.pages)
    print("pages", bench_pages(pages), flush=True)
    print("templates", bench_library(pages, args.library), flush=True)


if __name__ == "__main__":
    main()
