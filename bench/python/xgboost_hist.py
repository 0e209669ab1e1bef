"""xgboost's own training (tree_method='hist') on a headerless CSV: the anchor of
bench/xgboost-vs-xgboost.ts.

Reads the CSV with xgboost's own loader (label in the first column, SageMaker's convention),
trains num_round trees with the given depth, eta, max_bin and objective on --threads threads,
saves the booster as xgboost's JSON model (<out>/xgboost-model.json, the format Plinth's
xgboost-train writes) and prints one JSON line: {"fit_seconds", "iterations", "threads",
"rows"}. Run it with Debian's python3 (xgboost 1.7).
"""
import argparse
import json
import os
import time

import xgboost as xgb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--num-round", type=int, default=100)
    parser.add_argument("--max-depth", type=int, default=6)
    parser.add_argument("--eta", type=float, default=0.3)
    parser.add_argument("--max-bin", type=int, default=256)
    parser.add_argument("--objective", default="binary:logistic")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    train = xgb.DMatrix(f"{args.train}?format=csv&label_column=0", nthread=args.threads)
    params = {
        "tree_method": "hist",
        "max_depth": args.max_depth,
        "eta": args.eta,
        "max_bin": args.max_bin,
        "objective": args.objective,
        "nthread": args.threads,
        "seed": 0,
    }
    started = time.perf_counter()
    booster = xgb.train(params, train, num_boost_round=args.num_round)
    fit_seconds = time.perf_counter() - started

    os.makedirs(args.out, exist_ok=True)
    booster.save_model(os.path.join(args.out, "xgboost-model.json"))
    print(
        json.dumps(
            {
                "fit_seconds": fit_seconds,
                "iterations": args.num_round,
                "threads": args.threads,
                "rows": int(train.num_row()),
            }
        )
    )


if __name__ == "__main__":
    main()
