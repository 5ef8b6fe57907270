"""Pure helpers over :mod:`ast` nodes: no inference, no I/O, no state.

Every string they return is the one astroid's ``as_string()`` prints for
the same code (:func:`text`), so records read the same whether or not the
astroid oracle is used: annotations, defaults and decorators, parameter
texts (:mod:`._rules` formats signatures from those), literal default
types, the nodes that belong to one scope ("own" nodes) and what they say
syntactically. Control flow and source text live in :mod:`._shape`.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Sequence

from sphinxcontrib_aidoc.analyze._rules import (
    WARN_FUNCTIONS,
    Parameter,
    ParamText,
    is_deprecation_category,
    last_part,
    texts_of,
)
from sphinxcontrib_aidoc.analyze._type_rules import (
    BUILTIN_CONSTRUCTORS,
    DEFAULT_CONTAINERS,
    DEFAULT_TYPES,
    constant_type,
    iterator_item,
)
from sphinxcontrib_aidoc.model import ParamKind

#: Function definitions (astroid's ``FunctionDef`` covers both).
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: Nodes whose bodies run separately from the scope around them.
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
#: ``try`` statements (``except*`` is new in Python 3.11).
TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))

Function = ast.FunctionDef | ast.AsyncFunctionDef
Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef

#: Child nodes with nothing inside (contexts and operators): not walked.
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
#: Default-value node classes whose type the syntax fixes.
_CONTAINERS: dict[type, str] = {
    getattr(ast, name): type_ for name, type_ in DEFAULT_CONTAINERS.items()
}
#: One parameter as written: name, kind, annotation and default nodes.
RawParam = Parameter[ast.expr]


def text(node: ast.AST) -> str:
    """Source text of an expression, spaced as astroid's ``as_string()``.

    :func:`ast.unparse` and astroid agree on all but two spellings: astroid
    writes a one-element tuple ``(x, )`` and a power ``a**b``.
    """
    out = ast.unparse(node)
    if ",)" in out or " ** " in out:
        return _astroid_spacing(out)
    return out


def _astroid_spacing(source: str) -> str:
    """Respace ``(x,)`` and ``a ** b`` in *source* (strings left alone)."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.OP
        ]
    except (tokenize.TokenError, SyntaxError):
        return source
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for index, tok in enumerate(tokens):
        col = tok.start[1]
        if tok.string == "," and index + 1 < len(tokens):
            after = tokens[index + 1]
            if after.string == ")" and after.start[1] == col + 1:
                edits.append((col + 1, col + 1, " "))
        elif (
            tok.string == "**"
            and source[col - 1 : col] == " " == source[col + 2 : col + 3]
        ):
            edits.append((col - 1, col + 3, "**"))
    for start, end, new in reversed(edits):
        source = source[:start] + new + source[end:]
    return source


def annotation_string(node: ast.expr | None) -> str | None:
    """Return an annotation as source text; string annotations are unquoted."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip() or None
    return text(node)


def dotted_name(node: ast.AST) -> str:
    """Return ``a.b.c`` for a name/attribute chain, else the source text."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted_name(node.value)}.{node.attr}"
    return text(node)


def decorator_names(node: Definition) -> tuple[str, ...]:
    """Dotted decorator names, without call arguments (``functools.lru_cache``)."""
    return tuple(
        dotted_name(d.func if isinstance(d, ast.Call) else d)
        for d in node.decorator_list
    )


def docstring_node(node: ast.AST) -> ast.Constant | None:
    """The string constant that is *node*'s docstring, if it has one."""
    body = getattr(node, "body", None)
    if not body or not isinstance(body, list):
        return None
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.value
    return None


def body_of(node: Definition) -> list[ast.stmt]:
    """The statements of *node* without its docstring (astroid's ``body``)."""
    return node.body[1:] if docstring_node(node) is not None else node.body


def raw_params(func: Function) -> list[RawParam]:
    """Every parameter of *func* in signature order."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    defaults = list(args.defaults)
    first_default = len(positional) - len(defaults)
    n_posonly = len(args.posonlyargs)
    out: list[RawParam] = []
    for i, arg in enumerate(positional):
        kind: ParamKind = (
            "positional_only" if i < n_posonly else "positional_or_keyword"
        )
        default = defaults[i - first_default] if i >= first_default else None
        out.append(Parameter(arg.arg, kind, arg.annotation, default))
    if args.vararg:
        out.append(
            Parameter(args.vararg.arg, "var_positional", args.vararg.annotation, None)
        )
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=False):
        out.append(Parameter(arg.arg, "keyword_only", arg.annotation, default))
    if args.kwarg:
        out.append(
            Parameter(args.kwarg.arg, "var_keyword", args.kwarg.annotation, None)
        )
    return out


def param_texts(raw: list[RawParam]) -> list[ParamText]:
    """The texts of *raw* as a signature shows them (:func:`._rules.texts_of`)."""
    return texts_of(raw, annotation_string, text)


def type_of_default(node: ast.expr | None) -> str | None:
    """The type of a literal default value (``1`` -> ``int``); None if unsure.

    A ``None`` default gives ``"None"`` (:func:`._nodes.type_of_default`).
    """
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return constant_type(node.value, DEFAULT_TYPES)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return "bool"
        inner = type_of_default(node.operand)
        return inner if inner in {"int", "float"} else None
    container = _CONTAINERS.get(type(node))
    if container is not None:
        return container
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in BUILTIN_CONSTRUCTORS
    ):
        return node.func.id
    return None


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The direct children of *node*, as :func:`ast.iter_child_nodes` gives them.

    A list made without generators: the project pass visits hundreds of
    thousands of nodes, and :mod:`ast`'s two nested generators per node
    were a third of its time.
    """
    found: list[ast.AST] = []
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            found.extend([item for item in value if isinstance(item, ast.AST)])
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


#: Nodes that may hold blocks of statements (:func:`child_statements` reads
#: them): three base classes are checked faster than every kind that does.
BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def child_statements(node: ast.AST) -> list[ast.AST]:
    """The statements (and ``except``/``match`` clauses) directly under *node*.

    A ``def`` or ``class`` is only ever a statement, so a search for them
    never enters an expression (a lambda's body is an expression).
    """
    found: list[ast.AST] = []
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        block = getattr(node, name, None)
        if isinstance(block, list):
            found.extend([n for n in block if isinstance(n, ast.AST)])
    return found


def walk(node: ast.AST) -> list[ast.AST]:
    """*node* and every node under it, in :func:`ast.walk`'s order (breadth first).

    A list, built about twice as fast as :func:`ast.walk` yields it (see
    :func:`child_nodes`); use :func:`ast.walk` where a search stops early.
    """
    found = [node]
    append = found.append
    for current in found:  # grows as it is read: breadth first
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        append(item)
            elif isinstance(value, ast.AST):
                append(value)
    return found


def scope_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a module's, function's or lambda's body, not entering nested scopes.

    A nested ``def``, ``class`` or ``lambda`` is itself in the list (what it
    binds, it binds here); what is inside it is not. Works on raw trees
    (:func:`own_nodes` takes a definition and leaves nested scopes out).
    """
    if isinstance(scope, ast.Lambda):
        return statement_nodes([scope.body])
    if isinstance(scope, (*FUNCTIONS, ast.Module)):
        return statement_nodes(scope.body)
    return []


def statement_nodes(statements: Sequence[ast.AST]) -> list[ast.AST]:
    """The nodes of *statements*, not entering nested scopes (as :func:`scope_nodes`)."""
    todo = list(statements)
    found: list[ast.AST] = []
    while todo:
        node = todo.pop()
        found.append(node)
        if not isinstance(node, SCOPES):
            todo.extend(child_nodes(node))
    return found


def evaluated_at_definition(node: ast.AST) -> list[ast.expr]:
    """What a ``def``, ``lambda`` or ``class`` evaluates where it stands.

    Decorators, default values, base classes and class keywords (not
    annotations, which a function body never evaluates for its nested
    definitions' sake under ``from __future__ import annotations``).
    """
    found: list[ast.expr] = []
    if isinstance(node, (*FUNCTIONS, ast.Lambda)):
        found.extend(node.args.defaults)
        found.extend(d for d in node.args.kw_defaults if d is not None)
    if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
        found.extend(node.decorator_list)
    if isinstance(node, ast.ClassDef):
        found.extend(node.bases)
        found.extend(k.value for k in node.keywords)
    return found


def own_nodes(scope: Definition, *, annotations: bool = True) -> list[ast.AST]:
    """Every node of the body of *scope*, not entering nested scopes.

    Nested functions, lambdas and classes are left out; comprehensions are
    in (they run as part of *scope*). With ``annotations=False`` the
    annotations of annotated assignments are left out too (Python does not
    evaluate them in a function body). The order is not source order: every
    use of the list is order-free. Compute it once per object.
    """
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(body_of(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, SCOPES):
            # What a nested definition evaluates where it stands (its
            # decorators, defaults, bases) runs as part of *scope*.
            stack.extend(evaluated_at_definition(node))
            continue
        out.append(node)
        if not annotations and isinstance(node, ast.AnnAssign):
            stack.extend(n for n in (node.target, node.value) if n is not None)
            continue
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                stack.append(value)
    return out


def iterator_element(annotation: ast.expr | None) -> tuple[str, str] | None:
    """For ``Iterator[T]``-like annotations, ``(T, R)``; R is the return type.

    See :func:`._type_rules.iterator_item`.
    """
    if not isinstance(annotation, ast.Subscript):
        return None
    slice_ = annotation.slice
    args = list(slice_.elts) if isinstance(slice_, ast.Tuple) else [slice_]
    return iterator_item(dotted_name(annotation.value), args, annotation_string)


def is_stub(func: Function) -> bool:
    """Whether the body is only a docstring, ``...``, ``pass`` or ``raise NotImplementedError``.

    Such a body is a placeholder (an abstract method, a hook subclasses
    override, a protocol): what it returns says nothing of the overrides.
    """
    body = body_of(func)
    if not body:
        return True
    if len(body) != 1:
        return False
    stmt = body[0]
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return stmt.value.value is Ellipsis
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return last_part(dotted_name(exc)) == "NotImplementedError"
    return False


def warns_deprecation(own: list[ast.AST]) -> bool:
    """Whether a body (its :func:`own_nodes`) warns of a deprecation."""
    for node in own:
        if not isinstance(node, ast.Call):
            continue
        if dotted_name(node.func) not in WARN_FUNCTIONS:
            continue
        candidates: list[ast.expr] = list(node.args[1:2])
        candidates += [k.value for k in node.keywords if k.arg == "category"]
        if node.args and isinstance(node.args[0], ast.Call):
            candidates.append(node.args[0].func)
        if any(is_deprecation_category(dotted_name(c)) for c in candidates):
            return True
    return False


def well_formed(text: str) -> bool:
    """Whether *text* reads as a type expression.

    Names and dotted names (not rooted at ``self``/``cls``), subscripts of
    those, ``|`` unions, ``None`` and strings; never a call, an operator
    or an attribute of a value.
    """
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return False
    return _type_node(node)


def _type_node(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        # ``~pkg.mod.Class``: a qualified class shown by its last name
        return isinstance(
            node.operand, (ast.Name, ast.Attribute, ast.Subscript)
        ) and _type_node(node.operand)
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        root: ast.expr = node
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id not in ("self", "cls")
    if isinstance(node, ast.Constant):
        return (
            node.value is None or node.value is Ellipsis or isinstance(node.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _type_node(node.left) and _type_node(node.right)
    if isinstance(node, ast.Subscript):
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return _type_node(node.value) and all(
            (isinstance(a, ast.List) and all(_type_node(e) for e in a.elts))
            or _type_node(a)
            for a in args
        )
    return False
