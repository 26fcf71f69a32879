"""A plain data format for cached states: MessagePack, with a few tagged values (exact
fractions, dates, tuples, sets, large integers, and objects of the classes it is given).

Only this code turns the bytes back into objects, and only into the classes of its
allowlist: a value naming any other class, or a tag it does not know, is refused
(`Undecodable`). Nothing in the bytes can name a function to call, as a pickle can
(DESIGN.md, principle 8).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import msgpack

# the tags (MessagePack extension types)
_FRACTION, _DATE, _TUPLE, _SET, _OBJECT, _BIGINT, _DATETIME, _FROZENSET = range(1, 9)


class Undecodable(ValueError):
    """Bytes that are not a value this codec wrote for its classes."""


class Codec:
    """Encodes values made of None, bools, ints, floats, strings, lists, tuples, sets, dicts,
    Fractions, dates and objects of `classes` (dataclasses, named tuples, or classes with
    their own `__getstate__`/`__setstate__`); decodes them into the same, and nothing else."""

    def __init__(self, classes: Iterable[type]):
        self._classes = {cls.__qualname__: cls for cls in classes}
        self._names = {cls: name for name, cls in self._classes.items()}

    def pack(self, value: Any) -> bytes:
        try:
            out: bytes = msgpack.packb(
                value, default=self._tagged, use_bin_type=True, strict_types=True
            )
        except (TypeError, ValueError, OverflowError) as e:
            raise TypeError(f"a cached state cannot hold this value: {e}") from e
        return out

    def unpack(self, data: bytes) -> Any:
        try:
            return msgpack.unpackb(
                data, ext_hook=self._untagged, raw=False, strict_map_key=False, use_list=True
            )
        except Undecodable:
            raise
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as e:
            raise Undecodable(f"not a cached value ({type(e).__name__}: {e})") from e

    def _tagged(self, x: Any) -> msgpack.ExtType:
        t = type(x)
        if t is Fraction:
            return msgpack.ExtType(_FRACTION, self.pack([x.numerator, x.denominator]))
        if t is dt.date:
            return msgpack.ExtType(_DATE, x.toordinal().to_bytes(4, "big"))
        if t is dt.datetime:
            return msgpack.ExtType(_DATETIME, x.isoformat().encode())
        if t is int:  # beyond 64 bits
            return msgpack.ExtType(_BIGINT, str(x).encode())
        if t is tuple:
            return msgpack.ExtType(_TUPLE, self.pack(list(x)))
        if t is set:
            return msgpack.ExtType(_SET, self.pack(list(x)))
        if t is frozenset:
            return msgpack.ExtType(_FROZENSET, self.pack(list(x)))
        name = self._names.get(t)
        if name is None:
            raise TypeError(f"{t.__module__}.{t.__qualname__} is not a class of the state")
        return msgpack.ExtType(_OBJECT, self.pack([name, _state_of(x)]))

    def _untagged(self, tag: int, data: bytes) -> Any:
        if tag == _FRACTION:
            n, d = self.unpack(data)
            if type(n) is not int or type(d) is not int or d <= 0:
                raise Undecodable("a fraction that is not two integers")
            return Fraction(n, d)
        if tag == _DATE:
            return dt.date.fromordinal(int.from_bytes(data, "big"))
        if tag == _DATETIME:
            return dt.datetime.fromisoformat(data.decode())
        if tag == _BIGINT:
            return int(data.decode())
        if tag in (_TUPLE, _SET, _FROZENSET):
            items = self.unpack(data)
            if not isinstance(items, list):
                raise Undecodable("a tuple or set that is not a list")
            return (tuple, set, frozenset)[(_TUPLE, _SET, _FROZENSET).index(tag)](items)
        if tag == _OBJECT:
            name, state = self.unpack(data)
            cls = self._classes.get(name) if isinstance(name, str) else None
            if cls is None:
                raise Undecodable(f"names {str(name)[:60]!r}, which is not a class of the state")
            return _rebuilt(cls, state)
        raise Undecodable(f"an unknown tag {tag}")


def _state_of(x: Any) -> Any:
    """What is kept of an object: its own `__getstate__` if it defines one, a named tuple's
    items, else its fields in order."""
    t = type(x)
    if "__getstate__" in vars(t):
        return x.__getstate__()
    if isinstance(x, tuple):
        return list(x)
    values = vars(x)
    names = _field_names(t)
    if len(values) != len(names):
        raise TypeError(f"{t.__qualname__} holds attributes beyond its fields")
    return [values[n] for n in names]


def _rebuilt(cls: type, state: Any) -> Any:
    """The object `_state_of` kept, made without running its constructor."""
    if "__setstate__" in vars(cls):
        obj: Any = object.__new__(cls)
        obj.__setstate__(state)
        return obj
    if not isinstance(state, list):
        raise Undecodable(f"a {cls.__qualname__} that is not a list of its fields")
    if issubclass(cls, tuple):
        return cls._make(state)  # type: ignore[attr-defined]
    names = _field_names(cls)
    if len(state) != len(names):
        raise Undecodable(f"a {cls.__qualname__} with {len(state)} fields, not {len(names)}")
    obj = cls.__new__(cls)
    obj.__dict__.update(zip(names, state, strict=True))
    return obj


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__qualname__} is neither a dataclass nor a named tuple")
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names
