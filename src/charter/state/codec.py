"""A plain data format for cached states: MessagePack, with a few tagged values (exact
fractions, dates, tuples, sets, large integers, objects of the classes it is given, tables
of such objects, rows of them read back one by one, and values read back when first read).

Only this code turns the bytes back into objects, and only into the classes of its
allowlist: a value naming any other class, or a tag it does not know, is refused
(`Undecodable`). Nothing in the bytes can name a function to call, as a pickle can
(DESIGN.md, principle 8).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import struct
import threading
import zlib
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import msgpack
import msgspec

from charter.lazy import DecodedWhenRead

# The tags (MessagePack extension types). Fractions, dates and large integers are one
# extension each. A tuple, a set, an object or a table is an array whose first item is an
# extension naming what the array is (a mark): read back with one call, not one decoding
# of nested bytes each.
(
    _FRACTION,
    _DATE,
    _TUPLE,
    _SET,
    _OBJECT,
    _BIGINT,
    _DATETIME,
    _FROZENSET,
    _TABLE,
    _ROWS,
    _PACKED,
) = range(1, 12)
_TWO_INT64 = struct.Struct(">qq")
_INT64 = range(-(2**63), 2**63)


class Undecodable(ValueError):
    """Bytes that are not a value this codec wrote for its classes."""


class Rows(DecodedWhenRead[Any, Any]):
    """A dict of objects that a cached state keeps row by row, each row decoded when first
    read: a replay after a cached state reads the few rows its events touch (one grant of
    thousands), and the rows it never read are written back as they were read.

    Its values are objects (never bytes, which stand for a row not yet read). A row read
    back is checked against the codec's allowlist as any value is; it is decoded, and
    refused, when first read."""

    def __init__(self, items: Mapping[Any, Any] | None = None) -> None:
        self._items: dict[Any, Any] = dict(items or {})  # an object, or its row (bytes)
        self._codec: Codec | None = None  # what decodes the rows

    @classmethod
    def of(cls, items: Mapping[Any, Any]) -> Rows:
        """A copy of `items` as rows; of rows, those not read stay as they were read."""
        rows = cls()
        if isinstance(items, Rows):
            rows._items, rows._codec = dict(items._items), items._codec
        else:
            rows._items = dict(items)
        return rows

    def read(self) -> list[tuple[Any, Any]]:
        """The keys and objects of the rows made objects (read, or set)."""
        return [(k, v) for k, v in self._items.items() if type(v) is not bytes]

    def stored(self, item: Any) -> bool:
        return type(item) is bytes

    def decode(self, key: Any, item: Any) -> Any:
        assert self._codec is not None  # rows are bytes only when a codec read them
        return self._codec.unpack(item)

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"


# Held while an object restored with packed parts unpacks them (and makes them whole) before
# publishing them: a state a server keeps is read by several threads at once
UNPACKING = threading.RLock()


class Packed:
    """A value that a cached state keeps packed and compressed on its own, decoded when first
    read (`value`): a replay that never reads it never decompresses it (the certificates of
    the register, state/certificates.py). Packed again as it was read if it was never read.

    Read back, it is checked against the codec's allowlist as any value is, when first
    read (and refused then: `Undecodable`)."""

    __slots__ = ("_codec", "_data", "_value")

    def __init__(self, value: Any) -> None:
        self._value = value
        self._data: bytes | None = None  # compressed bytes, until first read
        self._codec: Codec | None = None  # what decodes them

    @property
    def value(self) -> Any:
        if self._data is not None:
            assert self._codec is not None  # bytes only when a codec read them
            try:
                data = zlib.decompress(self._data)
            except zlib.error as e:
                raise Undecodable(f"not a compressed value ({e})") from e
            self._value, self._data = self._codec.unpack(data), None
        return self._value

    @property
    def read(self) -> bool:
        """Whether the value was decoded (or never packed)."""
        return self._data is None


class _Mark:
    """The first item of an array that is a tuple, a set, an object or a table."""

    __slots__ = ("cls", "tag")

    def __init__(self, tag: int, cls: type | None):
        self.tag = tag
        self.cls = cls


class Codec:
    """Encodes values made of None, bools, ints, floats, strings, lists, tuples, sets, dicts,
    Fractions, dates and objects of `classes` (msgspec Structs, dataclasses, named tuples, or
    classes with their own `__getstate__`/`__setstate__`); decodes them into the same, and
    nothing else.

    A dict whose values are all objects of one such class with fields (a Struct or a plain
    dataclass) is kept as a table (its keys, then one column per field).

    A Struct is made again by its constructor, which only assigns its fields: a Struct of the
    allowlist may not define `__post_init__`, which would run on what the bytes hold, nor keep
    attributes beyond its fields (`dict=True`), which would not come back."""

    def __init__(self, classes: Iterable[type]):
        classes = list(classes)
        for cls in classes:
            if issubclass(cls, msgspec.Struct) and "__post_init__" in vars(cls):
                raise TypeError(f"{cls.__qualname__} runs __post_init__ when it is made")
            if issubclass(cls, msgspec.Struct) and cls.__struct_config__.dict:
                raise TypeError(f"{cls.__qualname__} keeps attributes beyond its fields")
        self._classes = {cls.__qualname__: cls for cls in classes}
        self._names = {cls: name for name, cls in self._classes.items()}
        self._plain = {tag: _Mark(tag, None) for tag in (_TUPLE, _SET, _FROZENSET, _ROWS, _PACKED)}

    def pack(self, value: Any) -> bytes:
        try:
            out: bytes = msgpack.packb(
                self._table(value), default=self._tagged, use_bin_type=True, strict_types=True
            )
        except (TypeError, ValueError, OverflowError) as e:
            raise TypeError(f"a cached state cannot hold this value: {e}") from e
        return out

    def unpack(self, data: bytes) -> Any:
        try:
            value = msgpack.unpackb(
                data,
                ext_hook=self._untagged,
                list_hook=self._array,
                raw=False,
                strict_map_key=False,
                use_list=True,
            )
        except Undecodable:
            raise
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, struct.error) as e:
            raise Undecodable(f"not a cached value ({type(e).__name__}: {e})") from e
        if type(value) is _Mark:
            raise Undecodable("a mark outside its array")
        return value

    def _table(self, value: Any) -> Any:
        """A dict of objects of one class with fields (a Struct, a plain dataclass) as a
        table; anything else as it is."""
        if type(value) is not dict or not value:
            return value
        first = type(next(iter(value.values())))
        name = self._names.get(first)
        if name is None or "__getstate__" in vars(first) or not _has_fields(first):
            return value
        if not all(type(v) is first for v in value.values()):
            return value
        names = _field_names(first)
        rows = [_field_values(v, names) for v in value.values()]
        columns = [list(c) for c in zip(*rows, strict=True)]
        return [msgpack.ExtType(_TABLE, name.encode()), list(value), *columns]

    def _tagged(self, x: Any) -> Any:
        t = type(x)
        if t is Fraction:
            n, d = x.numerator, x.denominator
            if n in _INT64 and d in _INT64:
                return msgpack.ExtType(_FRACTION, _TWO_INT64.pack(n, d))
            return msgpack.ExtType(_FRACTION, f"{n}/{d}".encode())
        if t is dt.date:
            return msgpack.ExtType(_DATE, x.toordinal().to_bytes(4, "big"))
        if t is dt.datetime:
            return msgpack.ExtType(_DATETIME, x.isoformat().encode())
        if t is int:  # beyond 64 bits
            return msgpack.ExtType(_BIGINT, str(x).encode())
        if t is tuple:
            return [msgpack.ExtType(_TUPLE, b""), *x]
        if t is set:
            return [msgpack.ExtType(_SET, b""), *x]
        if t is frozenset:
            return [msgpack.ExtType(_FROZENSET, b""), *x]
        if t is Rows:
            row = msgpack.Packer(default=self._tagged, use_bin_type=True, strict_types=True).pack
            rows = [v if type(v) is bytes else row(self._table(v)) for v in x._items.values()]
            return [msgpack.ExtType(_ROWS, b""), list(x), *rows]
        if t is Packed:
            data = x._data if x._data is not None else zlib.compress(self.pack(x._value), 1)
            return [msgpack.ExtType(_PACKED, b""), data]
        name = self._names.get(t)
        if name is None:
            raise TypeError(f"{t.__module__}.{t.__qualname__} is not a class of the state")
        return [msgpack.ExtType(_OBJECT, name.encode()), *self._state_of(x)]

    def _state_of(self, x: Any) -> list[Any]:
        """What is kept of an object: its own `__getstate__` if it defines one (its values
        that are dicts of objects as tables), a named tuple's items, else its fields."""
        t = type(x)
        if "__getstate__" in vars(t):
            return [{k: self._table(v) for k, v in x.__getstate__().items()}]
        if isinstance(x, tuple):
            return list(x)
        return [self._table(v) for v in _field_values(x, _field_names(t))]

    def _untagged(self, tag: int, data: bytes) -> Any:
        if tag == _FRACTION:
            if len(data) == _TWO_INT64.size:
                n, d = _TWO_INT64.unpack(data)
            else:
                num, _, den = data.decode().partition("/")
                n, d = int(num), int(den)
            if d <= 0:
                raise Undecodable("a fraction whose denominator is not positive")
            return _fraction(n, d)
        if tag == _DATE:
            return dt.date.fromordinal(int.from_bytes(data, "big"))
        if tag == _DATETIME:
            return dt.datetime.fromisoformat(data.decode())
        if tag == _BIGINT:
            return int(data.decode())
        if tag in self._plain:
            return self._plain[tag]
        if tag in (_OBJECT, _TABLE):
            name = data.decode()
            cls = self._classes.get(name)
            if cls is None:
                raise Undecodable(f"names {name[:60]!r}, which is not a class of the state")
            return _Mark(tag, cls)
        raise Undecodable(f"an unknown tag {tag}")

    def _array(self, items: list[Any]) -> Any:
        """An array read back: a tuple, a set, an object or a table if its first item is a
        mark, else the list."""
        if not items or type(items[0]) is not _Mark:
            return items
        mark: _Mark = items[0]
        if any(type(x) is _Mark for x in items[1:]):
            raise Undecodable("a mark inside an array")
        if mark.tag == _TUPLE:
            return tuple(items[1:])
        if mark.tag == _SET:
            return set(items[1:])
        if mark.tag == _FROZENSET:
            return frozenset(items[1:])
        if mark.tag == _ROWS:
            return self._rows(items[1], items[2:])
        if mark.tag == _PACKED:
            return self._packed(items[1:])
        assert mark.cls is not None
        if mark.tag == _OBJECT:
            return _rebuilt(mark.cls, items[1:])
        return _table_of(mark.cls, items[1], items[2:])

    def _rows(self, keys: list[Any], rows: list[Any]) -> Rows:
        if type(keys) is not list or not all(type(r) is bytes for r in rows):
            raise Undecodable("rows that are not keys and packed values")
        table = Rows()
        table._items, table._codec = dict(zip(keys, rows, strict=True)), self
        return table

    def _packed(self, items: list[Any]) -> Packed:
        if len(items) != 1 or type(items[0]) is not bytes:
            raise Undecodable("a packed value that is not one string of bytes")
        packed = Packed(None)
        packed._data, packed._codec = items[0], self
        return packed


def _table_of(cls: type, keys: list[Any], columns: list[list[Any]]) -> dict[Any, Any]:
    names = _field_names(cls)
    if len(columns) != len(names):
        raise Undecodable(f"a table of {cls.__qualname__} with {len(columns)} columns")
    return {key: _made(cls, names, values) for key, *values in zip(keys, *columns, strict=True)}


def _fraction(numerator: int, denominator: int) -> Fraction:
    """A Fraction from the integers of one that was in lowest terms when encoded (signed
    with the server key), without recomputing their greatest common divisor."""
    x = object.__new__(Fraction)
    x._numerator = numerator  # type: ignore[attr-defined]
    x._denominator = denominator  # type: ignore[attr-defined]
    return x


def _rebuilt(cls: type, state: list[Any]) -> Any:
    """The object `_state_of` kept, made without running its constructor (a Struct's, which
    only assigns its fields, excepted: `_made`)."""
    if "__setstate__" in vars(cls):
        if len(state) != 1 or not isinstance(state[0], dict):
            raise Undecodable(f"a {cls.__qualname__} that is not its state")
        obj: Any = object.__new__(cls)
        obj.__setstate__(state[0])
        return obj
    if issubclass(cls, tuple):
        return cls._make(state)  # type: ignore[attr-defined]
    names = _field_names(cls)
    if len(state) != len(names):
        raise Undecodable(f"a {cls.__qualname__} with {len(state)} fields, not {len(names)}")
    return _made(cls, names, state)


def _made(cls: type, names: tuple[str, ...], values: list[Any]) -> Any:
    """An object of a class with fields from its values, in the order of `names`."""
    if issubclass(cls, msgspec.Struct):
        return cls(*values)
    obj = object.__new__(cls)
    obj.__dict__.update(zip(names, values, strict=True))
    return obj


def _field_values(obj: Any, names: tuple[str, ...]) -> list[Any]:
    """The values of an object's fields, in the order of `names`; a dataclass object holding
    any other attribute is refused, as it would not come back."""
    if isinstance(obj, msgspec.Struct):
        return list(msgspec.structs.astuple(obj))
    values = vars(obj)
    if len(values) != len(names):
        raise TypeError(f"{type(obj).__qualname__} holds attributes beyond its fields")
    return [values[n] for n in names]


def _has_fields(cls: type) -> bool:
    return issubclass(cls, msgspec.Struct) or dataclasses.is_dataclass(cls)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        if issubclass(cls, msgspec.Struct):
            names = cls.__struct_fields__
        elif dataclasses.is_dataclass(cls):
            names = tuple(f.name for f in dataclasses.fields(cls))
        else:
            raise TypeError(
                f"{cls.__qualname__} is neither a Struct, a dataclass nor a named tuple"
            )
        _FIELDS[cls] = names
    return names
