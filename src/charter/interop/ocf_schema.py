"""The Open Cap Format's JSON Schemas, read from the local copy and never fetched: each
schema's `$id` URL is mapped to its file with a `referencing` registry, and an OCF file is
checked with `jsonschema` against the schema its `file_type` names."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMA_ENV = "CHARTER_OCF_SCHEMA"  # where the schemas are, when not the shared copy
SHARED_SCHEMA = Path(__file__).resolve().parents[4] / "shared" / "ocf" / "schema"
URL_ROOT = (
    "https://raw.githubusercontent.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF/main/schema/"
)

# file_type -> the schema of that file, relative to the schema folder
FILE_SCHEMAS = {
    "OCF_MANIFEST_FILE": "files/OCFManifestFile.schema.json",
    "OCF_STAKEHOLDERS_FILE": "files/StakeholdersFile.schema.json",
    "OCF_STOCK_CLASSES_FILE": "files/StockClassesFile.schema.json",
    "OCF_STOCK_PLANS_FILE": "files/StockPlansFile.schema.json",
    "OCF_STOCK_LEGEND_TEMPLATES_FILE": "files/StockLegendTemplatesFile.schema.json",
    "OCF_TRANSACTIONS_FILE": "files/TransactionsFile.schema.json",
    "OCF_VESTING_TERMS_FILE": "files/VestingTermsFile.schema.json",
    "OCF_VALUATIONS_FILE": "files/ValuationsFile.schema.json",
    "OCF_FINANCINGS_FILE": "files/FinancingsFile.schema.json",
    "OCF_DOCUMENTS_FILE": "files/DocumentsFile.schema.json",
}


def schema_folder() -> Path:
    """$CHARTER_OCF_SCHEMA, else the shared copy beside the checkout."""
    return Path(os.environ.get(SCHEMA_ENV) or SHARED_SCHEMA).resolve()


@cache
def registry(folder: Path) -> Registry[Any]:
    """Every schema under `folder`, under its `$id` URL (and its URL by path)."""
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted(folder.rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = DRAFT7.create_resource(contents)
        url = URL_ROOT + path.relative_to(folder).as_posix()
        resources.append((url, resource))
        if isinstance(contents.get("$id"), str) and contents["$id"] != url:
            resources.append((contents["$id"], resource))
    return Registry().with_resources(resources)


@cache
def validator(folder: Path, file_type: str) -> Draft7Validator:
    url = URL_ROOT + FILE_SCHEMAS[file_type]
    schema = registry(folder).contents(url)
    return Draft7Validator(schema, registry=registry(folder))


def _explain(error: ValidationError) -> tuple[list[Any], str]:
    """What is wrong, in the words of the alternative that fits: of a oneOf over object
    types, the alternative whose `object_type` matches (else: the type is not one of them)."""
    while error.context:
        by_branch: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            errs
            for errs in by_branch.values()
            if not any(list(e.relative_path) == ["object_type"] for e in errs)
        ]
        if not fitting:
            kind = error.instance.get("object_type") if isinstance(error.instance, dict) else None
            if kind is not None:
                return ["object_type"], f"{_shorten(repr(kind))} is not a type this file may hold"
            break
        error = min(fitting, key=len)[0]
    path = list(error.relative_path)
    if error.validator == "required" and isinstance(error.validator_value, list):
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [p for p in error.validator_value if p not in instance]
        return [*path, missing[0] if missing else "?"], "is required"
    return path, _shorten(error.message)


def schema_errors(data: Any, folder: Path | None = None) -> Iterator[tuple[str, str, str]]:
    """Each place where an OCF file's content breaks its schema: (object id, field, what)."""
    folder = folder or schema_folder()
    file_type = data.get("file_type") if isinstance(data, dict) else None
    if file_type not in FILE_SCHEMAS:
        yield "", "file_type", f"is {file_type!r}, not an OCF file type"
        return
    for error in sorted(
        validator(folder, file_type).iter_errors(data),
        key=lambda e: [str(p) for p in e.absolute_path],
    ):
        path = list(error.absolute_path)
        object_id = ""
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            item = data["items"][path[1]]
            object_id = str(item.get("id", f"item {path[1]}")) if isinstance(item, dict) else ""
            path = path[2:]
        below, message = _explain(error)
        field = ".".join(str(p) for p in [*path, *below]) or "(the object)"
        yield object_id, field, message


def _shorten(message: str, limit: int = 200) -> str:
    """A schema message echoes the value it rejects: keep a hostile one bounded."""
    return message if len(message) <= limit else message[: limit - 1] + "…"
