"""The exceptions the package raises."""

from __future__ import annotations

from typing import Optional, Sequence


class AgoraError(Exception):
    """An ``agora`` command failed, or Agora's output could not be read as its data dictionaries declare.

    For a failed command, ``returncode`` is its exit status, ``stderr`` the text it printed there (Agora's own
    message, kept whole) and ``command`` the argument list that ran; for the other errors they are ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        command: Optional[Sequence[str]] = None,
        returncode: Optional[int] = None,
        stderr: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.command = list(command) if command is not None else None
        self.returncode = returncode
        self.stderr = stderr


class BinaryNotFoundError(AgoraError, FileNotFoundError):
    """No ``agora`` binary was found (see :func:`agora.find_binary` for where it is looked for)."""


class DictionaryError(AgoraError, ValueError):
    """A CSV file has no data dictionary (``<file>.csv-metadata.json``) beside it, or does not match it."""
