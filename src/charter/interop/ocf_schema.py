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

from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMA_ENV = "CHARTER_OCF_SCHEMA"  # where the schemas are, when not the package's copy
PACKAGED_SCHEMA = Path(__file__).resolve().parent / "ocf_schemas" / "schema"
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
    """$CHARTER_OCF_SCHEMA, else the copy the package carries (interop/ocf_schemas)."""
    return Path(os.environ.get(SCHEMA_ENV) or PACKAGED_SCHEMA).resolve()


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


@cache
def item_schemas(folder: Path, file_type: str) -> dict[str, tuple[str, ...]]:
    """object_type -> the URLs of the schemas that allow it, for a file whose items are one of
    several object types (a `oneOf` of $refs, each fixing `object_type` by a const or enum)."""
    schema = registry(folder).contents(URL_ROOT + FILE_SCHEMAS[file_type])
    refs = schema.get("properties", {}).get("items", {}).get("items", {})
    out: dict[str, tuple[str, ...]] = {}
    for alt in refs.get("oneOf", [refs] if "$ref" in refs else []):
        url = alt.get("$ref")
        if url is None:
            continue
        kind = registry(folder).contents(url).get("properties", {}).get("object_type", {})
        for value in [kind["const"]] if "const" in kind else kind.get("enum", []):
            out[value] = (*out.get(value, ()), url)
    return out


# keywords that annotate and never validate (draft 7): dropped from the inlined schemas
ANNOTATIONS = frozenset(
    {"$id", "$schema", "$comment", "title", "description", "examples", "default"}
)
# keywords whose value is a map of names to schemas (the names are not keywords)
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions", "dependencies"})
VALUES = frozenset({"const", "enum"})  # keywords whose value is data, kept as written


@cache
def url_validator(folder: Path, url: str) -> Draft7Validator:
    """A validator of one object type's schema, built once, with its $refs inlined: the same
    schema, but each item is checked without resolving a URL at every step (draft 7 ignores a
    $ref's siblings, so the referenced schema replaces the node). Three identities of draft 7
    spare `jsonschema` a step per node without changing what validates: annotations are
    dropped (they validate nothing; a nested `$schema` also makes every step look the
    dialect up again), an empty schema is `true` (which `jsonschema` passes at once), and an
    `allOf` of one schema is that schema."""
    reg = registry(folder)

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(v, seen) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("https://") and ref not in seen:
            return inline(reg.contents(ref), (*seen, ref))
        out = {
            k: {n: inline(s, seen) for n, s in v.items()}
            if k in SCHEMA_MAPS and isinstance(v, dict)
            else v
            if k in VALUES
            else inline(v, seen)
            for k, v in node.items()
            if k not in ANNOTATIONS
        }
        if list(out) == ["allOf"] and isinstance(out["allOf"], list) and len(out["allOf"]) == 1:
            return out["allOf"][0]
        return _merged(out) or True

    return Draft7Validator(inline(reg.contents(url), (url,)), registry=reg)


LEAF = (str, int, float, bool, type(None))


def remembering_validator() -> type[Draft7Validator]:
    """Draft 7 whose `properties` keyword remembers each (schema, value) it found valid for a
    value that is a string, number, boolean or null, and does not check it again: whether a
    value is valid against a schema depends on nothing else, so the answers are the same,
    and the currencies, dates, prices and object types an OCF file repeats are checked once.
    One class per file checked, so what it remembers lasts no longer."""
    valid: set[tuple[int, type, Any]] = set()

    def properties(
        validator: Draft7Validator, properties: dict[str, Any], instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        for name, subschema in properties.items():
            if name not in instance:
                continue
            value = instance[name]
            key = (id(subschema), type(value), value) if isinstance(value, LEAF) else None
            if key is not None and key in valid:
                continue
            errors = list(validator.descend(value, subschema, path=name, schema_path=name))
            if key is not None and not errors:
                valid.add(key)
            yield from errors

    made: type[Draft7Validator] = validators.extend(  # type: ignore[no-untyped-call]
        Draft7Validator, {"properties": properties}
    )
    return made


def _merged(node: dict[str, Any]) -> dict[str, Any]:
    """An object schema whose `allOf` holds only object schemas of `properties` and
    `required` (OCF's primitives), with those folded into its own: the same constraints
    (each property's schemas all apply; every required name is required), checked in one
    step rather than one per branch. Left as it is when folding would let a property
    through that its `additionalProperties` refuses (a name only a branch lists)."""
    branches = node.get("allOf")
    if node.get("type") != "object" or not isinstance(branches, list):
        return node
    simple = {"type", "properties", "required"}
    if not all(
        isinstance(b, dict) and set(b) <= simple and b.get("type", "object") == "object"
        for b in branches
    ):
        return node
    props: dict[str, list[Any]] = {n: [v] for n, v in node.get("properties", {}).items()}
    if node.get("additionalProperties", True) is not True and any(
        n not in props for b in branches for n in b.get("properties", {})
    ):
        return node
    for b in branches:
        for n, v in b.get("properties", {}).items():
            props.setdefault(n, []).append(v)
    required = list(node.get("required", []))
    for b in branches:
        required += [n for n in b.get("required", []) if n not in required]
    out = {k: v for k, v in node.items() if k != "allOf"}
    out["properties"] = {
        n: (lambda real: True if not real else real[0] if len(real) == 1 else {"allOf": real})(
            [v for v in vs if v is not True]
        )
        for n, vs in props.items()
    }
    if required:
        out["required"] = required
    return out


def schema_errors(data: Any, folder: Path | None = None) -> Iterator[tuple[str, str, str]]:
    """Each place where an OCF file's content breaks its schema: (object id, field, what).

    The file is checked with its items set aside, then each item against the schema of its
    `object_type`: the same as the file's `oneOf` over the types (each fixes its type by a
    const, so at most one can match), without trying every alternative on every item."""
    folder = folder or schema_folder()
    file_type = data.get("file_type") if isinstance(data, dict) else None
    if file_type not in FILE_SCHEMAS:
        yield "", "file_type", f"is {file_type!r}, not an OCF file type"
        return
    items = data.get("items")
    by_type = item_schemas(folder, file_type) if isinstance(items, list) else {}
    head = {**data, "items": []} if by_type else data
    for error in sorted(
        validator(folder, file_type).iter_errors(head),
        key=lambda e: [str(p) for p in e.absolute_path],
    ):
        below, message = _explain(error)
        yield "", ".".join(str(p) for p in [*error.absolute_path, *below]) or "(the file)", message
    if not by_type:
        return
    assert isinstance(items, list)
    remembering = remembering_validator()
    checkers: dict[str, Draft7Validator] = {}

    def checker(url: str) -> Draft7Validator:
        if url not in checkers:
            schema = url_validator(folder, url).schema
            checkers[url] = remembering(schema, registry=registry(folder))
        return checkers[url]

    for n, item in enumerate(items):
        object_id = str(item.get("id", f"item {n}")) if isinstance(item, dict) else f"item {n}"
        kind = item.get("object_type") if isinstance(item, dict) else None
        urls = by_type.get(kind, ()) if isinstance(kind, str) else ()
        if not urls:
            yield (
                object_id,
                "object_type",
                f"{_shorten(repr(kind))} is not a type this file may hold",
            )
            continue
        found = [list(checker(url).iter_errors(item)) for url in urls]
        passing = sum(1 for errs in found if not errs)
        if passing > 1:  # the file's oneOf allows exactly one
            yield object_id, "object_type", "matches more than one schema of this file"
        if passing:
            continue
        for error in sorted(found[0], key=lambda e: [str(p) for p in e.absolute_path]):
            below, message = _explain(error)
            field = ".".join(str(p) for p in [*error.absolute_path, *below]) or "(the object)"
            yield object_id, field, message


def _shorten(message: str, limit: int = 200) -> str:
    """A schema message echoes the value it rejects: keep a hostile one bounded."""
    return message if len(message) <= limit else message[: limit - 1] + "…"
