"""scikit-learn's logistic regression on a headerless CSV: the anchor of
bench/linear-learner-vs-sklearn.ts.

Reads the CSV (label in the first column, SageMaker's convention), standardizes the features
and fits LogisticRegression (lbfgs, the default solver) or SGDClassifier (log loss) on
--threads threads, writes the fitted model as a Plinth linear-learner model
(<model-dir>/model.json: weights on standardized features) so the benchmark scores both sides
with the same code, and prints one JSON line: {"fit_seconds", "iterations", "threads", "rows"}.
Run it with Debian's python3.
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--estimator", choices=["logistic", "sgd"], default="logistic")
    parser.add_argument("--epochs", type=int, default=15, help="SGDClassifier's max_iter")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    table = np.loadtxt(args.data, delimiter=",", dtype=np.float32, ndmin=2)
    labels, features = table[:, 0], table[:, 1:]
    if args.estimator == "logistic":
        model = LogisticRegression(max_iter=1000)
    else:
        model = SGDClassifier(loss="log_loss", max_iter=args.epochs, random_state=0)
    scaler = StandardScaler()
    with threadpool_limits(limits=args.threads):
        started = time.perf_counter()
        model.fit(scaler.fit_transform(features), labels)
        fit_seconds = time.perf_counter() - started

    os.makedirs(args.model_dir, exist_ok=True)
    with open(os.path.join(args.model_dir, "model.json"), "w") as out:
        json.dump(
            {
                "format": "plinth-linear-learner",
                "version": 1,
                "predictor_type": "binary_classifier",
                "feature_dim": features.shape[1],
                "num_classes": 2,
                "weights": model.coef_.astype(float).tolist(),
                "bias": model.intercept_.astype(float).tolist(),
                "normalization": {
                    "feature_shift": scaler.mean_.astype(float).tolist(),
                    "feature_scale": scaler.scale_.astype(float).tolist(),
                    "label_shift": 0,
                    "label_scale": 1,
                },
            },
            out,
        )
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                "iterations": int(np.max(model.n_iter_)),
                "threads": args.threads,
                "rows": int(table.shape[0]),
            }
        )
    )


if __name__ == "__main__":
    main()
