"""Text that came from a person or a file: one safe YAML/JSON reader for every input
(ledgers, terms files, ballots and tallies, consents, the web's YAML forms, scenarios).

Anything read may be hostile (issue 17 §3), so the reader:

- builds plain data only (YAML's safe schema: no object of ours, let alone arbitrary ones);
- refuses YAML aliases (`*name`): an alias repeats a whole subtree, and a few nested ones
  turn a few hundred bytes into gigabytes once anything walks or prints the result (the
  "billion laughs"). No input of ours needs one; an anchor alone repeats nothing and passes;
- turns every value YAML cannot build (an impossible date such as `1999-02-30`, an integer
  of more than 4,300 digits) into a sentence with its line, not an exception;
- refuses strings holding a lone surrogate (JSON's `"\\ud800"`), which no encoding can
  write: the database and every response would fail on it;
- refuses strings holding a control character (YAML's `"\\e"`, JSON's `"\\u001b"`, a lone
  carriage return) or a bidirectional override (charter.printable): printed, it is not a
  character but an order, and a holder named `"\\e[1A..."` moved the terminal's cursor up
  and wrote over the cap table's figures (tab, line feed and a line ending's CR LF pass);
- refuses nesting deeper than the readers go (about 1,000 levels for JSON, YAML's own
  limit), which no input of ours comes near, with a sentence.

Errors echo at most a short excerpt of a value (`errors.excerpt`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from charter.errors import CharterError, Problem, excerpt
from charter.printable import CONTROL, ORDERS, kind

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNWRITTEN = re.compile(f"[\ud800-\udfff{ORDERS}]")
"""What a text must hold, unescaped, for a string read from it to hold a lone surrogate or
what CONTROL matches without an escape (a backslash): YAML refuses C0 in a file and JSON in a
string, but takes DEL, C1 and the bidirectional characters as they are; a line's CR is a line
break to both, never a string's."""


class _Refused(yaml.constructor.ConstructorError):
    """A YAML value refused while building the data."""


class SafeLoader(_Base):  # type: ignore[valid-type,misc]
    """YAML's safe loader (the C one when present) that refuses aliases and turns values it
    cannot build into errors carrying their line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(
                None,
                None,
                "an alias (*name) repeats another part of the document; write the value out "
                "(aliases are not accepted)",
                node.start_mark,
            )
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as e:
            raise _Refused(
                None,
                None,
                f"{excerpt(getattr(node, 'value', ''))} cannot be read ({e})",
                node.start_mark,
            ) from None


def _problem(message: str, source: str | None, field: str | None, line: int | None) -> Problem:
    return Problem(message, file=source, line=line, field=field)


def yaml_problem(e: yaml.YAMLError, source: str | None, field: str | None) -> Problem:
    """The sentence for a YAML error: what is wrong and its line."""
    mark = getattr(e, "problem_mark", None)
    what = getattr(e, "problem", None) or "cannot be read"
    line = None if mark is None else mark.line + 1
    if source is None and line is not None:
        return _problem(f"is not valid YAML or JSON (line {line}): {what}", None, field, None)
    return _problem(f"is not valid YAML or JSON: {what}", source, field, line)


def load_text(text: str, source: str | None = None, field: str | None = None) -> Any:
    """The data of a YAML or JSON text (JSON is YAML; a text starting with `{` is read by
    the faster JSON reader), or a CharterError naming `source` (a file) or `field` (a
    form's or an option's name) and the line."""
    try:
        if text.lstrip().startswith("{"):
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=SafeLoader)
    except json.JSONDecodeError as e:
        raise CharterError(
            [_problem(f"is not valid JSON: {e.msg} (line {e.lineno})", source, field, None)]
        ) from None
    except RecursionError:
        raise CharterError([_problem("nests too deeply to be read", source, field, None)]) from None
    except yaml.YAMLError as e:
        raise CharterError([yaml_problem(e, source, field)]) from None
    check_data(data, source, field, escaped="\\" in text or bool(_UNWRITTEN.search(text)))
    return data


def check_data(
    data: Any, source: str | None = None, field: str | None = None, escaped: bool = True
) -> None:
    """Refuse data holding a lone surrogate, a control character or a bidirectional
    formatting character (charter.printable) in a string or a key, naming the field's path.
    `escaped=False` says the text it was read from held neither a backslash (the escapes that
    write them in YAML and JSON) nor one of them as itself, so there is nothing to walk."""
    if not escaped:
        return
    stack: list[tuple[str, Any]] = [(field or "", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise CharterError([_surrogate(value, source, where or None)])
            control = CONTROL.search(value)
            if control:
                raise CharterError([_control(value, control.group()[0], source, where or None)])
        elif isinstance(value, dict):
            for k, v in value.items():
                inner = f"{where}.{_key_path(k)}" if where else _key_path(k)
                stack.append((inner, k))
                stack.append((inner, v))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))


def _key_path(key: Any) -> str:
    """A key as a field's path shows it: as written when it is a short printable text, else
    quoted and cut (a key is input too)."""
    if isinstance(key, str) and key.isprintable() and len(key) <= 60:
        return key
    return excerpt(key)


def _surrogate(value: str, source: str | None, field: str | None) -> Problem:
    return _problem(
        f"the text {excerpt(value)} holds a lone surrogate (\\ud800-\\udfff), which is not a "
        "character; write the character itself",
        source,
        field,
        None,
    )


def _control(value: str, char: str, source: str | None, field: str | None) -> Problem:
    return _problem(
        f"the text {excerpt(value)} holds {kind(char)} (U+{ord(char):04X}): not a character "
        "but an order to whatever shows the text (a terminal's cursor, the direction of what "
        "follows), which could make a figure read otherwise than it is; write the text "
        "without it",
        source,
        field,
        None,
    )


_DumperBase: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_DumperBase):  # type: ignore[valid-type,misc]
    """YAML's safe dumper (libyaml's emitter where there is one: the same text, ten times
    sooner) writing every value out, never an anchor and alias (which it would for an
    object met twice, such as one date): what we write, we read back."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any, width: int = 100) -> str:
    """Plain data as YAML a person reads: keys in their order, Unicode as itself, no
    aliases."""
    return yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=width)
