"""Writing a package to a folder or a `.ocf.zip`, refusing to overwrite."""

from __future__ import annotations

import zipfile
from pathlib import Path

from charter.errors import CharterError, Problem
from charter.interop.ocf_export import export_package
from charter.ledger_file import LedgerFile
from charter.service import Session


def write_package(session: Session | LedgerFile, path: Path) -> int:
    """The company's package at `path` (a zip when it ends in .zip); the number of files."""
    doc = session.doc
    files = export_package(doc, session.terms)
    if path.exists() and (path.is_file() or any(path.iterdir())):
        raise CharterError([Problem("already exists and is not empty", file=str(path))])
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for name, data in files.items():
                    z.writestr(name, data)
        else:
            path.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (path / name).write_bytes(data)
    except OSError as e:
        raise CharterError([Problem(f"cannot write: {e.strerror}", file=str(path))]) from e
    return len(files)
