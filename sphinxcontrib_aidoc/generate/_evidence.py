"""Offline sentences backed by the code: what the source of an object shows.

Each function returns text only when the object's own source (or that of
its class, for a property or a constructor's parameter) supports every word
of it, and ``""``/None otherwise, so the caller writes less rather than
guess.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from sphinxcontrib_aidoc.generate import _body, _classes, _steps
from sphinxcontrib_aidoc.generate._code import (
    body,
    callee,
    class_constants,
    code_text,
    exception_message,
    none_guards,
    only_return,
    only_statement,
    parse_definition,
    passed_to,
    raise_sites,
    stored_params,
    walk_own,
)
from sphinxcontrib_aidoc.generate._conditions import condition, term
from sphinxcontrib_aidoc.generate._words import article, join
from sphinxcontrib_aidoc.model import CLASS_KINDS, ObjectInfo, Param

#: Longest exception message quoted in a Raises entry.
_MAX_MESSAGE = 70
_SKIP_BASES = frozenset({"object", "ABC", "abc.ABC", "Generic", "typing.Generic"})


def _params(info: ObjectInfo) -> frozenset[str]:
    return frozenset(p.name for p in info.params if p.name not in ("self", "cls"))


def owner(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> ObjectInfo | None:
    """The class record that defines method or property *info*, if known."""
    parent = related.get(info.qualname.rpartition(".")[0])
    return parent if parent is not None and parent.kind in CLASS_KINDS else None


def _constructor(call: ast.Call) -> str | None:
    name = callee(call)
    last = (name or "").rpartition(".")[2]
    if last[:1].isupper() and not last.isupper():
        return name
    return None


def _args(call: ast.Call, params: frozenset[str]) -> list[str]:
    found = [
        f"*{n.id}*"
        for a in [*call.args, *(k.value for k in call.keywords)]
        for n in ast.walk(a)
        if isinstance(n, ast.Name) and n.id in params
    ]
    return list(dict.fromkeys(found))


def _computed_args(call: ast.Call) -> bool:
    """Whether an argument of *call* is computed (not a bare name or literal)."""
    values = [*call.args, *(k.value for k in call.keywords)]
    return any(not isinstance(v, ast.Name | ast.Constant) for v in values)


def _guarded_return(node: ast.stmt) -> ast.expr | None:
    """``return <expr>`` after guards that only raise (``if x < 0: raise ...``).

    The guards are the Raises section's business; the value is the last
    statement's.
    """
    statements = body(node)
    if len(statements) < 2 or not isinstance(statements[-1], ast.Return):
        return None
    for guard in statements[:-1]:
        if not (
            isinstance(guard, ast.If)
            and not guard.orelse
            and len(guard.body) == 1
            and isinstance(guard.body[0], ast.Raise)
        ):
            return None
    return statements[-1].value


def _empty(call: ast.Call) -> bool:
    """Whether *call* passes only one empty literal (``AoT([])``)."""
    if call.keywords or len(call.args) != 1:
        return False
    arg = call.args[0]
    return (isinstance(arg, ast.List | ast.Tuple | ast.Set) and not arg.elts) or (
        isinstance(arg, ast.Dict) and not arg.keys
    )


def _is_isinstance(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and code_text(expr.func) == "isinstance"


def predicate(expr: ast.expr) -> bool:
    """Whether *expr* is a truth value: a comparison, ``not``, ``isinstance``.

    ``a and b``/``a or b`` only when every operand is one: ``cli.name or
    "root"`` is a value, not a predicate.
    """
    if isinstance(expr, ast.BoolOp):
        return all(predicate(v) for v in expr.values)
    return (
        isinstance(expr, ast.Compare)
        or (isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not))
        or _is_isinstance(expr)
    )


def _returned(expr: ast.expr, info: ObjectInfo) -> str | None:
    """A summary for ``return <expr>`` as a function's whole body."""
    params = _params(info)
    if isinstance(expr, ast.Call) and not _is_isinstance(expr):
        made = _constructor(expr)
        shown = code_text(expr)
        computed = not _empty(expr) and _computed_args(expr)
        if made is not None and shown is not None and computed:
            # ``Document(loads(text))``: "create a Document from *text*" would
            # leave out what is done to *text* first (or what else is passed).
            return f"return ``{shown}``"
        if made is not None:
            given = _args(expr, params)
            tail = f" from {join(given)}" if given else ""
            if _empty(expr):
                return f"create an empty ``{made}``"
            return f"create {article(made)} ``{made}``{tail}"
        text = code_text(expr)
        if text is not None:
            return f"return ``{text}``"
        name = callee(expr)
        return f"return the result of ``{name}``" if name else None
    if predicate(expr):
        clause = condition(expr, params)
        return f"return whether {clause}" if clause else None
    if isinstance(expr, ast.Name) and expr.id in params:
        return f"return *{expr.id}* unchanged"
    if isinstance(expr, ast.Name) and expr.id == "self":
        return "return the object itself"
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Dict):
        key = term(expr.slice, params)
        if key is not None:
            return _table(expr.value, key)
    if isinstance(expr, ast.Constant):
        return f"always return ``{expr.value!r}``"
    empty = {ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set"}
    if type(expr) in empty and not getattr(expr, "elts", getattr(expr, "keys", [1])):
        return f"always return an empty {empty[type(expr)]}"
    text = code_text(expr)
    return f"return ``{text}``" if text is not None else None


def _table(table: ast.Dict, key: str) -> str:
    """``return the other member of its pair (``A`` and ``B``, ...)`` and the like."""
    pairs = [
        (code_text(k, 40), code_text(v, 40))
        for k, v in zip(table.keys, table.values, strict=True)
        if k is not None
    ]
    short = {k: (k or "").rpartition(".")[2] for k, _ in pairs}
    mapping = dict(pairs)
    if not pairs or len(pairs) > 8 or any(k is None or v is None for k, v in pairs):
        return f"return what a fixed table maps {key} to"
    if all(mapping.get(v) == k for k, v in pairs) and all(k != v for k, v in pairs):
        seen: list[str] = []
        for k, v in pairs:
            if v not in seen:
                seen.append(str(k))
        shown = [f"``{short[k]}`` and ``{short[mapping[k]]}``" for k in seen]
        return f"return the other member of the pair {key} is in ({'; '.join(shown)})"
    if len(pairs) <= 4:
        shown = [
            f"``{short[k]}`` to ``{(v or '').rpartition('.')[2]}``" for k, v in pairs
        ]
        return f"map {key}: {', '.join(shown)}"
    return f"return what a fixed table maps {key} to"


def _property(
    info: ObjectInfo,
    related: Mapping[str, ObjectInfo],
    expr: ast.expr | None,
    attribute: str | None,
) -> str | None:
    """A property's summary from the one expression its getter returns."""
    if expr is None:
        return None
    if attribute is not None:
        param = _stored_as(info, related, attribute)
        if param is not None:
            return f"the *{param}* the object was created with"
    if isinstance(expr, ast.Name) and expr.id == "self":
        return "the object itself"
    if isinstance(expr, ast.Constant):
        return f"always ``{expr.value!r}``"
    text = code_text(expr)
    return f"the value of ``{text}``" if text is not None else None


def _stored_as(
    info: ObjectInfo, related: Mapping[str, ObjectInfo], attribute: str
) -> str | None:
    """The constructor parameter stored in ``self.<attribute>``, if any."""
    parent = owner(info, related)
    if parent is None:
        return None
    node = parse_definition(parent.source)
    if node is None:
        return None
    for param, attr in stored_params(node).items():
        if attr == attribute:
            return param
    return None


def _self_attribute(expr: ast.expr | None) -> str | None:
    if (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id == "self"
    ):
        return expr.attr
    return None


def summary(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """A summary (lower-case start, no period) read from the code, or None."""
    node = parse_definition(info.source)
    if node is None:
        return None
    if isinstance(node, ast.ClassDef):
        return _class_summary(info, node)
    expr = only_return(node) or _steps.inlined_return(node)
    guarded = expr is None and info.kind != "property"
    if guarded:
        expr = _guarded_return(node)
    attribute = _self_attribute(expr)
    if info.kind == "property":
        return _property(info, related, expr, attribute)
    if attribute is not None:
        param = _stored_as(info, related, attribute)
        if param is not None:
            return f"return the *{param}* the object was created with"
    if expr is not None:
        found = _returned(expr, info)
        if guarded and found is not None:
            # It may raise instead: "always" would overstate it.
            found = found.replace("always return", "return", 1)
        return found
    return _statement(node, info)


def _statement(node: ast.stmt, info: ObjectInfo) -> str | None:
    """A body that only raises, assigns one target or makes one call."""
    statements = body(node)
    last = statements[-1:] if len(statements) == 1 or not ctx_returns(info) else []
    if last and isinstance(last[0], ast.Raise) and isinstance(last[0].exc, ast.Call):
        raised = _constructor(last[0].exc)
        given = _args(last[0].exc, _params(info))
        if raised is not None:
            tail = f" with {join(given)}" if given else ""
            return f"raise {article(raised)} ``{raised}``{tail}"
    statement = only_statement(node)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = code_text(statement.targets[0])
        value = term(statement.value, _params(info))
        if target is not None and value is not None:
            return f"set ``{target}`` to {value}"
    effect = _body.container_effect(node, _params(info))
    if effect is not None and isinstance(statement, ast.Expr):
        return effect
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        text = code_text(statement.value)
        name = callee(statement.value)
        if text is not None and not text.startswith("super()"):
            return f"call ``{text}``"
        if (
            text is None
            and name is not None
            and len(name) <= 40
            and not name.startswith("super()")
        ):
            return f"call ``{name}``"
    return _steps.succeeds(node) or _steps.call_sequence(node)


_NO_VALUE = frozenset(
    {"None", "NoReturn", "Never", "t.NoReturn", "typing.NoReturn", "te.NoReturn"}
)


def ctx_returns(info: ObjectInfo) -> bool:
    """Whether *info* returns a value (an annotation other than None, NoReturn)."""
    return info.returns is not None and info.returns.type not in (None, *_NO_VALUE)


def abstract(info: ObjectInfo) -> bool:
    """Whether the body of *info* only raises ``NotImplementedError``."""
    node = parse_definition(info.source)
    return node is not None and _body.abstract(node)


def computed_from(info: ObjectInfo) -> str | None:
    """``computed from ``self.a`` and ``self.b```` (the attributes read), or None."""
    node = parse_definition(info.source)
    return None if node is None else _body.computed_from(node)


def body_fact(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """A clause read from a longer body (see :mod:`._body`), or None.

    A class: its dataclass fields and the subclasses among *related*; a
    property: ``NotImplementedError`` or the attributes it is computed from;
    a function: what every ``return`` gives.
    """
    node = parse_definition(info.source)
    if node is None:
        return None
    if isinstance(node, ast.ClassDef):
        parts = [
            _classes.dataclass_fields(node),
            _classes.subclasses(info, related),
            _classes.protocols(node),
        ]
        shown = [p for p in parts[:2] if p]
        text = ", ".join(shown)
        if parts[2]:
            text = f"{text}; {parts[2]}" if text else parts[2]
        return text or None
    if info.kind == "property":
        if _body.abstract(node):
            return "defined by subclasses (``NotImplementedError`` here)"
        return _body.computed_from(node)
    if info.is_generator:
        return None
    return _body.routine(node, _params(info))


def _class_summary(info: ObjectInfo, node: ast.ClassDef) -> str | None:
    message = exception_message(node) if info.kind == "exception" else None
    if message and len(message) <= _MAX_MESSAGE:
        return f'error raised with the message "{message}"'
    bases = [b for b in info.bases if b.rpartition(".")[2] not in _SKIP_BASES]
    shown = [b.rpartition(".")[2] for b in bases]
    if any(b in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag") for b in shown):
        members = class_constants(node)
        if 0 < len(members) <= 8:
            return "an enumeration of " + join([f"``{m}``" for m in members])
    return None


def class_bases(info: ObjectInfo) -> str:
    """``a ``Base``" phrase for the class's own bases, or ``""``."""
    bases = [
        b.rpartition(".")[2]
        for b in info.bases
        if b.rpartition(".")[2] not in _SKIP_BASES
    ]
    if not bases or len(bases) > 3:
        return ""
    return join([f"{article(b)} ``{b}``" for b in bases])


def param_doc(info: ObjectInfo, related: Mapping[str, ObjectInfo], param: Param) -> str:
    """What the code does with *param* (passed on, stored), or ``""``."""
    node = parse_definition(info.source)
    if node is None:
        return ""
    if isinstance(node, ast.ClassDef):
        stored = stored_params(node).get(param.name)
        return f"Stored as ``{stored}``." if stored else ""
    target = passed_to(node, param.name)
    if target is not None and target not in ("isinstance", "len", "str", "int"):
        if target.startswith("super()."):
            return f"Passed to the base class's ``{target[8:]}``."
        return f"Passed to ``{target}``."
    stored = stored_params(node).get(param.name)
    return f"Stored as ``{stored}``." if stored else ""


def _returns(node: ast.stmt) -> list[ast.Return]:
    return [n for n in walk_own(node) if isinstance(n, ast.Return)]


def returns_doc(info: ObjectInfo) -> str:
    """When the function returns None, read from ``if ...: return None``."""
    node = parse_definition(info.source)
    if node is None or isinstance(node, ast.ClassDef):
        return ""
    params = _params(info)
    expr = only_return(node)
    if expr is not None and predicate(expr) and not isinstance(expr, ast.UnaryOp):
        clause = condition(expr, params)
        return f"True if {clause}, else False." if clause else ""
    returns = [r for r in _returns(node) if r.value is not None]
    if returns and all(
        isinstance(r.value, ast.Name) and r.value.id == "self" for r in returns
    ):
        return "The object itself."
    clauses = [condition(test, params) for test in none_guards(node)]
    if clauses and all(clauses) and len(clauses) <= 2:
        return f"None if {' or '.join(str(c) for c in clauses)}."
    return ""


def raises_doc(info: ObjectInfo, name: str) -> str:
    """The condition under which the body raises *name*, or ``""``."""
    node = parse_definition(info.source)
    if node is None:
        return ""
    if isinstance(node, ast.ClassDef):
        return ""
    short = name.rpartition(".")[2]
    sites = [s for s in raise_sites(node) if s.exception.rpartition(".")[2] == short]
    if not sites:
        return ""
    params = _params(info)
    texts = []
    for site in sites[:2]:
        if site.guard is not None:
            clause = condition(site.guard, params, site.negated)
            if clause is None:
                return ""
            text = f"if {clause}"
        elif site.handler is not None:
            text = f"when {article(site.handler)} ``{site.handler}`` is caught"
        elif site.top_level and len(body(node)) == 1:
            text = "always"
        else:
            text = ""
        if site.message and len(site.message) <= _MAX_MESSAGE:
            quoted = site.message.replace('"', "'")
            text = f'{text} ("{quoted}")' if text else f'with "{quoted}"'
        if text:
            texts.append(text)
    if not texts:
        return ""
    joined = "; or ".join(dict.fromkeys(texts))
    return joined[:1].upper() + joined[1:] + "."
