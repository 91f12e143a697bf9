"""The event loop of ``serve --workers``: workers sharing one listening socket take turns at new connections.

asyncio accepts every connection waiting when its listening socket wakes it, so of several workers
on one socket the first awake takes a burst of new keep-alive connections (6 of 8, say) and answers
them in turn while another idles. :class:`BalancedLoop` accepts one connection per wake-up: at once
when it holds none, else after a pause that grows with the connections it holds, so that the worker
holding fewer takes the next one. It works on any system with a shared socket (Linux, macOS), unlike
``SO_REUSEPORT``, whose kernel hash spreads connections by chance (8 split 4/4 about one time in four).
It is asyncio's selector loop with its accept step changed (private methods, the same from Python 3.7
to 3.13); were they renamed, the loop would accept as asyncio does.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any, Final

# per connection held: a worker holding one more waits this much longer (1 ms lost the race on a loaded 2-core machine)
PAUSE_SECONDS: Final = 0.002
MOST_HELD: Final = 8  # the pause stops growing here (16 ms): it delays a new connection's first request


class BalancedLoop(asyncio.SelectorEventLoop):
    """A selector event loop that accepts one connection per wake-up, later the more connections it holds."""

    def _accept_connection(  # asyncio's signature: the timeouts follow the backlog
        self, factory: Any, sock: socket.socket, ssl: Any = None, server: Any = None, backlog: int = 100, *timeouts: Any
    ) -> None:
        """Accept one waiting connection now when this loop holds none, else look again after a pause."""
        held = self.held()
        if held == 0:
            self._accept_one(factory, sock, ssl, server, *timeouts)
            return
        self._remove_reader(sock.fileno())  # type: ignore[attr-defined]
        pause = min(held, MOST_HELD) * PAUSE_SECONDS
        self.call_later(pause, self._resume, factory, sock, ssl, server, backlog, *timeouts)

    def held(self) -> int:
        """Return the connections this loop holds open."""
        transports = self._transports  # type: ignore[attr-defined]
        return sum(not transport.is_closing() for transport in list(transports.values()))

    def _resume(self, factory: Any, sock: socket.socket, ssl: Any, server: Any, backlog: int, *timeouts: Any) -> None:
        """Listen again after a pause and accept one connection unless another worker took it meanwhile."""
        if sock.fileno() < 0 or (server is not None and not server.is_serving()):  # the server closed meanwhile
            return
        self._start_serving(factory, sock, ssl, server, backlog, *timeouts)  # type: ignore[attr-defined]
        self._accept_one(factory, sock, ssl, server, *timeouts)  # out of descriptors, it stops listening a while

    def _accept_one(self, factory: Any, sock: socket.socket, ssl: Any, server: Any, *timeouts: Any) -> None:
        """Accept at most one waiting connection: asyncio's own step with a backlog of one."""
        super()._accept_connection(factory, sock, ssl, server, 1, *timeouts)  # type: ignore[misc]
