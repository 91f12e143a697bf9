"""Named points where a fault test stops the process, the way a crash or an operator would.

``SCREENING_FAILPOINT=<point>:<action>`` (for example ``ingest:kill``) makes the first time the
scan passes ``<point>`` send the process ``SIGKILL`` (kill), ``SIGTERM`` (term) or ``SIGINT`` (int).
Points: ``ingest`` (after a batch is stored), ``analyse`` (before the run-level rules), ``rule``
(as a run-level rule starts), ``record`` (before the run row is written), ``export`` (while an
output file is being written). Unset, a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from typing import Final

ENV: Final = "SCREENING_FAILPOINT"
ACTIONS: Final = {"kill": signal.SIGKILL, "term": signal.SIGTERM, "int": signal.SIGINT}


def failpoint(point: str) -> None:
    """Stop the process here when ``$SCREENING_FAILPOINT`` names this point."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, action = wanted.partition(":")
    if name == point and action in ACTIONS:
        os.environ.pop(ENV)  # once: a handler that survives the signal goes on undisturbed
        os.kill(os.getpid(), ACTIONS[action])
