"""Agora from Python: run scenarios and sweeps with the ``agora`` command-line tool and load their results into
pandas, every column typed by its data dictionary.

    import agora
    r = agora.run("Scenarios/ultimatum.yaml", set={"population.size": 1000}, seed=7)
    r.summary, r.segments, r.tables["agents"]
    s = agora.sweep("Scenarios/ultimatum.yaml", grid={"game.stake": [10, 100]}, seeds=5)
    s.summary.groupby("stake")["efficiency"].mean()
    agora.load("Results/ultimatum-pluralistic/seed-42")

The engine is Swift; this package only calls the ``agora`` binary (see :func:`find_binary`) and reads its files.
"""

from ._cli import BINARY_ENV, find_binary, format_grid, format_value, run, sweep
from ._errors import AgoraError, BinaryNotFoundError, DictionaryError
from ._tables import PANDAS_DTYPES, STANDARD_TABLES, Results, Run, Sweep, dictionary_path, load, read_csv

__version__ = "0.1.0"

__all__ = [
    "AgoraError",
    "BINARY_ENV",
    "BinaryNotFoundError",
    "DictionaryError",
    "PANDAS_DTYPES",
    "Results",
    "Run",
    "STANDARD_TABLES",
    "Sweep",
    "dictionary_path",
    "find_binary",
    "format_grid",
    "format_value",
    "load",
    "read_csv",
    "run",
    "sweep",
]
