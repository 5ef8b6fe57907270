"""Bodies of two or three steps, read as one fact for the offline summary.

* ``x = <expr>`` then ``return <f(x)>``, ``x`` used once: the value is
  ``f(<expr>)`` (``keys = a + b; return Key(keys)`` returns
  ``Key(a + b)``);
* two or three calls in a row and nothing else (``self.inc();
  self.mark()``): what the body does is those calls, in that order;
* ``try: f(); return True`` / ``except E: return False``: whether ``f()``
  raises ``E``.

Each answer is an expression node or a clause (lower case, no period) the
code backs, or None.
"""

from __future__ import annotations

import ast
import copy

from sphinxcontrib_aidoc.generate._code import body, code_text
from sphinxcontrib_aidoc.generate._words import join

#: Longest call quoted in a sequence of calls.
_MAX_CALL = 60
_DEFERRED = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _Inline(ast.NodeTransformer):
    def __init__(self, name: str, value: ast.expr) -> None:
        self.name = name
        self.value = value

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return copy.deepcopy(self.value) if node.id == self.name else node


def inlined_return(node: ast.stmt) -> ast.expr | None:
    """The returned expression with a one-use local replaced by its value."""
    statements = body(node)
    if len(statements) != 2:
        return None
    first, last = statements
    if not (
        isinstance(first, ast.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0], ast.Name)
        and isinstance(last, ast.Return)
        and last.value is not None
    ):
        return None
    name = first.targets[0].id
    uses = [n for n in ast.walk(last.value) if isinstance(n, ast.Name) and n.id == name]
    if len(uses) != 1 or isinstance(last.value, ast.Name):
        return None
    if any(isinstance(n, _DEFERRED) for n in ast.walk(last.value)):
        return None  # evaluated once here, maybe many times there
    found = _Inline(name, first.value).visit(copy.deepcopy(last.value))
    try:  # a value with a backslash cannot go into an f-string's braces
        ast.unparse(found)
    except ValueError:
        return None
    return found if isinstance(found, ast.expr) else None


def call_sequence(node: ast.stmt) -> str | None:
    """``call ``a()``, then ``b()```` for a body of two or three calls."""
    statements = body(node)
    if not 2 <= len(statements) <= 3:
        return None
    shown: list[str] = []
    for statement in statements:
        if not (
            isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
        ):
            return None
        text = code_text(statement.value, _MAX_CALL)
        if text is None or text.startswith("super()"):
            return None
        shown.append(f"``{text}``")
    return f"call {join(shown)}, in that order"


def succeeds(node: ast.stmt) -> str | None:
    """``return True if ``f()`` raises no ``E``, else False`` for that idiom.

    The body is ``try: f(); return True`` / ``except E: return False``.
    """
    statements = body(node)
    if len(statements) != 1 or not isinstance(statements[0], ast.Try):
        return None
    tried = statements[0]
    if tried.orelse or tried.finalbody or len(tried.handlers) != 1:
        return None
    handler = tried.handlers[0]
    steps = tried.body
    if not (
        len(steps) == 2
        and isinstance(steps[0], ast.Expr)
        and isinstance(steps[0].value, ast.Call)
        and _returns_constant(steps[1], value=True)
        and len(handler.body) == 1
        and _returns_constant(handler.body[0], value=False)
        and handler.type is not None
    ):
        return None
    call = code_text(steps[0].value, _MAX_CALL)
    caught = code_text(handler.type, _MAX_CALL)
    if call is None or caught is None:
        return None
    return f"return ``True`` if ``{call}`` raises no ``{caught}``, else ``False``"


def _returns_constant(statement: ast.stmt, *, value: bool) -> bool:
    return (
        isinstance(statement, ast.Return)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is value
    )
