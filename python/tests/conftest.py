"""Test set-up: the tests run the real `agora` binary, found through AGORA_BINARY.

When AGORA_BINARY is unset and the repository has a debug build (`.build/debug/agora`, what `swift build` and CI
make), it is used. The tests that need a binary are skipped, saying why, only when none exists at all; an
AGORA_BINARY that names no executable fails them instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import agora

REPOSITORY = Path(__file__).resolve().parents[2]
_DEBUG_BUILD = REPOSITORY / ".build" / "debug" / "agora"

if not os.environ.get(agora.BINARY_ENV) and _DEBUG_BUILD.is_file():
    os.environ[agora.BINARY_ENV] = str(_DEBUG_BUILD)


@pytest.fixture(scope="session")
def repository() -> Path:
    """The Agora repository (its Scenarios/ are run by the tests)."""
    return REPOSITORY


@pytest.fixture(scope="session")
def agora_binary() -> str:
    """The agora binary the tests run; skips the test when there is none at all."""
    try:
        return agora.find_binary()
    except agora.BinaryNotFoundError as error:
        if os.environ.get(agora.BINARY_ENV):
            raise
        pytest.skip(f"{error} (the tests use {_DEBUG_BUILD} when it exists, or {agora.BINARY_ENV})")
