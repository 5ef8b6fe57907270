"""Python expressions worded as English clauses, for the offline wording.

Only shapes whose meaning is certain are worded (``isinstance``, ``is
None``, comparisons, ``in``, ``not``, ``and``/``or`` of those); anything else
is quoted as code. A parameter of the object reads as ``*name*``, any other
code as an inline literal, so a reader can always check the text against the
source.
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.generate._code import MAX_CODE, code_text
from sphinxcontrib_aidoc.generate._words import article

_COMPARE = {
    ast.Lt: "is less than",
    ast.LtE: "is at most",
    ast.Gt: "is greater than",
    ast.GtE: "is at least",
    ast.Eq: "equals",
    ast.NotEq: "differs from",
    ast.In: "is in",
    ast.NotIn: "is not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


def term(node: ast.expr, params: frozenset[str], limit: int = MAX_CODE) -> str | None:
    """A value as prose shows it: ``*name*`` for a parameter, else literal code."""
    if isinstance(node, ast.Name) and node.id in params:
        return f"*{node.id}*"
    if isinstance(node, ast.Constant) and node.value in (None, True, False):
        return str(node.value)
    text = code_text(node, limit)
    return f"``{text}``" if text is not None else None


def _types(node: ast.expr) -> str | None:
    names = node.elts if isinstance(node, ast.Tuple) else [node]
    texts = [code_text(n, 30) for n in names]
    if not texts or any(t is None for t in texts):
        return None
    quoted = [f"``{t}``" for t in texts]
    if len(quoted) == 1:
        return f"{article(str(texts[0]))} {quoted[0]}"
    return "one of " + ", ".join(quoted)


def _isinstance(node: ast.expr, params: frozenset[str], negated: bool) -> str | None:
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "isinstance"
        and len(node.args) == 2
    ):
        return None
    subject = term(node.args[0], params)
    kinds = _types(node.args[1])
    if subject is None or kinds is None:
        return None
    return f"{subject} is {'not ' if negated else ''}{kinds}"


def condition(
    node: ast.expr, params: frozenset[str], negated: bool = False
) -> str | None:
    """Word the test *node* as a clause (its negation with *negated*), or None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return condition(node.operand, params, not negated)
    found = _isinstance(node, params, negated)
    if found is not None:
        return found
    if isinstance(node, ast.BoolOp) and not negated:
        parts = [condition(v, params) for v in node.values]
        if any(p is None for p in parts) or len(parts) > 3:
            return None
        joiner = " and " if isinstance(node.op, ast.And) else " or "
        return joiner.join(str(p) for p in parts)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left = term(node.left, params)
        right = term(node.comparators[0], params)
        if left is None or right is None:
            return None
        op = type(node.ops[0])
        if negated:
            flipped = {
                ast.Eq: ast.NotEq,
                ast.NotEq: ast.Eq,
                ast.In: ast.NotIn,
                ast.NotIn: ast.In,
                ast.Is: ast.IsNot,
                ast.IsNot: ast.Is,
                ast.Lt: ast.GtE,
                ast.GtE: ast.Lt,
                ast.Gt: ast.LtE,
                ast.LtE: ast.Gt,
            }
            op = flipped[op]
        return f"{left} {_COMPARE[op]} {right}"
    if isinstance(node, ast.Name) and node.id in params:
        return f"*{node.id}* is {'false' if negated else 'true'}"
    text = code_text(node)
    if text is None:
        return None
    return f"``{text}`` is {'false' if negated else 'true'}"
