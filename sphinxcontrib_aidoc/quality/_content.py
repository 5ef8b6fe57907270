"""Completeness (``AID1xx``) and accuracy (``AID2xx``) checks.

Completeness lists what a docstring should cover, each item met or not:
the summary, every parameter, Returns for a function that returns a value
(not classes, properties or ``__init__``), a Raises entry for every
exception the body raises (``NotImplementedError`` aside), Yields for a
generator and, for a class, its public annotated class-level attributes
(under Attributes, Args for dataclass-like classes, or in place with a
``#:`` comment); a dataclass field is one item, its parameter.
Each item is met or not (a finding when not), and earns a credit for what
it tells (:mod:`._credit`): completeness is built from the credits.

Accuracy checks what the docstring claims against the code. One claim is
judged conservatively: a documented exception is "never raised" (AID203)
only when the body raises it nowhere *and* calls, awaits, iterates,
indexes or asserts nothing through which it could arrive from other code.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from sphinxcontrib_aidoc.quality._context import Context
from sphinxcontrib_aidoc.quality._credit import (
    param_credit,
    raise_credit,
    summary_credit,
    value_credit,
)
from sphinxcontrib_aidoc.quality._records import Finding
from sphinxcontrib_aidoc.quality._types import contradicts

#: Exceptions a docstring need not list (abstract stubs raise them).
_UNLISTED = frozenset({"NotImplementedError"})
_NO_RETURN_TYPES = frozenset({"None", "NoReturn", "Never", "typing.NoReturn"})
#: What a ``@contextmanager`` function returns (see ``analyze._facts``).
_CONTEXT_MANAGERS = (
    "contextlib.AbstractContextManager",
    "contextlib.AbstractAsyncContextManager",
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One thing a complete docstring covers; a finding when not ``met``."""

    code: str
    met: bool
    message: str
    line: int
    #: What the item tells, 0 to 1 (see :mod:`._credit`); None: 1 if met, else 0.
    credit: float | None = None

    @property
    def value(self) -> float:
        """The item's credit."""
        if self.credit is not None:
            return self.credit
        return 1.0 if self.met else 0.0


def _last(name: str) -> str:
    return name.rpartition(".")[2]


def completeness(ctx: Context) -> list[Requirement]:
    """Return every requirement of a complete docstring for *ctx*."""
    info, parsed = ctx.info, ctx.parsed
    reqs = [
        Requirement(
            "AID101",
            bool(parsed.summary),
            "the docstring has no summary",
            ctx.line(0),
            summary_credit(ctx),
        )
    ]
    documented = set(parsed.param_names)
    if ctx.is_class:
        documented.update(n.lstrip("*") for n, _, _ in parsed.attributes)
        documented.update(ctx.facts.documented_attributes)
        if ctx.init_doc is not None:
            documented.update(ctx.init_doc.param_names)
    params_line = ctx.section_line("params")
    reqs.extend(
        Requirement(
            "AID102",
            p.name in documented,
            f"parameter {p.display_name!r} is not documented",
            params_line,
            param_credit(ctx, p.name, None if p.inferred else p.type),
        )
        for p in info.documented_params
        if p.name.strip("_")
    )
    if _wants_returns(ctx):
        what = info.returns.type if info.returns and info.returns.type else "a value"
        # A context manager's docstring may say what ``as`` binds as Yields.
        manager = what.startswith(_CONTEXT_MANAGERS)
        reqs.append(
            Requirement(
                "AID103",
                parsed.returns is not None or (manager and parsed.yields is not None),
                f"returns {what} but has no Returns section",
                ctx.line(0),
                max(
                    value_credit(
                        ctx, "returns", info.returns.type if info.returns else None
                    ),
                    value_credit(ctx, "yields", None) if manager else 0.0,
                ),
            )
        )
    raised = {_last(n) for n in parsed.raise_names}
    if ctx.init_doc is not None:
        raised.update(_last(n) for n in ctx.init_doc.raise_names)
    raises_line = ctx.section_line("raises")
    reqs.extend(
        Requirement(
            "AID104",
            _documented_as(_last(name), raised),
            f"raises {name} but the docstring does not say so",
            raises_line,
            raise_credit(ctx, _last(name))
            if _last(name) in raised or not _documented_as(_last(name), raised)
            else 1.0,
        )
        for name in dict.fromkeys(info.raises)
        if _last(name) not in _UNLISTED
    )
    if info.is_generator and ctx.info.kind != "property":
        reqs.append(
            Requirement(
                "AID105",
                parsed.yields is not None,
                "is a generator but has no Yields section",
                ctx.line(0),
                value_credit(ctx, "yields", info.yields.type if info.yields else None),
            )
        )
    if ctx.is_class:
        attrs_line = ctx.section_line("attributes")
        params = {p.name for p in info.params}
        reqs.extend(
            Requirement(
                "AID106",
                name in documented,
                f"class attribute {name!r} is not documented",
                attrs_line,
                param_credit(ctx, name, None) if name in documented else 0.0,
            )
            for name in ctx.facts.attributes
            if name not in params  # a dataclass field counts once, as AID102
        )
    return reqs


def _documented_as(name: str, documented: set[str]) -> bool:
    """Whether raising *name* is covered by a *documented* exception.

    A documented builtin base class covers its builtin subclasses
    (``OSError`` covers ``FileNotFoundError``).
    """
    if name in documented:
        return True
    klass = getattr(builtins, name, None)
    if not isinstance(klass, type):
        return False
    return any(
        isinstance(base, type) and issubclass(klass, base)
        for base in (getattr(builtins, d, None) for d in documented)
    )


def _wants_returns(ctx: Context) -> bool:
    info = ctx.info
    if not ctx.is_function or info.name == "__init__" or info.is_generator:
        return False
    if info.returns is None or info.returns.type in _NO_RETURN_TYPES:
        return False
    return info.returns.type is not None or ctx.facts.returns_value


def accuracy(ctx: Context) -> list[Finding]:
    """Return what the docstring of *ctx* claims that the code contradicts."""
    return [*_params(ctx), *_types(ctx), *_raises(ctx), *_generator(ctx)]


def _params(ctx: Context) -> list[Finding]:
    info = ctx.info
    if info.kind == "property" or (ctx.is_class and not info.signature):
        return []
    found = _unstarred(ctx)
    if any(p.kind == "var_keyword" for p in info.params):
        return found  # other documented names may be keyword arguments
    names = {p.name for p in info.params}
    found.extend(
        Finding(
            "AID201",
            f"documents parameter {name!r}, which the signature does not have",
            line=ctx.entry_line(name, "params"),
        )
        for name in dict.fromkeys(ctx.parsed.param_names)
        if name not in names
    )
    return found


def _unstarred(ctx: Context) -> list[Finding]:
    """``kwargs`` documented for ``**kwargs`` (Google and NumPy want the stars)."""
    if ctx.parsed.style == "rest":
        return []
    starred = {
        p.name: p.display_name
        for p in ctx.info.params
        if p.kind in ("var_positional", "var_keyword")
    }
    params = list(ctx.parsed.params)
    if ctx.init_doc is not None and ctx.init_doc.style != "rest":
        params.extend(ctx.init_doc.params)
    return [
        Finding(
            "AID201",
            f"documents {name!r}; the signature has {starred[name.lstrip('*')]!r}",
            suggestion=f"Write it as {starred[name.lstrip('*')]}.",
            line=ctx.entry_line(name.lstrip("*"), "params"),
        )
        for name in dict.fromkeys(n for n, _, _ in params)
        if name.lstrip("*") in starred and name != starred[name.lstrip("*")]
    ]


def _types(ctx: Context) -> list[Finding]:
    info, parsed = ctx.info, ctx.parsed
    found: list[Finding] = []
    params = {p.name: p for p in info.params}
    for name, documented, _ in parsed.params:
        param = params.get(name.lstrip("*"))
        if not documented or param is None or not param.type:
            continue
        if param.inferred and param.default in (None, "None"):
            continue  # inferred from use, not from a default: may be partial
        if contradicts(documented, param.type):
            found.append(
                Finding(
                    "AID202",
                    f"documents {name!r} as {documented!r} but the code says "
                    f"{param.type!r}",
                    line=ctx.entry_line(name.lstrip("*"), "params"),
                )
            )
    values = [
        ("returns", parsed.returns, info.returns.type if info.returns else None),
        ("yields", parsed.yields, info.yields.type if info.yields else None),
    ]
    for kind, value, code_type in values:
        if value is None or info.kind == "property":
            continue
        if kind == "returns" and info.is_generator:
            continue
        if value[0] and contradicts(value[0], code_type):
            found.append(
                Finding(
                    "AID202",
                    f"documents the {kind[:-1]} type as {value[0]!r} but the code "
                    f"says {code_type!r}",
                    line=ctx.section_line(kind),
                )
            )
    return found


def _raises(ctx: Context) -> list[Finding]:
    info, facts = ctx.info, ctx.facts
    if info.body is None or facts.may_raise_elsewhere:
        return []
    if ctx.is_class and not facts.has_init:
        return []  # the constructor is inherited: it may raise anything
    raised = [_last(n) for n in info.raises]
    return [
        Finding(
            "AID203",
            f"documents {name}, which the code never raises",
            line=ctx.entry_line(name, "raises"),
        )
        for name in dict.fromkeys(ctx.parsed.raise_names)
        if not _explained(_last(name), raised)
    ]


def _explained(documented: str, raised: list[str]) -> bool:
    """Whether raising *raised* can raise *documented* (or might, unknown)."""
    base = getattr(builtins, documented, None)
    for name in raised:
        if name == documented:
            return True
        klass = getattr(builtins, name, None)
        if not isinstance(klass, type) or not isinstance(base, type):
            return True  # a project exception may derive from the documented one
        if issubclass(klass, base):
            return True
    return False


def _generator(ctx: Context) -> list[Finding]:
    parsed = ctx.parsed
    if not ctx.info.is_generator or ctx.info.kind == "property":
        return []
    if parsed.returns is None or parsed.yields is not None:
        return []
    if ctx.facts.returns_value:
        return []  # ``return value`` in a generator: Returns is legitimate
    return [
        Finding(
            "AID204",
            "is a generator but documents Returns instead of Yields",
            line=ctx.section_line("returns"),
        )
    ]
