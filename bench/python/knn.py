"""scikit-learn's NearestNeighbors on headerless CSVs: the anchor of bench/knn-vs-sklearn.ts.

Reads the reference rows (first column their id, SageMaker's label column; the rest features)
and the query rows (features only), builds the index (`fit`) with the given algorithm ('brute',
or 'auto', which picks a k-d tree or a ball tree for few dimensions) and finds each query's k
nearest reference rows (Euclidean) on --threads threads. Writes their ids (int32, k per query,
nearest first) to <out>/neighbors.i32 and the query time to <out>/report.json, and prints one
JSON line: {"fit_seconds", "query_seconds", "method", "threads", "rows"}. Run it with Debian's
python3.
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--algorithm", choices=["brute", "auto"], default="brute")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    # float32, as Plinth reads CSV and faiss indexes.
    table = np.loadtxt(args.reference, delimiter=",", dtype=np.float32, ndmin=2)
    ids, reference = table[:, 0].astype(np.int32), np.ascontiguousarray(table[:, 1:])
    queries = np.loadtxt(args.queries, delimiter=",", dtype=np.float32, ndmin=2)
    model = NearestNeighbors(n_neighbors=args.k, algorithm=args.algorithm, n_jobs=args.threads)
    with threadpool_limits(limits=args.threads):
        started = time.perf_counter()
        model.fit(reference)
        fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        _, found = model.kneighbors(queries)
        query_seconds = time.perf_counter() - started

    os.makedirs(args.out, exist_ok=True)
    ids[found].astype("<i4").tofile(os.path.join(args.out, "neighbors.i32"))
    report = {"query_seconds": query_seconds, "method": model._fit_method}
    with open(os.path.join(args.out, "report.json"), "w") as out:
        json.dump(report, out)
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                **report,
                "threads": args.threads,
                "rows": int(reference.shape[0]),
            }
        )
    )


if __name__ == "__main__":
    main()
