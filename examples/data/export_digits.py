#!/usr/bin/python3
"""Writes digits.csv (next to this script) from scikit-learn's copy of the UCI handwritten digits.

Each of the 1797 lines holds the 64 pixel values (0..16, an 8x8 image row by row) and then
the label (0..9), as integers separated by commas, without a header. The rows are checked
against the file that sklearn.datasets.load_digits() reads, and the result is checked by
reading it back.

Run with Debian's Python and python3-sklearn:  /usr/bin/python3 examples/data/export_digits.py
"""
import csv
import gzip
import pathlib

import numpy as np
import sklearn
from sklearn.datasets import load_digits

SHIPPED = pathlib.Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
OUTPUT = pathlib.Path(__file__).resolve().parent / "digits.csv"


def main():
    digits = load_digits()
    pixels, labels = digits.data, digits.target
    assert pixels.shape == (1797, 64) and labels.shape == (1797,)
    assert np.array_equal(pixels, np.round(pixels)) and pixels.min() == 0 and pixels.max() == 16
    assert sorted(set(labels.tolist())) == list(range(10))
    table = np.column_stack([pixels.astype(np.int64), labels.astype(np.int64)])

    with gzip.open(SHIPPED, "rt") as shipped:
        shipped_rows = [[int(float(field)) for field in row] for row in csv.reader(shipped)]
    assert shipped_rows == table.tolist(), f"load_digits() differs from {SHIPPED}"

    with open(OUTPUT, "w", newline="") as out:
        for row in table:
            out.write(",".join(str(v) for v in row) + "\n")

    read_back = np.loadtxt(OUTPUT, delimiter=",", dtype=np.int64)
    assert np.array_equal(read_back, table)
    print(f"wrote {OUTPUT}: {table.shape[0]} rows of {table.shape[1]} columns "
          f"(scikit-learn {sklearn.__version__}, checked against {SHIPPED})")


if __name__ == "__main__":
    main()
