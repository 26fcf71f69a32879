"""Finding and reading terms files: a built-in set by name, or a path (docs/terms-format.md)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from charter.errors import CharterError, Problem, excerpt
from charter.inputs import load_text
from charter.terms.model import Bylaws, Certificate, TermsSet

DATA = Path(__file__).parent / "data"


def builtin_names() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if (p / "index.yaml").exists())


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "it is not UTF-8 text"
        raise CharterError([Problem(f"cannot read terms file: {reason}", file=str(path))]) from e
    return load_text(text, str(path))


def _validation_problems(path: Path, err: ValidationError) -> list[Problem]:
    return [
        Problem(
            e["msg"],
            file=str(path),
            field=".".join(str(p) for p in e["loc"]) or None,
        )
        for e in err.errors()
    ]


def load_terms_file(path: Path) -> TermsSet:
    """Read a terms set from an index file (listing its certificate and bylaws files) or a
    single file holding the whole set."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise CharterError([Problem("a terms file must be a mapping", file=str(path))])
    base = path.parent
    problems: list[Problem] = []
    certificates: list[Any] = []
    listed = data.get("certificates", [])
    if not isinstance(listed, list):
        raise CharterError(
            [
                Problem(
                    "must list the certificates (file names or mappings)",
                    file=str(path),
                    field="certificates",
                )
            ]
        )
    for item in listed:
        if isinstance(item, str):
            sub = base / item
            try:
                certificates.append(Certificate.model_validate(_read_yaml(sub)))
            except ValidationError as e:
                problems.extend(_validation_problems(sub, e))
        else:
            certificates.append(item)
    bylaws: Any = data.get("bylaws")
    if isinstance(bylaws, str):
        sub = base / bylaws
        try:
            bylaws = Bylaws.model_validate(_read_yaml(sub))
        except ValidationError as e:
            problems.extend(_validation_problems(sub, e))
    if problems:
        raise CharterError(problems)
    try:
        return TermsSet.model_validate({**data, "certificates": certificates, "bylaws": bylaws})
    except ValidationError as e:
        raise CharterError(_validation_problems(path, e)) from e


@cache
def load_builtin(name: str) -> TermsSet:
    return load_terms_file(DATA / name / "index.yaml")


def resolve_terms(ref: str, relative_to: Path | None = None) -> TermsSet:
    """`terms: quintus` names a built-in set; anything else is a path to a terms file."""
    if ref in builtin_names():
        return load_builtin(ref)
    path = Path(ref)
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    if not path.exists():
        raise CharterError(
            [
                Problem(
                    f"terms {excerpt(ref)} is neither a built-in terms set "
                    f"({', '.join(builtin_names())}) nor an existing file",
                    field="company.terms",
                )
            ]
        )
    return load_terms_file(path)
