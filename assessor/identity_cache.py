"""A bounded cache keyed by the object something was built from, not by its value.

A loaded questionnaire, its sections and questions are frozen dataclasses that compare by
value and cannot be hashed (their label mappings are ``MappingProxyType``), yet what is
built from them (a translation, a section's form class, a question's markup) belongs to
one loaded object: a changed file is loaded as a new one. Entries are therefore keyed by
``id()``, and each entry holds its object, so that no other object can take over that
``id()`` while the entry lives. The least recently used entry goes first when the cache is
full; a lock makes it safe for the threads of a worker. Values are built outside the lock:
two threads may build the same value once each, and the cache keeps the later.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class IdentityCache(Generic[Value]):
    """At most ``size`` values, each keyed by an object's identity and some details."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[object, Value]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, owner: object, details: Hashable, build: Callable[[], Value]) -> Value:
        """The value kept for (``owner``, ``details``), or ``build()`` kept from now on."""
        key = (id(owner), details)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:  # its owner is alive, so the id() is owner's own
                self._entries.move_to_end(key)
                return entry[1]
        value = build()
        with self._lock:
            self._entries[key] = (owner, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
