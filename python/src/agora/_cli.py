"""Running the ``agora`` command-line tool: finding the binary, formatting values, ``run`` and ``sweep``."""

from __future__ import annotations

import math
import numbers
import operator
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path
from collections.abc import Iterable, Mapping
from typing import Any, List, Optional, Sequence, Tuple, cast

from ._errors import AgoraError, BinaryNotFoundError
from ._tables import PathLike, Run, Sweep, _load

#: The environment variable naming the ``agora`` binary.
BINARY_ENV = "AGORA_BINARY"


def _executable(candidate: Path) -> bool:
    return candidate.is_file() and os.access(candidate, os.X_OK)


def _resolve(name: str, origin: str) -> str:
    if os.sep in name or (os.altsep is not None and os.altsep in name):
        path = Path(name).expanduser()
        if _executable(path):
            return str(path.resolve())
        raise BinaryNotFoundError(f"{origin} names {name}, which is not an executable file")
    found = shutil.which(name)
    if found is None:
        raise BinaryNotFoundError(f"{origin} names {name}, which is not on the PATH")
    return found


def find_binary(binary: Optional[PathLike] = None) -> str:
    """The path of the ``agora`` binary to run.

    Looked for, in order: ``binary`` (a path, or a name on the PATH); the environment variable ``AGORA_BINARY``;
    ``agora`` on the PATH; ``.build/release/agora``, then ``.build/debug/agora``, in the Swift package (a folder
    with ``Package.swift``) nearest above the current directory that has one. A ``binary`` or ``AGORA_BINARY``
    that names nothing runnable is an error (the search does not go on past it). Raises
    :class:`BinaryNotFoundError` when nothing is found.
    """
    if binary is not None:
        return _resolve(os.fspath(binary), "binary=")
    from_env = os.environ.get(BINARY_ENV)
    if from_env:
        return _resolve(from_env, BINARY_ENV)
    on_path = shutil.which("agora")
    if on_path is not None:
        return on_path
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if not (folder / "Package.swift").is_file():
            continue
        for configuration in ("release", "debug"):
            candidate = folder / ".build" / configuration / "agora"
            if _executable(candidate):
                return str(candidate)
    raise BinaryNotFoundError(
        "no agora binary found: pass binary=..., set AGORA_BINARY, put agora on the PATH, or build it in the "
        "Agora repository (swift build -c release --product agora) and work inside it; looked for "
        f".build/release/agora and .build/debug/agora in the Swift packages above {here}"
    )


def format_value(value: Any) -> str:
    """The text of ``value`` for ``--set key=TEXT`` (YAML 1.2, as Agora reads it).

    Booleans become ``true``/``false``, ``None`` ``null``, integers their digits, floats their shortest
    round-trip form (``repr``: ``0.1``, ``100.0``, ``1e-07``; infinities ``.inf``/``-.inf``, NaN ``.nan``),
    lists and tuples ``[a, b]``, mappings ``{k: v}``; a string is passed through as YAML text.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "bool_":  # also numpy's bool
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return ".nan"
        if math.isinf(number):
            return ".inf" if number > 0 else "-.inf"
        return repr(number)
    if isinstance(value, os.PathLike):
        return str(os.fspath(value))
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{format_value(k)}: {format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    if isinstance(value, numbers.Number):
        return str(value)
    raise TypeError(f"cannot pass a {type(value).__name__} to agora: {value!r}")


def format_grid(values: Any) -> str:
    """The text of ``values`` for ``--grid key=TEXT``.

    A list, tuple, range or other iterable is joined with commas (``[10, 100]`` -> ``10,100``), each value
    formatted as by :func:`format_value`; a mapping ``{"from": 0, "to": 1, "step": 0.25}`` becomes the stepped
    axis ``0:1:0.25``; a string is passed through (``"10,100"``, ``"0:1:0.25"``); any other value is an axis of
    one value.
    """
    if isinstance(values, str):
        return values
    if isinstance(values, Mapping):
        if set(values) == {"from", "to", "step"}:
            return ":".join(format_value(values[k]) for k in ("from", "to", "step"))
        raise ValueError(f"a grid axis given as a mapping needs exactly from, to and step, not {dict(values)!r}")
    if isinstance(values, Iterable) and not isinstance(values, (bytes, os.PathLike)):
        items = [format_value(item) for item in values]
        if not items:
            raise ValueError("a grid axis needs at least one value")
        return ",".join(items)
    return format_value(values)


def _pairs(flag: str, values: Optional[Mapping[str, Any]], formatter: Any) -> List[str]:
    arguments: List[str] = []
    for key, value in (values or {}).items():
        if not isinstance(key, str) or not key or "=" in key:
            raise ValueError(f"{flag}: {key!r} is not a key path (such as population.size)")
        arguments += [flag, f"{key}={formatter(value)}"]
    return arguments


def _execute(arguments: Sequence[str]) -> None:
    subcommand = f"agora {arguments[1]}"
    try:
        completed = subprocess.run(
            list(arguments),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as error:
        raise AgoraError(f"could not start {arguments[0]}: {error}", command=arguments) from error
    if completed.returncode != 0:
        stderr = completed.stderr
        message = stderr.strip() or completed.stdout.strip() or "(it printed nothing)"
        status = (
            f"was killed by signal {-completed.returncode}"
            if completed.returncode < 0
            else f"failed with exit status {completed.returncode}"
        )
        raise AgoraError(
            f"{subcommand} {status}: {message}\n(command: {shlex.join(arguments)})",
            command=arguments,
            returncode=completed.returncode,
            stderr=stderr,
        )


def _execute_and_load(arguments: List[str], folder: Path, kind: Any, temporary: Optional[Path]) -> Any:
    """Runs `arguments` and loads `folder` as `kind` (Run or Sweep); a temporary folder is removed on failure."""
    try:
        _execute(arguments)
        return _load(folder, kind, command=arguments, temporary=temporary)
    except BaseException:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        raise


def _destination(out: Optional[PathLike], prefix: str, leaf: str) -> Tuple[Path, Optional[Path]]:
    """The folder to write into and, when ``out`` is None, the new temporary folder that holds it."""
    if out is None:
        temporary = Path(tempfile.mkdtemp(prefix=prefix))
        return temporary / leaf, temporary
    return Path(out), None


def run(
    scenario: PathLike,
    set: Optional[Mapping[str, Any]] = None,
    seed: Optional[int] = None,
    out: Optional[PathLike] = None,
    binary: Optional[PathLike] = None,
    *,
    force: bool = False,
) -> Run:
    """Runs a scenario with ``agora run`` and loads its folder.

    Args:
        scenario: the scenario file (YAML), e.g. ``"Scenarios/ultimatum.yaml"``.
        set: overrides, ``{"population.size": 200, "game.stake": 10.0}`` -> ``--set population.size=200
            --set game.stake=10.0`` (values formatted by :func:`format_value`).
        seed: the master seed (``--seed``); default: the scenario's.
        out: the output folder (``--out``). Default: a new temporary folder, removed by :meth:`Run.close`, at the
            end of a ``with`` block, or when the returned object is garbage-collected (the loaded tables stay).
        binary: the ``agora`` binary (see :func:`find_binary`).
        force: overwrite ``out`` if it already holds a run (``--force``).

    Raises :class:`AgoraError` with Agora's message, exit status and stderr when the command fails (an unknown
    key, an invalid value, a folder that holds a run without ``force``).
    """
    executable = find_binary(binary)
    folder, temporary = _destination(out, "agora-run-", "run")
    arguments = [executable, "run", os.fspath(scenario), *_pairs("--set", set, format_value)]
    if seed is not None:
        arguments += ["--seed", str(operator.index(seed))]
    arguments += ["--out", str(folder), "--quiet"]
    if force:
        arguments.append("--force")
    return cast(Run, _execute_and_load(arguments, folder, Run, temporary))


def sweep(
    scenario: PathLike,
    grid: Optional[Mapping[str, Any]] = None,
    seeds: Optional[int] = None,
    set: Optional[Mapping[str, Any]] = None,
    out: Optional[PathLike] = None,
    keep_steps: bool = False,
    keep_agents: bool = False,
    jobs: Optional[int] = None,
    binary: Optional[PathLike] = None,
    *,
    seed: Optional[int] = None,
    metrics: Optional[Sequence[str]] = None,
    force: bool = False,
) -> Sweep:
    """Runs a sweep with ``agora sweep`` and loads its folder.

    Args:
        scenario: a scenario file, or a sweep file (``Scenarios/sweeps/*.yaml``, a YAML with ``scenario:`` inside,
            whose axes ``grid`` adds to or replaces).
        grid: axes, ``{"game.stake": [10, 100]}`` -> ``--grid game.stake=10,100`` (see :func:`format_grid`); the
            axes form a full factorial, the last varying fastest.
        seeds: runs (seeds) per design point (``--seeds``).
        set: fixed for every run (``--set``, as in :func:`run`).
        out: the sweep's folder (``--out``); the same call again resumes it, keeping finished runs. Default: a
            new temporary folder, removed as in :func:`run`.
        keep_steps, keep_agents: also write every run's ``steps.csv`` / ``agents.csv`` (long format).
        jobs: runs at once (``--jobs``; default: every core).
        binary: the ``agora`` binary (see :func:`find_binary`).
        seed: the sweep seed (``--seed``); each run's seed derives from it and the run's index.
        metrics: keep only these metric columns in ``summary.csv`` (``--metrics``).
        force: start over in a folder that holds a different sweep (``--force``).

    The returned :class:`Sweep` has one ``summary`` row per run, sorted by ``run_index``, with ``point``,
    ``repetition`` and one column per swept parameter. Raises :class:`AgoraError` when the command fails.
    """
    executable = find_binary(binary)
    folder, temporary = _destination(out, "agora-sweep-", "sweep")
    arguments = [executable, "sweep", os.fspath(scenario)]
    arguments += _pairs("--grid", grid, format_grid)
    arguments += _pairs("--set", set, format_value)
    if seeds is not None:
        arguments += ["--seeds", str(operator.index(seeds))]
    if seed is not None:
        arguments += ["--seed", str(operator.index(seed))]
    if metrics is not None:
        arguments += ["--metrics", metrics if isinstance(metrics, str) else ",".join(metrics)]
    if keep_steps:
        arguments.append("--keep-steps")
    if keep_agents:
        arguments.append("--keep-agents")
    if jobs is not None:
        arguments += ["--jobs", str(operator.index(jobs))]
    arguments += ["--out", str(folder), "--quiet"]
    if force:
        arguments.append("--force")
    return cast(Sweep, _execute_and_load(arguments, folder, Sweep, temporary))
