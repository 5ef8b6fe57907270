"""What an object's own source shows, read with :mod:`ast` for the offline wording.

The analysis keeps each object's trimmed source (``ObjectInfo.source``).
These helpers parse it again and answer small questions the wording needs:
the one expression a function returns, the call a thin wrapper makes, the
``if`` that guards a ``raise`` and the exception's message, the attribute a
constructor stores each parameter in. Every answer is a fact of the code, or
None when the code does not say.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import lru_cache

#: Longest code excerpt the wording quotes inline.
MAX_CODE = 48

_Def = ast.FunctionDef | ast.AsyncFunctionDef


@lru_cache(maxsize=512)
def parse_definition(source: str) -> ast.stmt | None:
    """Return the ``def`` or ``class`` statement of *source*, or None."""
    if not source.strip():
        return None
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return first
    return None


def body(node: ast.stmt) -> list[ast.stmt]:
    """The statements of *node*'s body without its docstring, ``pass`` or ``...``."""
    statements = list(getattr(node, "body", []))
    found = []
    for index, statement in enumerate(statements):
        if isinstance(statement, ast.Pass):
            continue
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and (index == 0 or statement.value.value is Ellipsis)
        ):
            continue
        found.append(statement)
    return found


def code_text(node: ast.AST, limit: int = MAX_CODE) -> str | None:
    """The source text of *node*, or None when longer than *limit*."""
    text = ast.unparse(node)
    return text if len(text) <= limit and "\n" not in text else None


def only_return(node: ast.stmt) -> ast.expr | None:
    """The expression a function returns when its body is ``return <expr>``."""
    statements = body(node)
    if len(statements) == 1 and isinstance(statements[0], ast.Return):
        return statements[0].value
    return None


def only_statement(node: ast.stmt) -> ast.stmt | None:
    """The one statement of a function's body, or None."""
    statements = body(node)
    return statements[0] if len(statements) == 1 else None


def callee(call: ast.expr) -> str | None:
    """The dotted name a call calls (``self._src.inc_n``), or None."""
    if not isinstance(call, ast.Call):
        return None
    return code_text(call.func, 80)


#: Per-process cache of :func:`walk_own`: ``id(node)`` to the node (held,
#: so the id stays its own) and what it contains. A draft asks for the same
#: body a dozen times (returns, raises, calls, parameters).
_WALKED: dict[int, tuple[ast.AST, tuple[ast.AST, ...]]] = {}
_WALKED_MAX = 4096


def walk_own(node: ast.AST) -> list[ast.AST]:
    """Every node under *node*, not entering nested functions or classes."""
    kept = _WALKED.get(id(node))
    if kept is not None and kept[0] is node:
        return list(kept[1])
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        found.append(child)
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(child))
    if len(_WALKED) >= _WALKED_MAX:
        _WALKED.clear()
    _WALKED[id(node)] = (node, tuple(found))
    return found


@dataclass(frozen=True, slots=True)
class RaiseSite:
    """One ``raise`` of the body, with what guards it."""

    #: The raised expression's text up to the call (``ValueError``).
    exception: str
    #: The test of the innermost ``if`` around it, or None.
    guard: ast.expr | None
    #: True when the raise is in the ``else`` branch of that ``if``.
    negated: bool
    #: The message when the first argument is a string literal (f-strings
    #: keep their text with ``...`` for the values).
    message: str | None
    #: The exception an enclosing ``except`` clause catches, or None.
    handler: str | None
    #: True when the raise is a statement of the function's own body.
    top_level: bool


def _message(node: ast.expr | None) -> str | None:
    if not isinstance(node, ast.Call) or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value.strip() or None
    if isinstance(first, ast.JoinedStr):
        parts = [
            v.value if isinstance(v, ast.Constant) else "..." for v in first.values
        ]
        return "".join(str(p) for p in parts).strip() or None
    return None


def raise_sites(node: ast.stmt) -> list[RaiseSite]:
    """Every ``raise <exception>`` in *node*'s own body, with its guard."""
    sites: list[RaiseSite] = []

    def visit(
        statements: list[ast.stmt],
        guard: tuple[ast.expr, bool] | None,
        handler: str | None,
        top: bool,
    ) -> None:
        for statement in statements:
            if isinstance(statement, ast.Raise) and statement.exc is not None:
                exc = statement.exc
                name = code_text(exc.func if isinstance(exc, ast.Call) else exc, 80)
                sites.append(
                    RaiseSite(
                        exception=name or "",
                        guard=guard[0] if guard else None,
                        negated=guard[1] if guard else False,
                        message=_message(exc),
                        handler=handler,
                        top_level=top,
                    )
                )
            elif isinstance(statement, ast.If):
                visit(statement.body, (statement.test, False), handler, False)
                visit(statement.orelse, (statement.test, True), handler, False)
            elif isinstance(statement, ast.Try):
                visit(statement.body, guard, handler, False)
                for clause in statement.handlers:
                    caught = code_text(clause.type, 80) if clause.type else ""
                    visit(clause.body, None, caught or "Exception", False)
                visit(statement.orelse, guard, handler, False)
                visit(statement.finalbody, guard, handler, False)
            elif isinstance(statement, ast.For | ast.While | ast.With):
                visit(statement.body, None, handler, False)
                visit(getattr(statement, "orelse", []), None, handler, False)
            elif isinstance(statement, ast.AsyncFor | ast.AsyncWith):
                visit(statement.body, None, handler, False)

    visit(body(node), None, None, True)
    return sites


def none_guards(node: ast.stmt) -> list[ast.expr]:
    """Tests of the ``if`` statements whose body is ``return None``."""
    found = []
    for child in walk_own(node):
        if not isinstance(child, ast.If) or len(child.body) != 1:
            continue
        only = child.body[0]
        if isinstance(only, ast.Return) and (
            only.value is None
            or (isinstance(only.value, ast.Constant) and only.value.value is None)
        ):
            found.append(child.test)
    return found


def stored_params(node: ast.stmt) -> dict[str, str]:
    """``{parameter: attribute}`` for ``self.<attribute> = <parameter>`` in a body.

    For a class, the statements of its ``__init__``; for a function, its own.
    """
    target: ast.stmt | None = node
    if isinstance(node, ast.ClassDef):
        target = next(
            (
                s
                for s in node.body
                if isinstance(s, ast.FunctionDef) and s.name == "__init__"
            ),
            None,
        )
    if not isinstance(target, ast.FunctionDef | ast.AsyncFunctionDef):
        return {}
    params = {a.arg for a in (*target.args.args, *target.args.kwonlyargs)}
    found: dict[str, str] = {}
    for child in walk_own(target):
        if not isinstance(child, ast.Assign | ast.AnnAssign):
            continue
        value = child.value
        targets = child.targets if isinstance(child, ast.Assign) else [child.target]
        if not isinstance(value, ast.Name) or value.id not in params:
            continue
        for item in targets:
            if (
                isinstance(item, ast.Attribute)
                and isinstance(item.value, ast.Name)
                and item.value.id == "self"
            ):
                found.setdefault(value.id, item.attr)
    return found


def passed_to(node: ast.stmt, name: str) -> str | None:
    """The one callee every use of parameter *name* is an argument of, or None."""
    callees: set[str] = set()
    uses = 0
    calls = [c for c in walk_own(node) if isinstance(c, ast.Call)]
    for child in walk_own(node):
        if isinstance(child, ast.Name) and child.id == name:
            uses += 1
    passed = 0
    for call in calls:
        args = [*call.args, *(k.value for k in call.keywords)]
        for arg in args:
            inner = arg.value if isinstance(arg, ast.Starred) else arg
            if isinstance(inner, ast.Name) and inner.id == name:
                target = callee(call)
                if target is not None:
                    callees.add(target)
                    passed += 1
    if uses and passed == uses and len(callees) == 1:
        return callees.pop()
    return None


def class_constants(node: ast.stmt) -> list[str]:
    """Names assigned at class level (enum members and constants), in order."""
    if not isinstance(node, ast.ClassDef):
        return []
    found: list[str] = []
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            found.extend(
                t.id
                for t in statement.targets
                if isinstance(t, ast.Name) and not t.id.startswith("_")
            )
    return found


def exception_message(node: ast.stmt) -> str | None:
    """The fixed message an exception class passes up in ``__init__``, or None."""
    if not isinstance(node, ast.ClassDef):
        return None
    init = next(
        (
            s
            for s in node.body
            if isinstance(s, ast.FunctionDef) and s.name == "__init__"
        ),
        None,
    )
    if init is None:
        return None
    literals = {}
    for child in walk_own(init):
        if (
            isinstance(child, ast.Assign)
            and len(child.targets) == 1
            and isinstance(child.targets[0], ast.Name)
        ):
            value = child.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                literals[child.targets[0].id] = value.value
            elif isinstance(value, ast.JoinedStr):
                literals[child.targets[0].id] = (
                    _message(ast.Call(func=ast.Name("x"), args=[value], keywords=[]))
                    or ""
                )
    for child in walk_own(init):
        if isinstance(child, ast.Call) and code_text(child.func, 80) == (
            "super().__init__"
        ):
            for arg in [*child.args, *(k.value for k in child.keywords)]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    return arg.value.strip() or None
                if isinstance(arg, ast.Name) and literals.get(arg.id):
                    return literals[arg.id].strip()
    return None
