"""tinynet's estimators on scikit-learn's own tables, next to MLPRegressor and MLPClassifier.

    python benchmarks/tables.py [--seeds N] [--sets diabetes,iris,...] [--json]

Five data sets that come with scikit-learn: diabetes (regression, 442 rows,
10 features), iris (150, 4, 3 classes), wine (178, 13, 3), breast cancer
(569, 30, 2) and digits (1797, 64, 10). For each, 5-fold
``cross_val_score`` of ``make_pipeline(StandardScaler(), estimator)``
(scikit-learn's default folds: KFold for regression, StratifiedKFold for
classes, in the data's order), defaults on both sides: the only setting
given is ``random_state``, 0 ... N-1 (``--seeds``, default 3). A row's score
is the mean over those seeds of the mean over the folds (R^2 for diabetes,
accuracy otherwise).

Also measured, for reference: ``MLPRegressor(max_iter=2000)`` on diabetes
(its defaults stop after 200 epochs, far from fitted on an unscaled target:
R^2 about -1), and a linear model (``LinearRegression``, or
``LogisticRegression`` at its defaults).

The targets of issue 22: TinynetRegressor's R^2 at least MLPRegressor's
minus 0.02; TinynetClassifier's accuracy at least MLPClassifier's minus
0.01. About three minutes on one core (digits is most of it).
"""

import argparse
import json
import time
import warnings

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from tinynet.sklearn import TinynetClassifier, TinynetRegressor

TABLES = {  # name: (loader, is a regression)
    "diabetes": (datasets.load_diabetes, True),
    "iris": (datasets.load_iris, False),
    "wine": (datasets.load_wine, False),
    "breast cancer": (datasets.load_breast_cancer, False),
    "digits": (datasets.load_digits, False),
}
MARGIN = {True: 0.02, False: 0.01}  # how far below scikit-learn's score tinynet's may be: R^2, accuracy


def cross_validated(estimator, X, y) -> float:
    """The mean score over 5 folds of the estimator after a StandardScaler."""
    with warnings.catch_warnings():
        # MLP* at its defaults stops at max_iter=200 before its loss settles, and says so every fold
        warnings.simplefilter("ignore", ConvergenceWarning)
        return float(cross_val_score(make_pipeline(StandardScaler(), estimator), X, y, cv=5).mean())


def compare(name: str, seeds) -> dict:
    """One table's row: the scores of tinynet, scikit-learn's MLP and the references, and the target."""
    load, regression = TABLES[name]
    X, y = load(return_X_y=True)
    ours, theirs = (TinynetRegressor, MLPRegressor) if regression else (TinynetClassifier, MLPClassifier)
    start = time.perf_counter()
    tinynet = [cross_validated(ours(random_state=seed), X, y) for seed in seeds]
    seconds = time.perf_counter() - start
    mlp = [cross_validated(theirs(random_state=seed), X, y) for seed in seeds]
    row = {"table": name, "rows": X.shape[0], "features": X.shape[1],
           "score": "R^2" if regression else "accuracy",
           "tinynet": float(np.mean(tinynet)), "tinynet by seed": tinynet, "tinynet seconds": seconds,
           "scikit-learn": float(np.mean(mlp)), "scikit-learn by seed": mlp,
           "linear": cross_validated(LinearRegression() if regression else LogisticRegression(), X, y)}
    if regression:
        row["scikit-learn, max_iter=2000"] = float(np.mean(
            [cross_validated(MLPRegressor(max_iter=2000, random_state=seed), X, y) for seed in seeds]))
    row["target"] = row["scikit-learn"] - MARGIN[regression]
    row["met"] = row["tinynet"] >= row["target"]
    return row


def markdown(rows: list[dict]) -> str:
    lines = [("| data set | rows, features | score | TinynetRegressor/Classifier | MLPRegressor/Classifier "
              "| target | met | linear model |"),
             "|---|---|---|---:|---:|---:|---|---:|"]
    for row in rows:
        sklearn = f"{row['scikit-learn']:.3f}"
        if "scikit-learn, max_iter=2000" in row:
            sklearn += f" ({row['scikit-learn, max_iter=2000']:.3f} with max_iter=2000)"
        lines.append(f"| {row['table']} | {row['rows']}, {row['features']} | {row['score']} | {row['tinynet']:.3f} "
                     f"| {sklearn} | >= {row['target']:.3f} | {'yes' if row['met'] else 'no'} "
                     f"| {row['linear']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="random_state 0 ... N-1 on both sides (default 3)")
    parser.add_argument("--sets", default=",".join(TABLES), help="comma-separated, from: " + ", ".join(TABLES))
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.sets.split(",")]
    unknown = [name for name in names if name not in TABLES]
    if unknown or args.seeds < 1:
        parser.error(f"--sets takes names from {', '.join(TABLES)} (got {', '.join(unknown)}); --seeds at least 1"
                     if unknown else f"--seeds must be at least 1, got {args.seeds}")
    rows = [compare(name, range(args.seeds)) for name in names]
    print(json.dumps(rows, indent=1) if args.json else markdown(rows))
    return rows


if __name__ == "__main__":
    main()
