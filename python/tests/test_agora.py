"""Tests of the Python package against the real `agora` binary, on the repository's scenarios at small sizes."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Dict

import pandas as pd
import pytest

import agora

SMALL = {"population.size": 200, "game.rounds": 3}


def declared_dtypes(csv_path: Path) -> Dict[str, str]:
    """The pandas dtype of each column, read from the file's data dictionary."""
    meta = json.loads(agora.dictionary_path(csv_path).read_text())
    return {c["name"]: agora.PANDAS_DTYPES[c["datatype"]] for c in meta["tableSchema"]["columns"]}


def assert_typed_by_dictionaries(results: agora.Results) -> None:
    assert results.tables, f"no tables in {results.folder}"
    for name, frame in results.tables.items():
        declared = declared_dtypes(results.folder / f"{name}.csv")
        assert list(frame.columns) == list(declared), name
        actual = {column: str(dtype) for column, dtype in frame.dtypes.items()}
        assert actual == declared, name


@pytest.fixture(scope="session")
def ultimatum_runs(agora_binary: str, repository: Path, tmp_path_factory: pytest.TempPathFactory):
    """Two runs of the ultimatum scenario, seeds 1 and 2, into folders of their own."""
    root = tmp_path_factory.mktemp("runs")
    scenario = repository / "Scenarios" / "ultimatum.yaml"
    return [agora.run(scenario, set=SMALL, seed=seed, out=root / f"seed-{seed}") for seed in (1, 2)]


@pytest.fixture(scope="session")
def stake_sweep(agora_binary: str, repository: Path, tmp_path_factory: pytest.TempPathFactory) -> agora.Sweep:
    """`agora sweep Scenarios/ultimatum.yaml --grid game.stake=10,100 --seeds 2` at a small size."""
    out = tmp_path_factory.mktemp("sweeps") / "stake"
    return agora.sweep(
        repository / "Scenarios" / "ultimatum.yaml", grid={"game.stake": [10, 100]}, seeds=2, set=SMALL, out=out, jobs=2
    )


def test_run_loads_every_table_typed_by_its_dictionary(ultimatum_runs) -> None:
    run = ultimatum_runs[0]
    assert isinstance(run, agora.Run)
    assert set(run.tables) == {"summary", "steps", "segments", "agents", "offers"}
    assert_typed_by_dictionaries(run)
    # offers.csv: one row per proposer segment and offer; its proposals are the run's interactions.
    assert run["offers"]["proposals"].sum() == run.summary["interactions"].iloc[0]
    assert run.events is None
    assert run.summary is run.tables["summary"] and run["agents"] is run.agents
    assert len(run.summary) == 1 and len(run.agents) == 200 and len(run.steps) == 3
    assert str(run.summary["seed"].dtype) == "Int64" and run.summary["seed"].iloc[0] == 1
    assert str(run.summary["stake"].dtype) == "float64"
    assert str(run.segments["segment"].dtype) == "string"
    assert str(run.agents["agent_id"].dtype) == "Int64"
    assert run.manifest is not None and run.manifest["seed"] == 1 and run.manifest["completed"] is True
    assert run.plan is None
    assert "--set" in run.command and "population.size=200" in run.command and "--quiet" in run.command


def test_infinite_metrics_are_floats(ultimatum_runs) -> None:
    # A payoff of 0 makes Theil's L infinite; Agora writes `inf`, which reads as a float.
    theil_l = ultimatum_runs[0].summary["theil_l"]
    assert str(theil_l.dtype) == "float64"
    assert math.isinf(theil_l.iloc[0])


def test_concatenated_runs_keep_their_dtypes(ultimatum_runs) -> None:
    first, second = ultimatum_runs
    assert set(first.tables) == set(second.tables)
    for name in first.tables:
        both = pd.concat([first.tables[name], second.tables[name]], ignore_index=True)
        assert list(both.dtypes) == list(first.tables[name].dtypes), name
        assert sorted(both["seed"].unique()) == [1, 2], name
    summaries = pd.concat([first.summary, second.summary], ignore_index=True)
    assert str(summaries["seed"].dtype) == "Int64" and str(summaries["run_id"].dtype) == "string"


def test_sweep_has_one_summary_row_per_run(stake_sweep: agora.Sweep) -> None:
    summary = stake_sweep.summary
    assert isinstance(stake_sweep, agora.Sweep)
    assert len(summary) == 4
    assert list(summary["run_index"]) == [0, 1, 2, 3]
    assert summary["seed"].is_unique
    assert list(summary["stake"]) == [10.0, 10.0, 100.0, 100.0]
    assert str(summary["stake"].dtype) == "float64"
    assert str(summary["seed"].dtype) == "Int64"
    assert str(summary["point"].dtype) == "Int64" and str(summary["repetition"].dtype) == "Int64"
    assert_typed_by_dictionaries(stake_sweep)
    assert set(stake_sweep.segments["run_index"]) == {0, 1, 2, 3}
    assert str(stake_sweep.segments["segment"].dtype) == "string"
    assert stake_sweep.steps is None and stake_sweep.agents is None  # not kept
    assert stake_sweep.plan is not None and stake_sweep.manifest is None
    assert "--grid" in stake_sweep.command and "game.stake=10,100" in stake_sweep.command


def test_load_reads_a_sweep_folder_as_the_sweep_did(stake_sweep: agora.Sweep) -> None:
    loaded = agora.load(stake_sweep.folder)
    assert isinstance(loaded, agora.Sweep)
    assert set(loaded.tables) == set(stake_sweep.tables)
    for name, frame in loaded.tables.items():
        pd.testing.assert_frame_equal(frame, stake_sweep.tables[name])


def test_a_sweep_file_with_a_replaced_axis_and_kept_tables(agora_binary: str, repository: Path, tmp_path: Path) -> None:
    sweep_file = repository / "Scenarios" / "sweeps" / "ultimatum-temperature.yaml"
    result = agora.sweep(
        sweep_file,
        grid={"game.stake": [10]},  # replaces the file's stake axis
        seeds=1,
        set={"population.size": 60, "game.rounds": 2},
        keep_steps=True,
        keep_agents=True,
        jobs=2,
        out=tmp_path / "temperature",
    )
    summary = result.summary
    assert len(summary) == 5  # five temperatures x one stake x one seed
    assert list(summary["run_index"]) == list(range(5))
    assert set(summary["stake"]) == {10.0}
    assert str(summary["temperature"].dtype) == "float64"
    assert result.steps is not None and result.agents is not None
    assert set(result.agents["run_index"]) == set(range(5)) and len(result.agents) == 5 * 60
    assert_typed_by_dictionaries(result)


def test_a_bad_key_raises_agora_error_naming_it(agora_binary: str, repository: Path) -> None:
    with pytest.raises(agora.AgoraError) as caught:
        agora.run(repository / "Scenarios" / "ultimatum.yaml", set={"population.sise": 3})
    error = caught.value
    assert "population.sise" in str(error)
    assert error.returncode not in (None, 0)
    assert error.stderr is not None and "did you mean 'size'" in error.stderr
    with pytest.raises(agora.AgoraError, match="game.stak"):
        agora.sweep(repository / "Scenarios" / "ultimatum.yaml", grid={"game.stak": [1, 2]}, seeds=1)


def test_a_folder_that_holds_a_run_needs_force(ultimatum_runs, repository: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(ultimatum_runs[0].folder, folder)
    scenario = repository / "Scenarios" / "ultimatum.yaml"
    with pytest.raises(agora.AgoraError) as caught:
        agora.run(scenario, set=SMALL, seed=5, out=folder)
    assert caught.value.returncode != 0 and caught.value.stderr
    rerun = agora.run(scenario, set=SMALL, seed=5, out=folder, force=True)
    assert rerun.summary["seed"].iloc[0] == 5


def test_load_refuses_a_csv_without_its_dictionary(ultimatum_runs, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(ultimatum_runs[0].folder, folder)
    (folder / "orphan.csv").write_text("run_index,seed\n0,1\n")
    with pytest.raises(agora.DictionaryError, match="orphan.csv"):
        agora.load(folder)
    with pytest.raises(agora.AgoraError, match="orphan.csv"):  # DictionaryError is an AgoraError
        agora.read_csv(folder / "orphan.csv")


def test_load_returns_every_table_by_stem(agora_binary: str, repository: Path, tmp_path: Path) -> None:
    commons = agora.run(repository / "Scenarios" / "commons.yaml", set=SMALL, seed=7, out=tmp_path / "commons")
    assert "villages" in commons.tables
    assert_typed_by_dictionaries(commons)
    loaded = agora.load(tmp_path / "commons")
    assert isinstance(loaded, agora.Run) and set(loaded.tables) == set(commons.tables)
    assert loaded.manifest is not None and loaded.manifest["seed"] == 7


def test_a_run_without_out_lives_in_a_temporary_folder(agora_binary: str, repository: Path) -> None:
    with agora.run(repository / "Scenarios" / "dictator.yaml", set=SMALL) as run:
        folder = run.folder
        assert run.temporary and (folder / "manifest.json").is_file()
    assert not folder.exists() and not folder.parent.exists()
    assert len(run.summary) == 1  # the tables stay loaded


def test_read_csv_types_cells_by_the_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("run_index,seed,value,name\n0,9007199254740991,inf,NA\n1,,-inf,\n2,3,,'=x\n")
    columns = [("run_index", "integer"), ("seed", "integer"), ("value", "double"), ("name", "string")]
    meta = {"tableSchema": {"columns": [{"name": n, "datatype": t, "null": ""} for n, t in columns]}}
    agora.dictionary_path(path).write_text(json.dumps(meta))
    frame = agora.read_csv(path)
    assert [str(t) for t in frame.dtypes] == ["Int64", "Int64", "float64", "string"]
    assert frame["seed"].iloc[0] == 9007199254740991 and frame["seed"].isna().tolist() == [False, True, False]
    assert frame["value"].iloc[0] == math.inf and frame["value"].iloc[1] == -math.inf
    assert math.isnan(frame["value"].iloc[2])
    assert frame["name"].iloc[0] == "NA"  # only an empty cell is missing
    assert frame["name"].isna().tolist() == [False, True, False]
    assert frame["name"].iloc[2] == "'=x"  # text as written


def test_read_csv_refuses_a_header_unlike_the_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("a,b\n1,2\n")
    meta = {"tableSchema": {"columns": [{"name": "a", "datatype": "integer"}, {"name": "c", "datatype": "double"}]}}
    agora.dictionary_path(path).write_text(json.dumps(meta))
    with pytest.raises(agora.DictionaryError, match="table.csv"):
        agora.read_csv(path)
    path.write_text("a,c\n1.5,2\n")
    with pytest.raises(agora.DictionaryError, match="declared type"):
        agora.read_csv(path)


def test_values_are_formatted_as_agora_reads_them() -> None:
    assert agora.format_value(0.1) == "0.1"
    assert agora.format_value(100.0) == "100.0"
    assert agora.format_value(1e-7) == "1e-07"
    assert agora.format_value(2 / 3) == repr(2 / 3)
    assert agora.format_value(200) == "200"
    assert agora.format_value(True) == "true" and agora.format_value(False) == "false"
    assert agora.format_value(float("inf")) == ".inf" and agora.format_value(float("-inf")) == "-.inf"
    assert agora.format_value("random_pairs") == "random_pairs"
    assert agora.format_value([1, 0.5]) == "[1, 0.5]"
    assert agora.format_grid([10, 100]) == "10,100"
    assert agora.format_grid((0.1, 0.5, True)) == "0.1,0.5,true"
    assert agora.format_grid(range(1, 4)) == "1,2,3"
    assert agora.format_grid("0:1:0.25") == "0:1:0.25"
    assert agora.format_grid({"from": 0, "to": 1, "step": 0.25}) == "0:1:0.25"
    assert agora.format_grid(7) == "7"
    with pytest.raises(ValueError):
        agora.format_grid([])


def test_binary_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repository: Path) -> None:
    monkeypatch.setenv(agora.BINARY_ENV, str(tmp_path / "missing"))
    with pytest.raises(agora.BinaryNotFoundError, match="AGORA_BINARY"):
        agora.find_binary()
    with pytest.raises(agora.BinaryNotFoundError):
        agora.run(repository / "Scenarios" / "ultimatum.yaml")
    fake = tmp_path / "fake-agora"
    fake.write_text("#!/bin/sh\necho 'error: broken on purpose' >&2\nexit 3\n")
    fake.chmod(0o755)
    assert agora.find_binary(fake) == str(fake.resolve())  # the argument comes first
    with pytest.raises(agora.AgoraError, match="broken on purpose") as caught:
        agora.run(repository / "Scenarios" / "ultimatum.yaml", binary=fake)
    assert caught.value.returncode == 3 and caught.value.stderr.strip() == "error: broken on purpose"
    # Nothing named, nothing on the PATH: the builds of the Swift package above the current directory.
    monkeypatch.delenv(agora.BINARY_ENV)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(agora.BinaryNotFoundError, match="no agora binary"):
        agora.find_binary()
    builds = [repository / ".build" / c / "agora" for c in ("release", "debug")]
    built = [b for b in builds if b.is_file()]
    if built:
        monkeypatch.chdir(repository / "Scenarios")
        assert agora.find_binary() == str(built[0])
