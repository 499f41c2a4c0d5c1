"""Validators for text inputs: query, path, header, cookie and form values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fasterapi_core.validation._nodes import (
    BAD,
    DecimalNode,
    FloatNode,
    IntNode,
    Node,
    SeqNode,
    StrNode,
    TupleNode,
    UnionNode,
    compile_node,
    numeric_checks,
)
from fasterapi_core.validation.constraints import NO_CONSTRAINTS, Constraints, constrain
from fasterapi_core.validation.errors import ErrorDict, Loc
from fasterapi_core.validation.fallback import fallback_validator

__all__ = ["ScalarValidator"]

Result = tuple[Any, list[ErrorDict] | None]


def _core(node: Node) -> Node:
    """The node under a nullable single-option union (``X | None`` → ``X``)."""
    if isinstance(node, UnionNode) and len(node.options) == 1:
        return node.options[0]
    return node


def patch_decimal_bounds(node: Node, bounds: Constraints | None) -> None:
    """Give ``Decimal`` nodes the numeric constraints msgspec could not carry."""
    if bounds is None:
        return
    targets = node.options if isinstance(node, UnionNode) else [node]
    for target in targets:
        if isinstance(target, DecimalNode):
            target.checks = numeric_checks(bounds)
            target.max_digits = bounds.max_digits
            target.decimal_places = bounds.decimal_places


def _identity(raw: Any) -> Result:
    return raw, None


class ScalarValidator:
    """Validate/convert one text parameter; ``validate`` returns ``(value, None)`` or errors.

    For sequence annotations (``list[int]``, ``set[str] | None``...) :attr:`is_sequence` is true
    and the caller passes every value given for the parameter, as a list of strings.
    """

    __slots__ = ("annotation", "is_sequence", "loc", "node", "parse_text", "validate")

    def __new__(
        cls,
        annotation: Any,
        constraints: Constraints = NO_CONSTRAINTS,
        *,
        loc: Loc,
        options: Mapping[str, Any] | None = None,
    ) -> Any:
        """A :class:`ScalarValidator`, or the pydantic fallback's validator when msgspec
        cannot express ``annotation`` (see :mod:`.fallback`); decided once, here."""
        if cls is ScalarValidator:
            other = fallback_validator(
                annotation,
                constraints,
                loc,
                options,
                lambda member: ScalarValidator(member, loc=loc),
            )
            if other is not None:
                return other
        return object.__new__(cls)

    def __init__(
        self,
        annotation: Any,
        constraints: Constraints = NO_CONSTRAINTS,
        *,
        loc: Loc,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.annotation = annotation
        self.loc = loc
        constrained, bounds = constrain(annotation, constraints)
        node = compile_node(constrained)
        patch_decimal_bounds(node, bounds)
        self.node = node
        core = _core(node)
        self.is_sequence = isinstance(core, SeqNode | TupleNode)  # tuple[int, int] too
        self.validate: Callable[[Any], Result] = self._build(core)
        self.parse_text: Callable[[str], Any] | None = None
        """``int``, ``float`` or ``str`` when the type is exactly that, unconstrained: for
        ASCII text, its result is :meth:`validate`'s value, and a ``ValueError`` sends the
        text to it."""
        if type(core) in (IntNode, FloatNode) and not core.checks:  # type: ignore[attr-defined]
            self.parse_text = int if type(core) is IntNode else float
        elif self.validate is _identity and type(core) is StrNode:
            self.parse_text = str

    def _build(self, core: Node) -> Callable[[Any], Result]:
        loc = self.loc
        node = self.node
        check = node.check
        if type(core) is Node:
            return _identity
        if (
            type(core) is StrNode
            and core.search is None
            and core.min_length is None
            and (core.max_length is None)
        ):
            return _identity
        if type(core) is IntNode and not core.checks:

            def validate_int(raw: Any) -> Result:
                if type(raw) is str and raw.isascii():
                    try:
                        return int(raw), None
                    except ValueError:
                        pass
                errs: list[ErrorDict] = []
                value = check(raw, loc, errs)
                return (None, errs) if value is BAD else (value, None)

            return validate_int
        if type(core) is FloatNode and not core.checks:

            def validate_float(raw: Any) -> Result:
                if type(raw) is str and raw.isascii():
                    try:
                        return float(raw), None
                    except ValueError:
                        pass
                errs: list[ErrorDict] = []
                value = check(raw, loc, errs)
                return (None, errs) if value is BAD else (value, None)

            return validate_float
        if self.is_sequence:

            def validate_many(raw: Any) -> Result:
                errs: list[ErrorDict] = []
                value = check([raw] if isinstance(raw, str) else raw, loc, errs)
                return (None, errs) if value is BAD else (value, None)

            return validate_many

        def validate_one(raw: Any) -> Result:
            errs: list[ErrorDict] = []
            value = check(raw, loc, errs)
            return (None, errs) if value is BAD else (value, None)

        return validate_one
