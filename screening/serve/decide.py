"""Decisions from the workbench: written by :func:`screening.review.decide`, signed with the signed-in user.

The run's stored hits then take the decision's state at once (:func:`screening.review.review_run`),
as the next scan would give them. An escalation leaves a hit open for a reviewer: it is no clearance.
"""

from __future__ import annotations

from typing import Final, cast

from screening.errors import ConfigError
from screening.review import Decision, decide, review_run
from screening.serve.accounts import User
from screening.store import Store

ACTIONS: Final = {"clear": "cleared", "confirm": "confirmed", "escalate": "escalated"}
# who may do what: an analyst clears or escalates; confirming a match takes a reviewer
ALLOWED: Final = {
    "analyst": frozenset({"clear", "escalate"}),
    "reviewer": frozenset({"clear", "escalate", "confirm"}),
    "admin": frozenset({"clear", "escalate", "confirm"}),
}
_REOPEN: Final = """
    UPDATE hits SET review = NULL WHERE run_id = ? AND rule_id = ? AND coalesce(party, record_id) = ?
        AND entity_id IS NOT DISTINCT FROM ?
"""


def record(store: Store, user: User, run_id: str, hit_id: str, *, action: str, reason: str) -> dict[str, object]:
    """Record a user's decision on a hit and bring the run's stored hits up to date; return the decision."""
    if action not in ACTIONS:
        raise ConfigError(f"unknown action {action!r}; valid: {', '.join(ACTIONS)}")
    if action not in ALLOWED.get(user.role, frozenset()):
        raise PermissionError(f"a {user.role} may not {action}; ask a reviewer")
    row = decide(store, run_id, hit_id, decision=cast(Decision, ACTIONS[action]), reason=reason, analyst=user.name)
    review_run(store, run_id)
    if action == "escalate":  # an earlier clearance of the subject no longer stands
        store.con.execute(_REOPEN, [run_id, row["rule_id"], row["subject"], row["entity_id"]])
    return row
