#!/usr/bin/env python3
"""scikit-learn baseline for bench/quality/links.ts.

Reads a JSON file {"targets": [{"code", "text"}], "items": [{"id", "text"}]} and writes {"variants": {name: [[...]]}}:
for each item, the cosine similarity to each target (same order), on TF-IDF vectors (L2-normalised rows) fitted on
the targets' and the items' texts together, what a user of scikit-learn would run to match proposals to objectives,
in five settings: "default" (TfidfVectorizer() exactly as shipped: the canonical « TF-IDF cosine baseline », the main
line of the bench), "uni" (unigrams, accents stripped), "uni_sub" (+ sublinear tf), "bi" (word 1-2-grams, accents
stripped), "bi_sub" (1-2-grams, sublinear tf, accents stripped).
Run with the system interpreter: /usr/bin/python3 bench/quality/links_baseline.py FILE
"""
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    targets = [t["text"] for t in data["targets"]]
    items = [i["text"] for i in data["items"]]
    settings = {
        "default": dict(),
        "uni": dict(strip_accents="unicode"),
        "uni_sub": dict(strip_accents="unicode", sublinear_tf=True),
        "bi": dict(ngram_range=(1, 2), strip_accents="unicode"),
        "bi_sub": dict(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode"),
    }
    out = {}
    for name, kw in settings.items():
        vec = TfidfVectorizer(**kw).fit(targets + items)
        sims = cosine_similarity(vec.transform(items), vec.transform(targets))
        out[name] = [[round(float(x), 6) for x in row] for row in sims]
    json.dump({"variants": out}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
