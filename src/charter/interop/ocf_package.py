"""Reading an Open Cap Format package (a folder with `Manifest.ocf.json`, or a `.ocf.zip`):
the manifest, then every file it lists, each checked against the schema of its type. Every
problem is one sentence naming the file, the object id and the field."""

from __future__ import annotations

import json
import zipfile
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any

import msgspec

from charter.errors import CharterError, Problem
from charter.inputs import check_data
from charter.interop.ocf_schema import schema_errors
from charter.numbers import to_decimal_str

MANIFEST = "Manifest.ocf.json"
MAX_FILE_BYTES = 1 << 30  # a file of a package, read whole: beyond this it is refused

# manifest key -> the file_type its files must have
FILE_LISTS = {
    "stakeholders_files": "OCF_STAKEHOLDERS_FILE",
    "stock_classes_files": "OCF_STOCK_CLASSES_FILE",
    "stock_plans_files": "OCF_STOCK_PLANS_FILE",
    "stock_legend_templates_files": "OCF_STOCK_LEGEND_TEMPLATES_FILE",
    "vesting_terms_files": "OCF_VESTING_TERMS_FILE",
    "valuations_files": "OCF_VALUATIONS_FILE",
    "transactions_files": "OCF_TRANSACTIONS_FILE",
    "financings_files": "OCF_FINANCINGS_FILE",
    "documents_files": "OCF_DOCUMENTS_FILE",
}

TAG = "charter:"  # a comment holding what OCF cannot (JSON after the tag), for our import


def numeric(x: Fraction | int) -> str:
    """OCF's Numeric: a fixed-point string of at most ten decimals."""
    text = to_decimal_str(Fraction(x), 10).rstrip("0").rstrip(".")
    return text or "0"


def usd(x: Fraction | int | str) -> dict[str, str]:
    """OCF's Monetary, in dollars: at least the cents written (`"1.00"`)."""
    text = numeric(Fraction(str(x)) if isinstance(x, str) else x)
    whole, _, cents = text.partition(".")
    return {"amount": f"{whole}.{cents.ljust(2, '0')}", "currency": "USD"}


def object_problem(file: str, object_id: str, fld: str, message: str) -> Problem:
    """One sentence: the file, the object id and the field."""
    where = f"object {object_id!r}, " if object_id else ""
    return Problem(f"{where}field {fld}: {message}", file=file)


class Package(msgspec.Struct):
    source: str
    manifest: dict[str, Any]
    files: dict[str, list[tuple[str, dict[str, Any]]]] = msgspec.field(default_factory=dict)
    reader: _Reader | None = None  # for the files beside the manifest (the terms)
    problems: list[Problem] = msgspec.field(default_factory=list)  # objects left out, and why

    def items(self, file_type: str) -> list[tuple[str, dict[str, Any]]]:
        """(file name, object) of every object in the files of that type, in file order."""
        return [
            (name, obj)
            for name, data in self.files.get(file_type, [])
            for obj in data.get("items", [])
            if isinstance(obj, dict)
        ]


def tag_of(obj: dict[str, Any]) -> dict[str, Any]:
    """What our export wrote into an object's comments for our import (or nothing)."""
    for comment in obj.get("comments") or []:
        if isinstance(comment, str) and comment.startswith(TAG):
            try:
                data = json.loads(comment[len(TAG) :])
            except json.JSONDecodeError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


class _Reader:
    """Files of a folder or of a zip archive, by path relative to the manifest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.base = PurePosixPath("")
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as e:
                raise CharterError(
                    [Problem(f"is neither a folder nor a zip archive ({e})", file=str(path))]
                ) from e
            manifests = sorted(
                (n for n in self.zip.namelist() if PurePosixPath(n).name == MANIFEST),
                key=len,
            )
            if not manifests:
                raise CharterError([Problem(f"holds no {MANIFEST}", file=str(path))])
            self.base = PurePosixPath(manifests[0]).parent
        elif not (path / MANIFEST).is_file():
            raise CharterError(
                [Problem(f"is not a folder holding {MANIFEST}, nor a .ocf.zip", file=str(path))]
            )

    def read(self, name: str) -> bytes:
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts:
            raise CharterError([Problem("names a file outside the package", file=name)])
        if self.zip is not None:
            try:
                info = self.zip.getinfo(str(self.base / rel))
            except KeyError as e:
                raise CharterError([Problem("is not in the package", file=name)]) from e
            if info.file_size > MAX_FILE_BYTES:
                raise CharterError([Problem("is too large to read", file=name)])
            return self.zip.read(info)
        target = self.path / rel
        if not target.is_file():
            raise CharterError([Problem("is not in the package", file=name)])
        if target.stat().st_size > MAX_FILE_BYTES:
            raise CharterError([Problem("is too large to read", file=name)])
        return target.read_bytes()


def _json(name: str, raw: bytes) -> Any:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise CharterError([Problem("is not UTF-8 text", file=name)]) from e
    except json.JSONDecodeError as e:
        raise CharterError(
            [Problem(f"is not valid JSON: {e.msg}", file=name, line=e.lineno)]
        ) from e
    check_data(data, name)
    return data


def read_package(path: Path) -> Package:
    """The package, every file checked against its schema; or every problem found."""
    reader = _Reader(path)
    manifest = _json(MANIFEST, reader.read(MANIFEST))
    problems = [object_problem(MANIFEST, o, f, m) for o, f, m in schema_errors(manifest)]
    if problems:
        raise CharterError(problems)
    package = Package(str(path), manifest)
    for key, file_type in FILE_LISTS.items():
        for i, ref in enumerate(manifest.get(key) or []):
            name = str(PurePosixPath(ref["filepath"]))
            try:
                data = _json(name, reader.read(name))
            except CharterError as e:
                problems.extend(
                    Problem(f"listed in {MANIFEST} {key}[{i}]: {p.message}", file=p.file)
                    for p in e.problems
                )
                continue
            errs = list(schema_errors(data))
            if data.get("file_type") != file_type:
                problems.append(
                    object_problem(
                        name,
                        "",
                        "file_type",
                        f"is {data.get('file_type')!r}, but {MANIFEST} lists the file under "
                        f"{key}, which holds {file_type}",
                    )
                )
                continue
            if any(not o for o, _, _ in errs):  # the file itself is wrong: nothing of it is read
                problems.extend(object_problem(name, o, f, m) for o, f, m in errs)
                continue
            # an object that breaks its schema is left out; the others are still checked, so
            # that every problem of the package is named at once
            bad = {o for o, _, _ in errs}
            package.problems.extend(object_problem(name, o, f, m) for o, f, m in errs)
            data = {**data, "items": [i for i in data["items"] if str(i.get("id")) not in bad]}
            package.files.setdefault(file_type, []).append((name, data))
    if problems:
        raise CharterError(problems)
    package.reader = reader
    return package
