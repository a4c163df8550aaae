#!/usr/bin/env python3
"""scikit-learn baseline for bench/quality/grouping.ts and bench/scale/run.ts.

Mode "cluster" (default): reads a JSON file {"tasks":[{"name","texts":[...],"k"}]} and clusters each task with
AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average") on TF-IDF word 1-2-grams (sublinear tf,
accents stripped). Writes {"name": [labels...]} to stdout.
Mode "scale": reads JSON Lines {"id","text"} and times TF-IDF (word 1-2-grams, min_df 2), MiniBatchKMeans (k) and
a LinearSVC trained on the first half with labels from the "theme" field, predicting the rest. Writes timings.
Mode "pipeline" (bench/scale/run.ts): the same classification and two-level grouping as Fabrique's scale stages.
Run with the system interpreter: /usr/bin/python3 bench/quality/grouping_baseline.py FILE [--scale K | --pipeline K --sub S --train N]
"""
import json
import sys
import time

from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC


def cluster(path):
    tasks = json.load(open(path, encoding="utf-8"))["tasks"]
    out = {}
    for t in tasks:
        texts, k = t["texts"], t["k"]
        if len(texts) < 2 or k < 2:
            out[t["name"]] = [0] * len(texts)
            continue
        x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode").fit_transform(texts).toarray()
        model = AgglomerativeClustering(n_clusters=min(k, len(texts)), metric="cosine", linkage="average")
        # all-zero rows break the cosine metric: give them a tiny constant
        x[x.sum(axis=1) == 0] = 1e-9
        out[t["name"]] = [int(v) for v in model.fit_predict(x)]
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
