#!/usr/bin/env python3
"""scikit-learn baseline for bench/quality/grouping.ts and bench/scale/run.ts.

Mode "cluster" (default): reads a JSON file {"tasks":[{"name","texts":[...],"k"}]} and clusters each task on
TF-IDF word 1-2-grams (sublinear tf, accents stripped, L2-normalised) three ways:
  "agglo": AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average"), the human k;
  "kmeans": KMeans(n_clusters=k, n_init=10, random_state=0), the human k (spherical in effect: rows are unit norm);
  "kmeans_auto": KMeans with k in 2..min(12, n//3) chosen by sklearn's silhouette_score (cosine): what a user of
  scikit-learn without the human k would run.
Writes {"name": {"agglo": [...], "kmeans": [...], "kmeans_auto": [...]}} to stdout.
Mode "scale": reads JSON Lines {"id","text"} and times TF-IDF (word 1-2-grams, min_df 2), MiniBatchKMeans (k) and
a LinearSVC trained on the first half with labels from the "theme" field, predicting the rest. Writes timings.
Mode "pipeline" (bench/scale/run.ts): the same classification and two-level grouping as Fabrique's scale stages.
Run with the system interpreter: /usr/bin/python3 bench/quality/grouping_baseline.py FILE [--scale K | --pipeline K --sub S --train N]
"""
import json
import sys
import time

from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.metrics import silhouette_score
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC


def cluster(path):
    tasks = json.load(open(path, encoding="utf-8"))["tasks"]
    out = {}
    for t in tasks:
        texts, k = t["texts"], t["k"]
        n = len(texts)
        if n < 2 or k < 2:
            out[t["name"]] = {"agglo": [0] * n, "kmeans": [0] * n, "kmeans_auto": [0] * n}
            continue
        x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode").fit_transform(texts).toarray()
        # all-zero rows break the cosine metric: give them a tiny constant
        x[x.sum(axis=1) == 0] = 1e-9
        agglo = AgglomerativeClustering(n_clusters=min(k, n), metric="cosine", linkage="average").fit_predict(x)
        km = KMeans(n_clusters=min(k, n), n_init=10, random_state=0).fit_predict(x)
        best, best_s = km, -2.0
        for kk in range(2, max(2, min(12, n // 3)) + 1):
            lab = KMeans(n_clusters=kk, n_init=10, random_state=0).fit_predict(x)
            if len(set(lab)) < 2:
                continue
            sc = silhouette_score(x, lab, metric="cosine")
            if sc > best_s:
                best, best_s = lab, sc
        out[t["name"]] = {"agglo": [int(v) for v in agglo], "kmeans": [int(v) for v in km], "kmeans_auto": [int(v) for v in best]}
    json.dump(out, sys.stdout)


def scale(path, k):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", min_df=2).fit_transform(texts)
    t1 = time.perf_counter()
    half = len(rows) // 2
    clf = LinearSVC().fit(x[:half], [r["theme"] for r in rows[:half]])
    clf.predict(x[half:])
    t2 = time.perf_counter()
    MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=4096).fit(x)
    t3 = time.perf_counter()
    json.dump({"n": len(rows), "vectorize_s": t1 - t0, "classify_s": t2 - t1, "group_s": t3 - t2, "total_s": t3 - t0}, sys.stdout)


def scale_pipeline(path, k, sub, train):
    """The same work as bench/scale/stage.ts asks of Fabrique, timed step by step: classification (TF-IDF word
    1-2-grams + char 3-5-grams fitted on the first `train` texts, LinearSVC, predict every text) and a two-level
    grouping (TF-IDF on all texts, MiniBatchKMeans k, then MiniBatchKMeans inside each group for `sub` sub-ideas
    on average)."""
    from scipy.sparse import hstack
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", min_df=2)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode", min_df=2)
    head = texts[:train]
    xw, xc = words.fit_transform(head), chars.fit_transform(head)
    clf = LinearSVC().fit(hstack([xw, xc]).tocsr(), [r["theme"] for r in rows[:train]])
    clf.predict(hstack([words.transform(texts), chars.transform(texts)]).tocsr())
    t1 = time.perf_counter()
    x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", min_df=2).fit_transform(texts)
    top = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=4096).fit_predict(x)
    for g in range(k):
        idx = [i for i, v in enumerate(top) if v == g]
        if len(idx) > sub:
            MiniBatchKMeans(n_clusters=sub, random_state=0, n_init=3, batch_size=4096).fit(x[idx])
    t2 = time.perf_counter()
    json.dump({"n": len(rows), "classify_s": t1 - t0, "group_s": t2 - t1, "total_s": t2 - t0}, sys.stdout)


if __name__ == "__main__":
    if "--pipeline" in sys.argv:
        a = sys.argv
        scale_pipeline(a[1], int(a[a.index("--pipeline") + 1]), int(a[a.index("--sub") + 1]), int(a[a.index("--train") + 1]))
    elif "--scale" in sys.argv:
        scale(sys.argv[1], int(sys.argv[sys.argv.index("--scale") + 1]))
    else:
        cluster(sys.argv[1])
