"""scikit-learn's PCA on a headerless CSV: the anchor of bench/pca-vs-sklearn.ts.

Reads the CSV (all columns are features), fits PCA with the given number of components and SVD
solver ('full': LAPACK on the whole matrix; 'randomized': Halko et al.) on --threads threads,
writes the components to <out>/components.json so the benchmark scores both sides' components
with the same code, and prints one JSON line:
{"fit_seconds", "explained_variance_ratio", "threads", "rows"}.
Run it with Debian's python3.
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--components", type=int, required=True)
    parser.add_argument("--solver", choices=["full", "randomized"], default="full")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    # float32, as Plinth reads CSV; scikit-learn keeps float32 through the SVD.
    rows = np.loadtxt(args.data, delimiter=",", dtype=np.float32, ndmin=2)
    model = PCA(n_components=args.components, svd_solver=args.solver, random_state=0)
    with threadpool_limits(limits=args.threads):
        started = time.perf_counter()
        model.fit(rows)
        fit_seconds = time.perf_counter() - started

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "components.json"), "w") as out:
        json.dump({"components": model.components_.astype(float).tolist()}, out)
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                "explained_variance_ratio": float(model.explained_variance_ratio_.sum()),
                "threads": args.threads,
                "rows": int(rows.shape[0]),
            }
        )
    )


if __name__ == "__main__":
    main()
