"""A kind's parameters read from its signature: types, ranges and defaults (the signature is the schema).

``Annotated[float, Range(0, 1)]`` declares a range; the default is the signature's. Rule loading
checks a rule's ``params`` against these, and ``screening rules docs`` prints them.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from screening.kinds import KINDS
from screening.kinds.base import Check, Range, RunCheck


@dataclass(frozen=True)
class Param:
    """One keyword parameter of a kind: name, type hint, declared range and default."""

    name: str
    hint: Any
    bounds: Range | None
    default: Any
    required: bool

    @property
    def type_name(self) -> str:
        """Return the parameter's type as a reader writes it."""
        return type_name(self.hint)


def kind_function(kind: str) -> Callable[..., Check | RunCheck]:
    """Return the function that builds a kind's check from a rule's params."""
    return KINDS[kind].build


def kind_params(kind: str) -> tuple[Param, ...]:
    """Return a kind's parameters in signature order."""
    function = kind_function(kind)
    hints = typing.get_type_hints(function, include_extras=True)
    return tuple(
        Param(
            name=name,
            hint=hints.get(name, Any),
            bounds=value_range(hints.get(name, Any)),
            default=None if p.default is inspect.Parameter.empty else p.default,
            required=p.default is inspect.Parameter.empty,
        )
        for name, p in inspect.signature(function).parameters.items()
    )


def value_range(hint: Any) -> Range | None:
    """Return the range a parameter's hint declares (``Annotated[float, Range(...)]``, also inside ``| None``)."""
    if typing.get_origin(hint) is typing.Annotated:
        return next((m for m in hint.__metadata__ if isinstance(m, Range)), None)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return next((r for arg in typing.get_args(hint) if (r := value_range(arg)) is not None), None)
    return None


def matches(value: Any, hint: Any) -> bool:  # noqa: PLR0911 - one return per kind of hint
    """Tell whether a YAML value fits a parameter's type hint (shallowly for containers)."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(matches(v, item) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    return isinstance(value, hint)


def type_name(hint: Any) -> str:
    """Return a readable name for a type hint."""
    if typing.get_origin(hint) is typing.Annotated:
        return type_name(typing.get_args(hint)[0])
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " | ".join(type_name(arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return "None"
    if typing.get_origin(hint) is not None:
        return str(hint).replace("typing.", "")
    return getattr(hint, "__name__", None) or str(hint)
