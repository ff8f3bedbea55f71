#!/usr/bin/env python3
"""Loads every CSV under a folder of Agora runs and sweeps with pandas, polars and pyarrow, typed by its data
dictionary (`<file>.csv-metadata.json`), and concatenates each table across the runs given as pairs.

Usage: check-dictionaries.py ROOT [--pair A B ...]: every `*.csv` under ROOT (parts/ excluded) must have a
dictionary whose columns are the file's header, in order, and load in all three libraries with the declared
types (an integer column must hold integers, a double column numbers, `inf` or empty cells). Each `--pair A B`
names two run folders of the same scenario (different seeds) whose tables must concatenate in all three.
"""
import csv
import json
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

PANDAS = {"integer": "Int64", "double": "float64", "string": "string"}
POLARS = {"integer": pl.Int64, "double": pl.Float64, "string": pl.Utf8}
ARROW = {"integer": pa.int64(), "double": pa.float64(), "string": pa.string()}


def load(path: Path):
    meta = json.loads(path.with_name(path.name + "-metadata.json").read_text())
    columns = meta["tableSchema"]["columns"]
    names = [c["name"] for c in columns]
    with path.open(newline="") as f:
        header = next(csv.reader(f))
    if header != names:
        sys.exit(f"{path}: header {header} differs from its dictionary's columns {names}")
    types = {c["name"]: c["datatype"] for c in columns}
    frame = pd.read_csv(path, dtype={n: PANDAS[t] for n, t in types.items()}, keep_default_na=False, na_values=[""])
    lazy = pl.read_csv(path, schema_overrides={n: POLARS[t] for n, t in types.items()}, null_values=[""])
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={n: ARROW[t] for n, t in types.items()}, null_values=[""], strings_can_be_null=True
        ),
    )
    for n, t in types.items():
        if t == "integer" and str(frame[n].dtype) != "Int64":
            sys.exit(f"{path}: {n} read as {frame[n].dtype}")
    return frame, lazy, table


def main():
    root = Path(sys.argv[1])
    pairs = []
    args = sys.argv[2:]
    while args:
        if args[0] != "--pair" or len(args) < 3:
            sys.exit(__doc__)
        pairs.append((Path(args[1]), Path(args[2])))
        args = args[3:]
    files = sorted(p for p in root.rglob("*.csv") if "parts" not in p.parts)
    if not files:
        sys.exit(f"no CSV files under {root}")
    for path in files:
        if not path.with_name(path.name + "-metadata.json").exists():
            sys.exit(f"{path}: no data dictionary beside it")
        load(path)
    print(f"{len(files)} CSV files load with their dictionaries' types in pandas, polars and pyarrow")
    for a, b in pairs:
        tables = sorted(p.name for p in a.glob("*.csv"))
        for name in tables:
            (fa, la, ta), (fb, lb, tb) = load(a / name), load(b / name)
            both = pd.concat([fa, fb], ignore_index=True)
            if list(both.dtypes) != list(fa.dtypes):
                sys.exit(f"{a / name} + {b / name}: pandas concatenation changed dtypes")
            pl.concat([la, lb], how="vertical")
            pa.concat_tables([ta, tb])
        print(f"{a} + {b}: {len(tables)} tables concatenate in pandas, polars and pyarrow")


main()
