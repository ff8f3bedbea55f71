"""Loading Agora's CSV files into pandas, typed by their data dictionaries."""

from __future__ import annotations

import csv
import json
import os
import shutil
import weakref
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Type, TypeVar, Union

import pandas as pd

from ._errors import DictionaryError

PathLike = Union[str, "os.PathLike[str]"]

#: The pandas dtype of each datatype a data dictionary declares.
PANDAS_DTYPES: Dict[str, str] = {"integer": "Int64", "double": "float64", "string": "string"}

#: The tables every run or sweep may write, each an attribute of :class:`Results` (``None`` when absent).
STANDARD_TABLES: Tuple[str, ...] = ("summary", "steps", "segments", "agents", "events")


def dictionary_path(path: PathLike) -> Path:
    """The path of the data dictionary of the CSV file ``path``: ``<file>.csv-metadata.json`` beside it."""
    path = Path(path)
    return path.with_name(path.name + "-metadata.json")


def read_dictionary(path: PathLike) -> List[Tuple[str, str]]:
    """The columns the data dictionary of the CSV file ``path`` declares, in order, as ``(name, datatype)``.

    Raises :class:`DictionaryError` naming the file when the dictionary is missing, unreadable, or declares a
    datatype other than ``integer``, ``double`` or ``string``.
    """
    path = Path(path)
    meta_path = dictionary_path(path)
    if not meta_path.is_file():
        raise DictionaryError(
            f"{path}: no data dictionary {meta_path.name} beside it (Agora writes one beside every CSV file; "
            "it is how the columns' types are known)"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        columns = meta["tableSchema"]["columns"]
        if not isinstance(columns, list):
            raise TypeError("tableSchema.columns is not a list")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DictionaryError(f"{meta_path}: not a readable data dictionary ({error!r})") from error
    declared: List[Tuple[str, str]] = []
    for column in columns:
        if not isinstance(column, dict) or column.get("virtual") is True:
            continue
        name = column.get("name")
        datatype = column.get("datatype", "string")
        if isinstance(datatype, dict):  # CSVW also allows {"base": "integer", ...}
            datatype = datatype.get("base", "string")
        if not isinstance(name, str) or datatype not in PANDAS_DTYPES:
            raise DictionaryError(
                f"{meta_path}: column {name!r} has datatype {datatype!r}; "
                f"expected one of {', '.join(PANDAS_DTYPES)}"
            )
        declared.append((name, datatype))
    return declared


def read_csv(path: PathLike) -> pd.DataFrame:
    """Reads one CSV file Agora wrote, typed by its data dictionary ``<file>.csv-metadata.json``.

    ``integer`` columns become pandas ``Int64``, ``double`` columns ``float64`` and ``string`` columns
    ``string``; an empty cell is missing (``<NA>`` or ``NaN``), ``inf`` and ``-inf`` are infinite floats, and no
    other text (``NA``, ``null``, ``nan``) is taken for a missing value. Text cells are kept as written, including
    the leading ``'`` Agora puts before text a spreadsheet would run as a formula.

    Raises :class:`FileNotFoundError` when ``path`` does not exist, and :class:`DictionaryError` naming the file
    when its dictionary is missing, its header differs from the dictionary's columns, or a cell does not read as
    its column's type.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such CSV file: {path}")
    columns = read_dictionary(path)
    names = [name for name, _ in columns]
    with path.open(newline="", encoding="utf-8-sig") as file:
        header = next(csv.reader(file), None)
    if header is None:
        raise DictionaryError(f"{path}: empty file (no header)")
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [n for n in header if n not in names]
        detail = f"missing {missing}, not declared {extra}" if missing or extra else "in another order"
        raise DictionaryError(f"{path}: its header differs from the columns of {dictionary_path(path).name} ({detail})")
    try:
        return pd.read_csv(
            path,
            dtype={name: PANDAS_DTYPES[datatype] for name, datatype in columns},
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
        )
    except (ValueError, TypeError, OverflowError) as error:
        raise DictionaryError(f"{path}: a cell does not read as its column's declared type: {error}") from error


def _read_json(path: Path) -> Optional[Dict[str, Any]]:
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8"))
    return value if isinstance(value, dict) else {"value": value}


ResultsT = TypeVar("ResultsT", bound="Results")


class Results:
    """The tables of one run or sweep folder, each a typed pandas DataFrame.

    Attributes:
        folder: the folder the tables were read from.
        tables: every ``*.csv`` of the folder by file stem (``summary``, ``segments``, ``villages``, ...).
        manifest: the parsed ``manifest.json`` of a run (``None`` if absent, as in a sweep's folder).
        plan: the parsed ``sweep.json`` of a sweep (``None`` if absent, as in a run's folder).
        command: the ``agora`` command line that wrote the folder, when this object ran it.

    The standard tables are also attributes (``summary``, ``steps``, ``segments``, ``agents``, ``events``),
    ``None`` when the folder has no such file; ``results["villages"]`` is ``results.tables["villages"]``.
    """

    def __init__(
        self,
        folder: PathLike,
        tables: Dict[str, pd.DataFrame],
        manifest: Optional[Dict[str, Any]] = None,
        plan: Optional[Dict[str, Any]] = None,
        command: Optional[List[str]] = None,
        temporary: Optional[PathLike] = None,
    ) -> None:
        self.folder = Path(folder)
        self.tables = tables
        self.manifest = manifest
        self.plan = plan
        self.command = command
        self._cleanup: Optional[weakref.finalize] = None  # type: ignore[type-arg]
        if temporary is not None:
            self._cleanup = weakref.finalize(self, shutil.rmtree, os.fspath(temporary), ignore_errors=True)

    @property
    def summary(self) -> Optional[pd.DataFrame]:
        """``summary.csv``: one row per run."""
        return self.tables.get("summary")

    @property
    def steps(self) -> Optional[pd.DataFrame]:
        """``steps.csv``: one row per round (per run, in a sweep with ``keep_steps``)."""
        return self.tables.get("steps")

    @property
    def segments(self) -> Optional[pd.DataFrame]:
        """``segments.csv``: one row per population segment (per run, in a sweep)."""
        return self.tables.get("segments")

    @property
    def agents(self) -> Optional[pd.DataFrame]:
        """``agents.csv``: one row per agent (per run, in a sweep with ``keep_agents``)."""
        return self.tables.get("agents")

    @property
    def events(self) -> Optional[pd.DataFrame]:
        """``events.csv``: one row per interaction (scenarios with ``output.events: true``)."""
        return self.tables.get("events")

    @property
    def temporary(self) -> bool:
        """Whether :attr:`folder` is a temporary folder, removed by :meth:`close` or when this object is gone."""
        return self._cleanup is not None and self._cleanup.alive

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def close(self) -> None:
        """Removes the folder if it is a temporary one (the loaded tables stay usable); otherwise does nothing."""
        if self._cleanup is not None:
            self._cleanup()

    def __enter__(self: ResultsT) -> ResultsT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name}: {len(frame)}x{frame.shape[1]}" for name, frame in self.tables.items())
        return f"{type(self).__name__}({str(self.folder)!r}; {shapes})"


class Run(Results):
    """The results of ``agora run``: one run's folder (see :class:`Results`)."""


class Sweep(Results):
    """The results of ``agora sweep``: a sweep's folder, whose tables are long format with ``run_index`` (see
    :class:`Results`); :attr:`plan` is its ``sweep.json``."""


def _load(folder: PathLike, kind: Optional[Type[ResultsT]] = None, **extra: Any) -> Results:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    files = sorted(folder.glob("*.csv"))
    manifest = _read_json(folder / "manifest.json")
    plan = _read_json(folder / "sweep.json")
    if not files and manifest is None and plan is None:
        raise FileNotFoundError(
            f"{folder}: no CSV files, manifest.json or sweep.json; is it a run or sweep folder "
            "(a scenario's results are in Results/<name>/seed-<seed>/)?"
        )
    tables = {path.stem: read_csv(path) for path in files}
    cls: Type[Results] = kind if kind is not None else (Sweep if plan is not None else Run)
    return cls(folder, tables, manifest=manifest, plan=plan, **extra)


def load(folder: PathLike) -> Results:
    """Loads a run or sweep folder: every ``*.csv`` in it (not in its subfolders), typed by its data dictionary.

    Returns a :class:`Sweep` when the folder has a ``sweep.json``, else a :class:`Run`. Raises
    :class:`FileNotFoundError` for a folder that does not exist or holds no results, and :class:`DictionaryError`
    naming the file for a CSV without its dictionary ``<file>.csv-metadata.json``.
    """
    return _load(folder)
