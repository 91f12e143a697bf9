"""Diff a new accuracy run against the committed reference run.

Run: ``python benchmarks/names/diff_run.py [NEW.json] [REFERENCE.json]``; exits 1 when precision,
recall, F1 or list recall drops by more than 0.005, or the clean alert rate rises.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
TOLERANCE = 0.005


def main() -> int:
    """Print the changed figures and return 1 on a regression."""
    new_path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results" / "accuracy.json"
    ref_path = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "reference_accuracy.json"
    new, ref = json.loads(new_path.read_text()), json.loads(ref_path.read_text())
    worse = False
    for key in ("precision", "recall", "f1"):
        delta = new["pairs"][key] - ref["pairs"][key]
        print(f"pairs.{key}: {ref['pairs'][key]} -> {new['pairs'][key]} ({delta:+.4f})")
        worse |= delta < -TOLERANCE
    for variant, old in ref["list_recall"].items():
        now = new["list_recall"].get(variant, 0.0)
        if now != old:
            print(f"list_recall.{variant}: {old} -> {now}")
        worse |= now < old - TOLERANCE
    old_rate, new_rate = ref["clean_alert_rate"]["per_1000"], new["clean_alert_rate"]["per_1000"]
    print(f"clean alerts per 1000: {old_rate} -> {new_rate}")
    worse |= new_rate > old_rate
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
