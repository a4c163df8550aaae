#!/usr/bin/env python3
"""scikit-learn baseline for bench/quality/classify.ts.

Reads <dir>/folds.json (a list of fold names, or of {"name", "file"}) and, per fold, <dir>/<file>.train.jsonl and
<dir>/<file>.test.jsonl (rows {"id","text","label"}; file = the name when not given). Model: TF-IDF word 1-2-grams + char_wb 3-5-grams (sublinear tf), LinearSVC with
class_weight='balanced'. Writes predictions as JSON {fold: {id: label}} to stdout.
Run with the system interpreter: /usr/bin/python3 bench/quality/baseline.py DIR

Mode --speed (bench/quality/classify-speed.ts): DIR/train.jsonl and DIR/test.jsonl, the same model; prints the
seconds of the fit (vectorisers + LinearSVC) and of the prediction (transform + predict), and the accuracy.
Run with the system interpreter: /usr/bin/python3 bench/quality/baseline.py DIR --speed
"""
import json
import sys
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def model():
    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1),
        ),
        LinearSVC(class_weight="balanced", random_state=0),
    )


def speed(d):
    train = read(d / "train.jsonl")
    test = read(d / "test.jsonl")
    t0 = time.perf_counter()
    m = model().fit([r["text"] for r in train], [r["label"] for r in train])
    t1 = time.perf_counter()
    pred = m.predict([r["text"] for r in test])
    t2 = time.perf_counter()
    acc = sum(1 for r, p in zip(test, pred) if str(p) == r["label"]) / max(1, len(test))
    json.dump({"train_s": t1 - t0, "predict_s": t2 - t1, "accuracy": acc}, sys.stdout)


def main():
    d = Path(sys.argv[1])
    if "--speed" in sys.argv:
        speed(d)
        return
    folds = json.loads((d / "folds.json").read_text(encoding="utf-8"))
    out = {}
    for entry in folds:
        fold, file = (entry, entry) if isinstance(entry, str) else (entry["name"], entry["file"])
        train = read(d / f"{file}.train.jsonl")
        test = read(d / f"{file}.test.jsonl")
        m = model()
        m.fit([r["text"] for r in train], [r["label"] for r in train])
        pred = m.predict([r["text"] for r in test])
        out[fold] = {r["id"]: str(p) for r, p in zip(test, pred)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
