#!/usr/bin/env python3
"""scikit-learn baseline for bench/quality/sets.ts (the team-written datasets of bench/quality/datasets).

Reads a JSON file {"cluster": [{"name", "texts", "k"}], "classify": [{"name", "texts", "labels", "folds"}],
"transfer": [{"name", "train_texts", "train_labels", "texts"}]} and writes to stdout
{"cluster": {name: {"kmeans": [...], "agglo": [...], "silhouette": [...], "k_sil": int}},
 "classify": {name: [predicted label per text]}, "transfer": {name: [...]}}.

Features everywhere: TF-IDF word 1-2-grams, sublinear tf, accents stripped (the same as grouping_baseline.py).
- kmeans: KMeans(k = human k, n_init=10, random_state=0)
- agglo: AgglomerativeClustering(k = human k, cosine, average linkage)
- silhouette: KMeans (n_init=3) with k in 2..min(20, n/3) chosen by the cosine silhouette (no human k)
- classify: LinearSVC (default C) trained on the other folds, fold ids given by the caller (same folds as Fabrique)
Nothing is tuned: scikit-learn defaults, fixed seeds.
Run with the system interpreter: /usr/bin/python3 bench/quality/sets_baseline.py FILE
"""
import json
import sys

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.svm import LinearSVC


def vec():
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")


def cluster(t):
    texts, k = t["texts"], t["k"]
    n = len(texts)
    x = vec().fit_transform(texts)
    dense = x.toarray()
    # all-zero rows (texts without any word, e.g. "/") break the cosine metric: give them a tiny constant
    dense[dense.sum(axis=1) == 0] = 1e-9
    k = max(2, min(k, n - 1))
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x)
    ag = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(dense)
    best, best_k, best_s = None, 2, -2.0
    for kk in range(2, max(3, min(20, n // 3)) + 1):
        lab = KMeans(n_clusters=kk, n_init=3, random_state=0).fit_predict(x)
        if len(set(lab)) < 2:
            continue
        s = silhouette_score(dense, lab, metric="cosine")
        if s > best_s:
            best, best_k, best_s = lab, kk, s
    return {"kmeans": [int(v) for v in km], "agglo": [int(v) for v in ag],
            "silhouette": [int(v) for v in best], "k_sil": best_k}


def classify(t):
    texts, labels, folds = t["texts"], t["labels"], t["folds"]
    pred = [None] * len(texts)
    for f in sorted(set(folds)):
        tr = [i for i, g in enumerate(folds) if g != f]
        te = [i for i, g in enumerate(folds) if g == f]
        v = vec()
        xtr = v.fit_transform([texts[i] for i in tr])
        ytr = [labels[i] for i in tr]
        if len(set(ytr)) < 2:
            for i in te:
                pred[i] = ytr[0]
            continue
        clf = LinearSVC().fit(xtr, ytr)
        for i, p in zip(te, clf.predict(v.transform([texts[i] for i in te]))):
            pred[i] = str(p)
    return pred


def transfer(t):
    v = vec()
    clf = LinearSVC().fit(v.fit_transform(t["train_texts"]), t["train_labels"])
    return [str(p) for p in clf.predict(v.transform(t["texts"]))]


if __name__ == "__main__":
    np.random.seed(0)
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    out = {"cluster": {t["name"]: cluster(t) for t in spec.get("cluster", [])},
           "classify": {t["name"]: classify(t) for t in spec.get("classify", [])},
           "transfer": {t["name"]: transfer(t) for t in spec.get("transfer", [])}}
    json.dump(out, sys.stdout)
