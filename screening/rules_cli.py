"""The ``rules check`` and ``rules docs`` commands: every broken rule file at once, and the generated reference."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Final

from rich.console import Console

from screening.examples import run_examples
from screening.rule_problems import RuleProblem, RuleSetError
from screening.rules import load_rules
from screening.rules_docs import check_rules_docs, render_rules_docs
from screening.safe_text import cell, clean

DOCS_PAGE: Final = Path("docs") / "rules.md"


def register_rules_check(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``rules check`` and ``rules docs`` to the rules command group."""
    c = rsub.add_parser("check", help="validate the rules and run their examples")
    c.add_argument("--rules", default=None, help="rules directory (default: the bundled rules)")
    c.add_argument(
        "--format", default="text", choices=("text", "json"), help="problems as text or JSON lines (on stderr)"
    )
    c.set_defaults(func=cmd_rules_check)
    q = rsub.add_parser("docs", help="write the rules reference (docs/rules.md) from the rule files and kinds")
    q.add_argument("--rules", default=None, help="rules directory (default: the bundled rules)")
    q.add_argument("--out", default=str(DOCS_PAGE), help=f"the page to write (default {DOCS_PAGE})")
    q.add_argument("--check", action="store_true", help="write nothing; exit 2 when the page is stale")
    q.set_defaults(func=cmd_rules_docs)


def cmd_rules_check(args: argparse.Namespace) -> int:
    """Validate every rule file and run every example; list every problem and exit 2 when there is one."""
    try:
        rules = load_rules(args.rules)
    except RuleSetError as exc:
        _report(exc.problems, args.format)
        return 2
    outcomes = run_examples(rules)
    failed = [o for o in outcomes if not o.passed]
    console = Console(highlight=False, soft_wrap=True)
    for outcome in failed:
        console.print(cell(f"FAIL {outcome.message}"))
    console.print(
        f"{len(rules.rules)} rules valid; examples: {len(outcomes) - len(failed)} passed, {len(failed)} failed",
        markup=False,
    )
    return 2 if failed else 0


def _report(problems: tuple[RuleProblem, ...], form: str) -> None:
    """Write one line per problem to stderr: text (file:line: message) or JSON with the location's fields."""
    files = len({p.location.file for p in problems})
    for found in problems:
        line = json.dumps({**found.location.as_dict(), "message": found.message}, ensure_ascii=False)
        sys.stderr.write((line if form == "json" else clean(f"screening: error: {found}", one_line=True)) + "\n")
    sys.stderr.write(f"screening: {files} broken rule file(s), {len(problems)} problem(s)\n")


def cmd_rules_docs(args: argparse.Namespace) -> int:
    """Write the rules reference page, or with --check tell whether it is current."""
    page = Path(args.out)
    if args.check:
        if check_rules_docs(page, args.rules):
            print(f"{page} is up to date")
            return 0
        sys.stderr.write(f"screening: error: {page} is stale; run `screening rules docs` and commit it\n")
        return 2
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render_rules_docs(args.rules), encoding="utf-8")
    print(f"wrote {page}")
    return 0
