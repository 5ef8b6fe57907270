"""Facts of a whole body, for the offline wording when no one line says it all.

:mod:`~sphinxcontrib_aidoc.generate._evidence` words a body that is one
``return``. The helpers here read longer bodies: the values every
``return`` gives (a constructor, ``self``, a parameter, one of two values
chosen by an ``if``), the attributes a chaining method sets, the inner
function a decorator factory returns, the ``NotImplementedError`` of an
abstract method, the attributes a property is computed from (classes:
:mod:`._classes`). Each answer is a clause (lower
case, no period) every word of which the code backs, or None.
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.generate._code import body, callee, code_text, walk_own
from sphinxcontrib_aidoc.generate._conditions import condition
from sphinxcontrib_aidoc.generate._words import article, join

#: Most attributes or classes a clause lists by name.
_MAX_LISTED = 3


def _locals(node: ast.AST) -> frozenset[str]:
    """Names the body binds (assignment targets, loop and ``with`` names)."""
    found = {
        child.id
        for child in walk_own(node)
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store)
    }
    return frozenset(found)


def _constructor(expr: ast.expr | None) -> str | None:
    if not isinstance(expr, ast.Call):
        return None
    name = callee(expr) or ""
    last = name.rpartition(".")[2]
    if last[:1].isupper() and not last.isupper() and "(" not in name:
        return name
    return None


def _value(
    expr: ast.expr | None, params: frozenset[str], local: frozenset[str]
) -> str | None:
    """A returned value as prose: ``a ``Key````, ``*name*``, ``None``; or None."""
    if expr is None:
        return "None"
    made = _constructor(expr)
    if made is not None:
        return f"{article(made)} ``{made}``"
    if isinstance(expr, ast.Name):
        if expr.id in params:
            return f"*{expr.id}*"
        if expr.id == "self":
            return "the object itself"
        return None
    if isinstance(expr, ast.Constant) and not isinstance(expr.value, bytes):
        return "None" if expr.value is None else f"``{expr.value!r}``"
    names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    if names & local:
        return None  # a local variable means nothing out of context
    text = code_text(expr, 40)
    return f"``{text}``" if text is not None else None


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _returns(node: ast.AST) -> list[ast.Return]:
    return [n for n in walk_own(node) if isinstance(n, ast.Return)]


def _self_targets(node: ast.AST) -> list[str]:
    """``self.<...>`` targets the body assigns (in order, without repeats)."""
    found: list[str] = []
    for child in sorted(walk_own(node), key=_position):
        targets: list[ast.expr] = []
        if isinstance(child, ast.Assign):
            targets = child.targets
        elif isinstance(child, ast.AugAssign | ast.AnnAssign):
            targets = [child.target]
        for target in targets:
            root = target
            while isinstance(root, ast.Attribute | ast.Subscript):
                root = root.value
            text = code_text(target, 40)
            if (
                isinstance(target, ast.Attribute)
                and isinstance(root, ast.Name)
                and root.id == "self"
                and text is not None
                and text not in found
            ):
                found.append(text)
    return found


def _chaining(node: ast.AST, params: frozenset[str]) -> str | None:
    """``set ``self._x`` to *x* and return the object itself``."""
    returns = _returns(node)
    if not returns or not all(
        isinstance(r.value, ast.Name) and r.value.id == "self" for r in returns
    ):
        return None
    shown = [f"``{t}``" for t in _self_targets(node)]
    if not shown:
        return "return the object itself"
    if len(shown) > _MAX_LISTED:
        return f"set {len(shown)} attributes of the object and return the object itself"
    assigned = _assigned_param(node, params)
    if len(shown) == 1 and assigned:
        return f"set {shown[0]} to *{assigned}* and return the object itself"
    return f"set {join(shown)} and return the object itself"


def _assigned_param(node: ast.AST, params: frozenset[str]) -> str | None:
    values = [
        c.value.id
        for c in walk_own(node)
        if isinstance(c, ast.Assign)
        and isinstance(c.value, ast.Name)
        and c.value.id in params
    ]
    return values[0] if len(values) == 1 else None


def _two_way(
    statements: list[ast.stmt], params: frozenset[str], local: frozenset[str]
) -> str | None:
    """``return A if <test>, else B`` for an ``if``/``return`` pair."""
    if len(statements) < 2 or not isinstance(statements[-1], ast.Return):
        if statements and isinstance(statements[-1], ast.If):
            last = statements[-1]
            if (
                len(last.body) == 1
                and len(last.orelse) == 1
                and isinstance(last.body[0], ast.Return)
                and isinstance(last.orelse[0], ast.Return)
                and len(_returns(ast.Module(body=statements, type_ignores=[]))) == 2
            ):
                return _choice(last.test, last.body[0], last.orelse[0], params, local)
        return None
    guard = statements[-2]
    if not (
        isinstance(guard, ast.If)
        and not guard.orelse
        and len(guard.body) == 1
        and isinstance(guard.body[0], ast.Return)
    ):
        return None
    if len(_returns(ast.Module(body=statements, type_ignores=[]))) != 2:
        return None
    if not all(isinstance(s, ast.Assign | ast.AnnAssign) for s in statements[:-2]):
        return None
    return _choice(guard.test, guard.body[0], statements[-1], params, local)


def _choice(
    test: ast.expr,
    yes: ast.Return,
    no: ast.Return,
    params: frozenset[str],
    local: frozenset[str],
) -> str | None:
    if {n.id for n in ast.walk(test) if isinstance(n, ast.Name)} & local:
        return None
    clause = condition(test, params)
    first = _value(yes.value, params, local)
    second = _value(no.value, params, local)
    if clause is None or first is None or second is None or first == second:
        return None
    text = f"return {first} if {clause}, else {second}"
    return text if len(text) <= 110 else None


def _inner_function(node: ast.AST, statements: list[ast.stmt]) -> str | None:
    inner = {
        s.name
        for s in statements
        if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    returns = _returns(node)
    names = {r.value.id for r in returns if isinstance(r.value, ast.Name)}
    if inner and len(returns) == 1 and names and names <= inner:
        return f"return the inner function ``{names.pop()}``"
    return None


def _constructed(node: ast.AST) -> str | None:
    """``return a ``Key``` (or ``a ``A`` or a ``B```) when every return builds one."""
    returns = _returns(node)
    made = [_constructor(r.value) for r in returns]
    if not made or any(m is None for m in made):
        return None
    names = list(dict.fromkeys(str(m) for m in made))
    if len(names) > _MAX_LISTED:
        return None
    return "return " + join([f"{article(n)} ``{n}``" for n in names], "or")


def _same_param(node: ast.AST, params: frozenset[str]) -> str | None:
    returns = _returns(node)
    names = {r.value.id if isinstance(r.value, ast.Name) else "" for r in returns}
    name = names.pop() if len(names) == 1 else ""
    if returns and name in params and name not in _locals(node):
        return f"return *{name}*"
    return None


#: Container methods worded as what they do to the container.
_CONTAINER = {
    "append": "append {p} to {o}",
    "add": "add {p} to {o}",
    "insert": "insert {p} into {o}",
    "remove": "remove {p} from {o}",
    "discard": "remove {p} from {o}",
    "extend": "add the items of {p} to {o}",
    "update": "update {o} with {p}",
}


def container_effect(node: ast.AST, params: frozenset[str]) -> str | None:
    """``append *x* to ``REGISTRY```` when that call is the body's only call."""
    managers = {
        id(item.context_expr)
        for w in walk_own(node)
        if isinstance(w, ast.With | ast.AsyncWith)
        for item in w.items
    }
    calls = [
        c for c in walk_own(node) if isinstance(c, ast.Call) and id(c) not in managers
    ]
    if len(calls) != 1:
        return None
    call = calls[0]
    func = call.func
    if not (
        isinstance(func, ast.Attribute)
        and func.attr in _CONTAINER
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id in params
    ):
        return None
    owner = code_text(func.value, 40)
    if owner is None or owner in params:
        return None
    return _CONTAINER[func.attr].format(p=f"*{call.args[0].id}*", o=f"``{owner}``")


#: Methods that change the object they are called on.
_MUTATORS = frozenset(
    {"append", "extend", "update", "insert", "pop", "remove", "clear", "setdefault"}
    | {"add", "discard", "sort", "reverse", "popitem"}
)


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node


def param_effects(node: ast.AST, params: frozenset[str]) -> str | None:
    """``modify *d1* in place`` / ``call *write*``: what the body does to parameters.

    A parameter is modified when the body assigns to an item or attribute of
    it or calls one of its mutating methods (``append``, ``update``...); it is
    called when the body calls it. Parameters the body rebinds are left out.
    """
    local = _locals(node)
    arguments = getattr(node, "args", None)
    packed = {
        a.arg
        for a in (getattr(arguments, "vararg", None), getattr(arguments, "kwarg", None))
        if a
    }
    changed: list[str] = []
    called: list[str] = []
    for child in sorted(walk_own(node), key=_position):
        targets: list[ast.expr] = []
        if isinstance(child, ast.Assign):
            targets = child.targets
        elif isinstance(child, ast.AugAssign):
            targets = [child.target]
        elif isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Name) and func.id in params:
                called.append(func.id)
            elif isinstance(func, ast.Attribute) and func.attr in _MUTATORS:
                targets = [func]
        for target in targets:
            root = _root(target)
            if (
                isinstance(target, ast.Attribute | ast.Subscript)
                and isinstance(root, ast.Name)
                and root.id in params
            ):
                changed.append(root.id)
    changed = [n for n in dict.fromkeys(changed) if n not in local | packed]
    called = [n for n in dict.fromkeys(called) if n not in local]
    parts = []
    if 0 < len(changed) <= 2:
        parts.append("modify " + join([f"*{n}*" for n in changed]) + " in place")
    if 0 < len(called) <= 2:
        parts.append("call " + join([f"*{n}*" for n in called]))
    return " and ".join(parts) or None


def abstract(node: ast.AST) -> bool:
    """Whether the body is only ``raise NotImplementedError``."""
    statements = body(node)  # type: ignore[arg-type]
    if len(statements) != 1 or not isinstance(statements[0], ast.Raise):
        return False
    exc = statements[0].exc
    name = code_text(exc.func if isinstance(exc, ast.Call) else exc, 80) if exc else ""
    return (name or "").rpartition(".")[2] == "NotImplementedError"


def routine(node: ast.stmt, params: frozenset[str]) -> str | None:
    """A clause for what a function's body returns, or None."""
    if abstract(node):
        return "subclasses override it (it raises ``NotImplementedError`` here)"
    statements = body(node)
    local = _locals(node)
    effect = container_effect(node, params)
    if effect is not None:
        returned = _same_param(node, params)
        if returned is not None and returned[len("return ") :] in effect:
            return f"{effect} and return it"
        return effect if not _returns(node) else None
    for found in (
        _chaining(node, params),
        _two_way(statements, params, local),
        _inner_function(node, statements),
        _constructed(node),
        _same_param(node, params),
        param_effects(node, params),
        _updates(node, params),
    ):
        if found:
            return found
    return None


def _updates(node: ast.AST, params: frozenset[str]) -> str | None:
    """``set ``self._x`` to *x*`` / ``update ``self.n```` for a procedure."""
    if any(r.value is not None for r in _returns(node)):
        return None
    targets = _self_targets(node)
    if not targets or len(targets) > 2:
        return None
    shown = join([f"``{t}``" for t in targets])
    assigned = _assigned_param(node, params)
    if len(targets) == 1 and assigned:
        return f"set {shown} to *{assigned}*"
    values = [
        c.value
        for c in walk_own(node)
        if isinstance(c, ast.Assign)
        and any(code_text(t, 40) == targets[0] for t in c.targets)
    ]
    if len(targets) == 1 and len(values) == 1 and isinstance(values[0], ast.Constant):
        constant = values[0].value
        if constant is None or isinstance(constant, bool | int | float):
            return f"set {shown} to ``{constant!r}``"
    return f"update {shown}"


def computed_from(node: ast.stmt) -> str | None:
    """``computed from ``self.pos`` and ``self.length```` for a property."""
    calls = {id(c.func) for c in walk_own(node) if isinstance(c, ast.Call)}
    found = [
        f"``self.{child.attr}``"
        for child in sorted(walk_own(node), key=_position)
        if isinstance(child, ast.Attribute)
        and isinstance(child.value, ast.Name)
        and child.value.id == "self"
        and isinstance(child.ctx, ast.Load)
        and id(child) not in calls
    ]
    shown = sorted(set(found), key=found.index)
    if not shown or len(shown) > _MAX_LISTED:
        return None
    return "computed from " + join(shown)
