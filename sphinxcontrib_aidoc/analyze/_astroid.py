"""The astroid oracle: the walker's questions answered by astroid inference.

Imported only when the astroid engine runs, so that the fast engine (and
``aidoc report``) never pays for importing astroid.

The walker (:mod:`._walk`) reads the module's :mod:`ast` tree;
:class:`AstroidOracle` holds the astroid tree of the same source and finds,
for an :mod:`ast` node the walker asks about, the astroid node at the same
place (same kind, same start and end). A constructor inherited from another
module is handed back as a node of that module's :mod:`ast` tree, parsed
here and matched the same way, so the walker reads every signature with the
same code.
"""

from __future__ import annotations

import ast
import builtins
import logging
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import astroid  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid import bases, nodes
from astroid.builder import AstroidBuilder  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.context import _invalidate_cache  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.exceptions import AstroidSyntaxError  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.inference_tip import clear_inference_tip_cache  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze import (
    _astroid_scope,
    _effects,
    _values,
    _walk,
    _whole_trees,
)
from sphinxcontrib_aidoc.analyze._files import (
    quiet_compile_warnings,
    read_source,
    report_parse,
)
from sphinxcontrib_aidoc.analyze._infer import Budget, class_name, type_name
from sphinxcontrib_aidoc.analyze._nodes import (
    FUNCTIONS,
    Function,
    raw_params,
    type_of_default,
)
from sphinxcontrib_aidoc.analyze._oracle import Constructor
from sphinxcontrib_aidoc.analyze._rules import named_like_exception
from sphinxcontrib_aidoc.analyze._type_rules import SCALAR_TYPES, constant_type
from sphinxcontrib_aidoc.diagnostics import Diagnostic, ListReporter, Reporter

logger = logging.getLogger(__name__)

#: Qualified names of the enum base classes.
_ENUMS = frozenset(
    {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
)
#: Builtin classes: an instance default of one is a placeholder container.
_BUILTIN_NAMES = frozenset(
    n for n in dir(builtins) if isinstance(getattr(builtins, n), type)
)
#: Qualified names of the root exception classes.
_EXCEPTION_ROOTS = frozenset({"builtins.BaseException", "builtins.Exception"})
#: :mod:`ast` class names that astroid names otherwise.
_RENAMED = {"Constant": "Const", "arg": "AssignName", "keyword": "Keyword"}
_STORES = {"Name": "AssignName", "Attribute": "AssignAttr"}
_DELETES = {"Name": "DelName", "Attribute": "DelAttr"}

#: Where a node stands: (astroid class name, line, column, end line, end column).
_Place = tuple[str, int, int, int, int]


def build(
    source: str, module: str, file: str, reporter: Reporter | None
) -> astroid.nodes.Module | None:
    """Parse *source* into an astroid tree; None (and a diagnostic) on failure.

    A tree an import already built whole from the same text is taken as it
    is; then the project modules the tree imports are built (both in
    :mod:`._whole_trees`). A tree built here is registered with astroid's
    manager, for the modules analysed later to import, unless an import
    built the module first (astroid keeps the first tree of a name).
    """
    _astroid_scope.install()
    _astroid_scope.bootstrap()
    _astroid_scope.allow(module)
    _whole_trees.watch()
    tree = _whole_trees.built_whole(module, file, source)
    if tree is None:
        tree = _string_build(source, module, file, reporter)
    if tree is not None:
        _whole_trees.build_imported(tree)
    return tree


def _string_build(
    source: str, module: str, file: str, reporter: Reporter | None
) -> astroid.nodes.Module | None:
    try:
        with warnings.catch_warnings():
            quiet_compile_warnings()
            return AstroidBuilder(astroid.MANAGER).string_build(
                source, modname=module, path=None if file.startswith("<") else file
            )
    except AstroidSyntaxError as exc:
        report_parse(reporter, file, exc.error)
    except RecursionError:
        raise  # the caller cuts the too-deep code out and builds again
    except Exception as exc:  # a brain plugin bug
        logger.debug("aidoc: cannot build %s", file, exc_info=True)
        report_parse(reporter, file, exc)
    return None


def oracle_for(
    tree: nodes.Module, syntax: ast.Module | None, *, timeout: float, steps: int
) -> AstroidOracle | None:
    """The oracle of a module: its astroid *tree* and :mod:`ast` *syntax*.

    astroid's inference caches are process-wide; they are emptied first, so
    the steps each object's inference takes (and so where a step budget cuts
    it) depend on this module's code alone, not on what was analysed before
    it in this process.
    """
    if syntax is None or not isinstance(tree, nodes.Module):
        return None
    _invalidate_cache()
    clear_inference_tip_cache()
    return AstroidOracle(syntax, tree, timeout=timeout, steps=steps)


class AstroidOracle:
    """Answers the walker's questions about one module with astroid.

    Args:
        syntax: The module's :mod:`ast` tree (the walker's).
        tree: Its astroid tree.
        timeout: Wall-clock seconds of inference per object (the safety net).
        steps: Inference steps per object (see :class:`~._infer.Budget`).
    """

    def __init__(
        self, syntax: ast.Module, tree: nodes.Module, *, timeout: float, steps: int
    ) -> None:
        self.timeout = timeout
        self.steps = steps
        self.project = str(tree.name).partition(".")[0]
        self.budget = Budget(timeout, steps=steps)
        file = getattr(tree, "file", None)
        self._files: dict[str, bool] = {file: True} if file else {}
        #: Nodes matched ahead of time (definitions of other modules, and
        #: the functions astroid wrote), by ``id()`` of the walker's node.
        self._to_astroid: dict[int, nodes.NodeNG] = {}
        #: Definitions by ``id()`` of their astroid node, and their tree.
        self._to_ast: dict[int, ast.AST] = {}
        self._owner: dict[int, int] = {}
        #: Each paired tree's astroid nodes by place, by ``id()`` of the tree.
        self._places: dict[int, dict[_Place, nodes.NodeNG]] = {}
        self._main = id(syntax)
        self._kept: list[object] = []  # trees whose nodes the maps point into
        self._ancestors: dict[int, list[nodes.ClassDef] | None] = {}
        #: What ``self.name`` calls, by class and name (:func:`~._effects.calls`).
        self._self_calls: _effects.SelfCalls = {}
        self._pair(syntax, tree)

    # -- the budget of one object -----------------------------------------
    def begin(self) -> None:
        """Start the budget of the next object."""
        self.budget = Budget(self.timeout, steps=self.steps)
        self._ancestors = {}

    def end(self, qualname: str, location: str) -> Diagnostic | None:
        """The ``infer`` diagnostic of an object whose inference was cut short."""
        budget = self.budget
        if not budget.exhausted:
            return None
        if budget.spent:
            return Diagnostic(
                "infer",
                f"inference gave up on {qualname} after {budget.steps} steps"
                " (aidoc_infer_steps)",
                location=location,
            )
        return Diagnostic(
            "infer",
            f"inference of {qualname} timed out after {budget.timeout:g}s"
            " (aidoc_infer_timeout); the result is not kept and is analysed again"
            " next time",
            location=location,
            transient=True,
        )

    # -- questions ----------------------------------------------------------
    def default_type(self, default: ast.expr) -> str | None:
        """The type a default that is not a literal proves, or None.

        A named constant of a number, string, bytes or bool gives that type;
        a member of an enum (``Color.RED``) its enum class, as written; an
        object built by a call (``Timeout(5)``) its class. Any other named
        object (a sentinel such as ``MISSING = object()``, a singleton)
        proves nothing about what callers pass.
        """
        node = self._node(default)
        if node is None:
            return None
        if isinstance(default, ast.Attribute):
            enum = self._enum(default.value)
            if enum is not None:
                return class_name(enum)
        values = self.budget.values(node, limit=2)
        if not values or len(values) != 1:
            return None
        value = values[0]
        if isinstance(value, nodes.Const):
            return constant_type(value.value, SCALAR_TYPES)
        if isinstance(default, ast.Call) and isinstance(value, bases.Instance):
            name = type_name(value, self.budget)
            return None if name in _BUILTIN_NAMES else name
        return None

    def _enum(self, owner: ast.expr) -> nodes.ClassDef | None:
        """The enum class *owner* names (its attributes are members), or None."""
        node = self._node(owner)
        values = self.budget.values(node, limit=1) if node is not None else None
        if not values or not isinstance(values[0], nodes.ClassDef):
            return None
        ancestors = self.budget.ancestors(values[0]) or []
        return values[0] if any(_qname(a) in _ENUMS for a in ancestors) else None

    def expr_types(
        self, expr: ast.expr, func: Function, param_types: dict[str, str | None]
    ) -> list[str] | None:
        """The possible types of a returned or yielded *expr*, or None."""
        node = self._node(expr)
        scope = self._node(func)
        if node is None or not isinstance(scope, nodes.FunctionDef):
            return None
        return _values.expr_types(
            node, scope, self.budget, param_types, bindable=defaults_bindable(func)
        )

    def element_types(self, expr: ast.expr) -> list[str] | None:
        """The types of the items ``yield from expr`` produces, or None."""
        node = self._node(expr)
        return None if node is None else _values.element_types(node, self.budget)

    def exception_names(self, exc: ast.expr) -> list[str] | None:
        """What ``raise exc`` raises, or None when *exc* is not known here."""
        node = self._node(exc)
        return None if node is None else _effects.exception_names(node, self.budget)

    def calls(self, own: list[ast.AST]) -> tuple[str, ...]:
        """Qualified names of what the calls among *own* call.

        Calls are inferred in source order (outer calls first), so where a
        step budget stops is the same whatever order *own* comes in.
        """
        found = sorted(
            (n for n in own if isinstance(n, ast.Call)),
            key=lambda n: (
                n.lineno,
                n.col_offset,
                -(n.end_lineno or 0),
                -(n.end_col_offset or 0),
            ),
        )
        funcs = [f for f in (self._node(n.func) for n in found) if f is not None]
        return _effects.calls(funcs, self.project, self.budget, self._self_calls)

    def constructor(self, cls: ast.ClassDef) -> Constructor:
        """The ``__init__`` that builds instances of *cls*, as astroid sees it.

        Own (or synthesised, e.g. by dataclasses) ``__init__`` first, then
        the first analysed ancestor's; a builtin ancestor's means none
        (``object``) or unknown.
        """
        klass = self._node(cls)
        if not isinstance(klass, nodes.ClassDef):
            return Constructor(None, known=False, own=False)
        ancestors = self._ancestors_of(klass)
        for owner in [klass, *(ancestors or [])]:
            if not isinstance(owner, nodes.ClassDef):
                continue
            local = [
                n
                for n in owner.locals.get("__init__", [])
                if isinstance(n, nodes.FunctionDef)
            ]
            if not local:
                continue
            if owner is not klass and owner.root().name == "builtins":
                return Constructor(None, known=owner.name == "object", own=False)
            init = self._function(local[-1])
            return Constructor(init, known=init is not None, own=owner is klass)
        return Constructor(None, known=ancestors is not None, own=False)

    def is_exception(self, cls: ast.ClassDef) -> bool:
        """Whether *cls* derives from BaseException (inferred, else by base name)."""
        klass = self._node(cls)
        if not isinstance(klass, nodes.ClassDef):
            return False
        for ancestor in self._ancestors_of(klass) or []:
            if _qname(ancestor) in _EXCEPTION_ROOTS:
                return True
        return any(named_like_exception(str(b.as_string())) for b in klass.bases)

    # -- matching the two trees ----------------------------------------------
    def _ancestors_of(self, klass: nodes.ClassDef) -> list[nodes.ClassDef] | None:
        if id(klass) not in self._ancestors:
            self._ancestors[id(klass)] = self.budget.ancestors(klass)
        return self._ancestors[id(klass)]

    def _pair(self, syntax: ast.Module, tree: nodes.NodeNG) -> None:
        """Index *tree* by place, for nodes of *syntax* (the same source).

        The walker's nodes are looked up by place when asked about
        (:meth:`_node`); only definitions are indexed the other way.
        """
        self._kept += [syntax, tree]
        places: dict[_Place, nodes.NodeNG] = {}
        stack = [tree]
        while stack:
            node = stack.pop()
            if node.end_lineno is not None:
                place = (
                    type(node).__name__,
                    node.lineno,
                    node.col_offset,
                    node.end_lineno,
                    node.end_col_offset,
                )
                places.setdefault(place, node)
            stack.extend(node.get_children())
        self._places[id(syntax)] = places
        for definition in _definitions(syntax.body):
            found = places.get(_place_of(definition))
            if found is not None:
                self._to_ast[id(found)] = definition
                self._owner[id(definition)] = id(syntax)

    def _node(
        self, part: ast.AST, syntax: ast.Module | None = None
    ) -> nodes.NodeNG | None:
        """The astroid node at the place of the walker's *part*, or None."""
        found = self._to_astroid.get(id(part))
        if found is not None:
            return found
        places = self._places.get(id(syntax) if syntax is not None else self._main)
        return None if places is None else places.get(_place_of(part))

    def _function(self, init: nodes.FunctionDef) -> Function | None:
        """The :mod:`ast` definition of *init* (parsing its module when needed).

        The nodes of a definition from another module are matched at once,
        so questions about them (its defaults) find their astroid nodes.
        """
        found = self._to_ast.get(id(init))
        root = init.root()
        file = getattr(root, "file", None)
        if found is None and file and file.endswith(".py") and file not in self._files:
            self._files[file] = self._parse_file(Path(file), root)
            found = self._to_ast.get(id(init))
        if not isinstance(found, FUNCTIONS):
            return self._synthetic(init)
        owner = self._owner.get(id(found))
        if owner is not None and owner != self._main:
            places = self._places[owner]
            for part in ast.walk(found):
                node = places.get(_place_of(part))
                if node is not None:
                    self._to_astroid[id(part)] = node
        return found

    def _parse_file(self, path: Path, root: nodes.Module) -> bool:
        source = read_source(path, ListReporter())
        syntax = _walk.parse(source, str(path), None) if source is not None else None
        if syntax is None:
            return False
        self._pair(syntax, root)
        return True

    def _synthetic(self, init: nodes.FunctionDef) -> Function | None:
        """A function astroid wrote (``@dataclass``'s ``__init__``), as :mod:`ast`.

        Its source is astroid's rendering; its defaults are matched to
        astroid's by position, so their types can still be inferred.
        """
        try:
            parsed = ast.parse(textwrap.dedent(str(init.as_string())))
        except (SyntaxError, ValueError, RecursionError):
            return None
        func = parsed.body[0] if parsed.body else None
        if not isinstance(func, FUNCTIONS):
            return None
        self._kept.append(parsed)
        mine = [p.default for p in raw_params(func)]
        theirs = [
            *(init.args.defaults or []),
            *(d for d in init.args.kw_defaults or [] if d is not None),
        ]
        for ours, other in zip(
            [d for d in mine if d is not None], theirs, strict=False
        ):
            self._to_astroid[id(ours)] = other
        return func


def _place_of(node: ast.AST) -> _Place:
    name = type(node).__name__
    ctx = getattr(node, "ctx", None)
    if isinstance(ctx, ast.Store):
        name = _STORES.get(name, name)
    elif isinstance(ctx, ast.Del):
        name = _DELETES.get(name, name)
    else:
        name = _RENAMED.get(name, name)
    line = getattr(node, "lineno", 0)
    decorators = getattr(node, "decorator_list", None)
    if decorators and isinstance(node, FUNCTIONS):
        # astroid starts a decorated function (not a class) at its decorators
        line = min(line, *(d.lineno for d in decorators))
    return (
        name,
        line,
        getattr(node, "col_offset", 0),
        getattr(node, "end_lineno", 0),
        getattr(node, "end_col_offset", 0),
    )


def defaults_bindable(func: Function) -> bool:
    """Whether inferring with parameters bound to their defaults is honest.

    True unless the function reads a parameter whose default is ``None`` or
    not a literal (the default then says little about the values passed).
    """
    read = {
        n.id
        for n in ast.walk(func)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    return not any(
        p.default is not None
        and p.name in read
        and type_of_default(p.default) in (None, "None")
        for p in raw_params(func)
        if p.kind not in ("var_positional", "var_keyword")
    )


def _definitions(
    body: list[ast.stmt],
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    """Every function and class defined in *body*, at any depth."""
    stack = list(body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
            yield stmt
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                stack.extend(block)


def _qname(node: nodes.NodeNG) -> str:
    """The qualified name of a class, or "" for odd synthetic nodes."""
    try:
        return str(node.qname())
    except Exception:  # noqa: BLE001 - synthetic nodes
        return ""
