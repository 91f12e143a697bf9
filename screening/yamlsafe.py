"""YAML for untrusted files (rules, column mappings): no aliases, bounded size and node count.

An alias (``*name``) lets a few hundred bytes expand to gigabytes (the "billion laughs"); rule and
mapping files never need one, so the loader refuses them at the first ``*``. The text size and the
number of nodes are capped too (defaults below; ``$SCREENING_MAX_YAML_BYTES`` and
``$SCREENING_MAX_YAML_NODES`` raise them). A refusal is a :class:`yaml.YAMLError` with the line, so
callers report it as they report any other YAML problem.
"""

from __future__ import annotations

from typing import Any, Final

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import Node

from screening.limits import limit

MAX_BYTES: Final = 1 << 20  # 1 MiB: the largest bundled rule file is under 4 kB
MAX_NODES: Final = 100_000
BYTES_ENV: Final = "SCREENING_MAX_YAML_BYTES"
NODES_ENV: Final = "SCREENING_MAX_YAML_NODES"


class BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases and stops after a bounded number of nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nodes_left = limit(NODES_ENV, MAX_NODES)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Compose a node, refusing aliases and counting nodes against the limit."""
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None, None, f"aliases (*{event.anchor}) are not allowed here: write the value out", event.start_mark
            )
        self.nodes_left -= 1
        if self.nodes_left < 0:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ComposerError(None, None, f"more than {limit(NODES_ENV, MAX_NODES):,} nodes (${NODES_ENV})", mark)
        return super().compose_node(parent, index)


def check_size(text: str) -> None:
    """Refuse a text over the size limit before parsing it."""
    cap = limit(BYTES_ENV, MAX_BYTES)
    if len(text) > cap:
        raise yaml.YAMLError(f"file is over {cap:,} characters (${BYTES_ENV} raises the limit)")


def compose(text: str) -> Node | None:
    """Return the node tree of a bounded YAML text."""
    check_size(text)
    return yaml.compose(text, Loader=BoundedLoader)  # a SafeLoader


def load(text: str) -> Any:
    """Return the data of a bounded YAML text."""
    check_size(text)
    return yaml.load(text, Loader=BoundedLoader)  # a SafeLoader
