"""scikit-learn's IsolationForest on a headerless CSV: the anchor of
bench/rcf-vs-isolation-forest.ts.

Reads the CSV (all columns are features), fits IsolationForest (n_estimators trees, each on
max_samples rows drawn without replacement) on --threads threads and scores every row. Writes
the anomaly scores (float64, the negated score_samples: higher = more anomalous, as RCF's) to
<out>/scores.f64 and the scoring time to <out>/report.json, and prints one JSON line:
{"fit_seconds", "score_seconds", "threads", "rows"}. Run it with Debian's python3.
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from threadpoolctl import threadpool_limits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    rows = np.loadtxt(args.data, delimiter=",", dtype=np.float32, ndmin=2)
    model = IsolationForest(
        n_estimators=args.trees, max_samples=args.samples, n_jobs=args.threads, random_state=0
    )
    with threadpool_limits(limits=args.threads):
        started = time.perf_counter()
        model.fit(rows)
        fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        scores = -model.score_samples(rows)
        score_seconds = time.perf_counter() - started

    os.makedirs(args.out, exist_ok=True)
    scores.astype("<f8").tofile(os.path.join(args.out, "scores.f64"))
    with open(os.path.join(args.out, "report.json"), "w") as out:
        json.dump({"score_seconds": score_seconds}, out)
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                "score_seconds": score_seconds,
                "threads": args.threads,
                "rows": int(rows.shape[0]),
            }
        )
    )


if __name__ == "__main__":
    main()
