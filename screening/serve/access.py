"""Opening the store for one request at a time, so that batch commands can use the file in between.

DuckDB lets one process write a database file; ``screening serve`` therefore holds no connection
between requests, and a request that finds the file held by a running scan waits a moment and then
answers 503 rather than failing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from screening.errors import StoreError
from screening.store import Store, StoreLockedError, open_store

WAIT_SECONDS: Final = 5.0  # with ``--workers`` the other workers' requests take turns at the lock too


class StoreBusyError(StoreError):
    """Another process holds the store (a scan or an import is writing to it)."""


@dataclass
class StoreAccess:
    """The store file of a server, opened per request under one lock."""

    path: str
    wait: float = WAIT_SECONDS
    lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def open(self) -> Iterator[Store]:
        """Yield the open store and close it afterwards; raise StoreBusyError when another process keeps it."""
        deadline = time.monotonic() + self.wait  # one bound for the request: this process's queue and the file's lock
        if not self.lock.acquire(timeout=self.wait):
            raise StoreBusyError(f"{self.path}: the store is busy with other requests; retry shortly")
        try:
            store = self._connect(deadline)
            try:
                yield store
            finally:
                store.close()
        finally:
            self.lock.release()

    def _connect(self, deadline: float) -> Store:
        """Return the open store, retrying until the deadline while another process holds its lock."""
        try:
            return open_store(self.path, wait=deadline - time.monotonic())
        except StoreLockedError as exc:
            raise StoreBusyError(f"{self.path}: the store is in use by another process; retry shortly") from exc
