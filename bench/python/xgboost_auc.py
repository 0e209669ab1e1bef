"""Held-out figures of xgboost models, all scored by the same code: bench/xgboost-vs-xgboost.ts.

Loads each --model file with the xgboost library (Plinth's model/xgboost-model is xgboost's JSON
format without the .json suffix, so the bytes are handed over as they are), predicts the
held-out CSV (label first) and prints one JSON line: {"rows", "positives", "models": [{"path",
"auc", "accuracy", "logloss"} or {"path", "error"} for a file xgboost refuses]}, AUC from
scikit-learn's roc_auc_score. Run it with Debian's python3.
"""
import argparse
import json

import numpy as np
import xgboost as xgb
from sklearn.metrics import log_loss, roc_auc_score


def load(path: str) -> xgb.Booster:
    booster = xgb.Booster()
    if path.endswith(".json"):
        booster.load_model(path)
    else:
        with open(path, "rb") as model:
            booster.load_model(bytearray(model.read()))
    return booster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--test", required=True)
    parser.add_argument("--model", action="append", required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    test = xgb.DMatrix(f"{args.test}?format=csv&label_column=0", nthread=args.threads)
    labels = test.get_label()
    models = []
    for path in args.model:
        try:
            booster = load(path)
        except xgb.core.XGBoostError as error:
            # A model xgboost cannot read is a finding to report, not a reason to lose the others.
            models.append({"path": path, "error": str(error).strip().split("\n")[0]})
            continue
        booster.set_param({"nthread": args.threads})
        p = booster.predict(test)
        models.append(
            {
                "path": path,
                "auc": float(roc_auc_score(labels, p)),
                "accuracy": float(np.mean((p > 0.5) == (labels > 0.5))),
                "logloss": float(log_loss(labels, p.astype(np.float64), labels=[0, 1])),
            }
        )
    print(
        json.dumps(
            {"rows": int(test.num_row()), "positives": int(labels.sum()), "models": models}
        )
    )


if __name__ == "__main__":
    main()
