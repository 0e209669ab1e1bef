"""scikit-learn's KMeans on a headerless CSV: the anchor of bench/kmeans-vs-sklearn.ts.

Reads the CSV (all columns are features), fits KMeans with the given k, init and n_init on
--threads threads, writes the centers as a Plinth k-means model (<model-dir>/model.json) so the
benchmark scores both sides' centers with the same code, and prints one JSON line:
{"fit_seconds", "iterations", "inertia", "threads", "rows"}. Run it with Debian's python3.
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--init", choices=["k-means++", "random"], default="k-means++")
    parser.add_argument("--n-init", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    # float32, as Plinth reads CSV; scikit-learn's Lloyd runs in float32 on float32 input.
    points = np.loadtxt(args.data, delimiter=",", dtype=np.float32, ndmin=2)
    model = KMeans(n_clusters=args.k, init=args.init, n_init=args.n_init, random_state=0)
    with threadpool_limits(limits=args.threads):
        started = time.perf_counter()
        model.fit(points)
        fit_seconds = time.perf_counter() - started

    os.makedirs(args.model_dir, exist_ok=True)
    centers = model.cluster_centers_.astype(float)
    with open(os.path.join(args.model_dir, "model.json"), "w") as out:
        json.dump(
            {
                "format": "plinth-kmeans",
                "version": 1,
                "k": args.k,
                "feature_dim": points.shape[1],
                "centers": centers.tolist(),
            },
            out,
        )
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                "iterations": int(model.n_iter_),
                "inertia": float(model.inertia_),
                "threads": args.threads,
                "rows": int(points.shape[0]),
            }
        )
    )


if __name__ == "__main__":
    main()
