"""What is made when it is first used: a module imported when first read (the house way to
keep an import off the path of the commands that never need it: the CLI's command modules,
and the replay's rules for recorded meetings and consents), and a mapping whose values are
decoded when first read (the parts of a cached state, the stored stakeholders)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, MutableMapping
from types import ModuleType
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def deferred(name: str) -> ModuleType:
    """The module `name`, executed when one of its attributes is first read
    (importlib.util.LazyLoader)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class DecodedWhenRead(MutableMapping[K, V]):
    """A mapping whose values are kept as they were stored (a row, a column index, a text) and
    each decoded when first read, then kept decoded; a value set is kept as given. Each kind
    says which values are still as stored (`stored`) and how one is decoded (`decode`), and
    fills `_items`."""

    _items: dict[K, Any]  # a value, or what it was stored as

    def stored(self, item: Any) -> bool:
        raise NotImplementedError

    def decode(self, key: K, item: Any) -> V:
        raise NotImplementedError

    def __getitem__(self, key: K) -> V:
        item = self._items[key]
        if self.stored(item):
            item = self._items[key] = self.decode(key, item)
        return item  # type: ignore[no-any-return]

    def __setitem__(self, key: K, value: V) -> None:
        self._items[key] = value

    def __delitem__(self, key: K) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items
