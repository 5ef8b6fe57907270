"""How honest and how complete are the types aidoc states (issue 16).

Fully annotated libraries from PyPI (a CLI framework, a data structure
library, an HTTP parser and a parsing library) are copied twice: as
published, and with every function annotation, annotated assignment in a
function body and docstring stripped (``ast``, written back with
``ast.unparse``). aidoc analyses the stripped copy as a Sphinx build does
(astroid oracle); the authors' annotations, read from the published copy,
are the truth. For public functions and methods it prints, per library and
overall:

* **return types** of value-returning functions: recall (exact / all) and
  precision (exact / stated), and the same at the outer type (``list`` for
  ``list[str]``); generators are scored on what they yield;
* **parameter types**, with and without a default: recall and precision,
  exact and outer;
* **raised exceptions**: recall of the exceptions the published code
  raises explicitly in the function's own body (as the syntax-only engine
  reads the published source), by last name;
* **honesty checks**: parameters stated that the function does not have,
  and stated types that are not type expressions (target: zero each);
* **analysis time** per 1,000 functions.

Types are compared as the quality evaluator reads them
(``quality._types.normalise``: ``Optional[X]`` is ``X | None``, ``List`` is
``list``, ``typing`` prefixes and module paths dropped), quotes dropped; a
generic given only ``Any`` is the bare generic (``IO[Any]`` is ``IO``).

Run: ``.venv/bin/python benchmarks/bench_types.py`` (downloads once into
``benchmarks/_work/types/``; ``--libs NAME==VERSION:PACKAGE_DIR ...``;
``--held-out`` scores two libraries no rule was written against).
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import tarfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sdists import sdist

from sphinxcontrib_aidoc.analyze import analyze_paths, clear_cache
from sphinxcontrib_aidoc.analyze._module_walks import ModuleWalks
from sphinxcontrib_aidoc.analyze._nodes import well_formed
from sphinxcontrib_aidoc.analyze._pass_files import TEST_DIRS
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.quality._types import Member, normalise

HERE = Path(__file__).parent
WORK = HERE / "_work" / "types"
#: name==version : the package directory inside the sdist
LIBS = (
    "click==8.1.7:src/click",
    "bidict==0.23.1:bidict",
    "h11==0.14.0:h11",
    "tomlkit==0.13.2:tomlkit",
)
#: Libraries no rule was written against (``--held-out``): how the rules
#: carry over to code they were not tuned on.
HELD_OUT = (
    "packaging==24.2:src/packaging",
    "itsdangerous==2.2.0:src/itsdangerous",
)
FUNCTION_KINDS = ("function", "method", "classmethod", "staticmethod")


# -- preparing the two copies ------------------------------------------------
def fetch(spec: str) -> Path:
    """The published package directory of *spec* (``name==version:path``)."""
    package, _, inner = spec.partition(":")
    archive = sdist(package, WORK / "sdists")
    unpacked = WORK / "src" / archive.name.removesuffix(".tar.gz")
    if not unpacked.is_dir():
        with tarfile.open(archive) as tar:
            tar.extractall(WORK / "src", filter="data")
    return unpacked / inner


class _Strip(ast.NodeTransformer):
    """Remove function annotations, annotated locals and docstrings."""

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        return body or [ast.Pass()]

    def visit_Module(self, node: ast.Module) -> ast.Module:
        self.generic_visit(node)
        node.body = self._body(node.body)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        self.generic_visit(node)
        node.body = self._body(node.body)
        return node

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        self.generic_visit(node)
        node.returns = None
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            arg.annotation = None
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                arg.annotation = None
        node.body = self._body([_local(s) for s in node.body])
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        """Strip a function."""
        self._function(node)
        return node

    def visit_AsyncFunctionDef(
        self, node: ast.AsyncFunctionDef
    ) -> ast.AsyncFunctionDef:
        """Strip a coroutine function."""
        self._function(node)
        return node


def _local(stmt: ast.stmt) -> ast.stmt:
    """An annotated assignment in a function body without its annotation."""
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block:
            setattr(stmt, name, [_local(s) for s in block] or [ast.Pass()])
    for handler in getattr(stmt, "handlers", []):
        handler.body = [_local(s) for s in handler.body]
    if isinstance(stmt, ast.AnnAssign):
        if stmt.value is None:
            return ast.Pass()
        return ast.copy_location(
            ast.Assign(targets=[stmt.target], value=stmt.value), stmt
        )
    return stmt


def stripped_copy(package: Path, target: Path) -> Path:
    """*package* copied to *target* with annotations and docstrings removed."""
    if target.is_dir():
        return target
    shutil.copytree(package, target)
    for path in target.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tree = _Strip().visit(tree)
        ast.fix_missing_locations(tree)
        path.write_text(ast.unparse(tree) + "\n", encoding="utf-8")
    for stub in target.rglob("*.pyi"):
        stub.unlink()
    return target


# -- comparing types -----------------------------------------------------------
def normal(text: str | None) -> str | None:
    """One spelling of a type, as the evaluator reads types; None if unreadable.

    :func:`sphinxcontrib_aidoc.quality._types.normalise` does the reading
    (``Optional``/``Union``, ``typing`` aliases and prefixes, module paths);
    quotes of forward references are dropped first.
    """
    if text is None:
        return None
    members = normalise(text.replace('"', "").replace("'", ""))
    if members is None:
        return None
    return " | ".join(sorted(_spell(m) for m in members))


def _spell(member: Member) -> str:
    """*member* spelled back, a generic given only ``Any`` as the bare generic.

    ``IO[Any]`` and ``tuple[Any, ...]`` mean what ``IO`` and ``tuple`` do.
    """
    name, params = member
    if params is None or all(p in (("Any", None), ("...", None)) for p in params):
        return name
    return f"{name}[{', '.join(_spell(p) for p in params)}]"


def outer(text: str | None) -> str | None:
    """The outer type(s): ``list | None`` for ``list[str] | None``."""
    if text is None:
        return None
    return " | ".join(sorted({m.partition("[")[0] for m in text.split(" | ")}))


# -- scoring -------------------------------------------------------------------
@dataclass
class Tally:
    """Counts of one measure: truth items, stated, exact and outer matches.

    A type stated as *outer only* (``Value.outer_only``: ``list`` whose
    element types the docstring says are not known) is not a claim of the
    whole type: it counts apart (``partial``, and ``partial_ok`` when its
    outer type is right), in neither ``stated`` nor ``exact``. Exact
    precision is exact / stated; ``wrong`` is stated - exact.
    """

    truth: int = 0
    stated: int = 0
    exact: int = 0
    outer: int = 0
    partial: int = 0
    partial_ok: int = 0

    def add(
        self, truth: str | None, stated: str | None, *, partial: bool = False
    ) -> None:
        self.truth += 1
        if stated is None:
            return
        same_outer = outer(normal(truth)) == outer(normal(stated))
        if partial:
            self.partial += 1
            self.partial_ok += same_outer
            return
        self.stated += 1
        self.exact += normal(truth) == normal(stated)
        self.outer += same_outer

    def line(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:5.1f}%" if b else "    -"

        return (
            f"{self.truth:5d} annotated, {self.stated:5d} stated | exact: recall "
            f"{pct(self.exact, self.truth)} precision {pct(self.exact, self.stated)}"
            f" | outer: recall {pct(self.outer, self.truth)} precision "
            f"{pct(self.outer, self.stated)} | wrong {self.stated - self.exact:3d}"
            f" | outer only: {self.partial:3d} stated, {self.partial_ok:3d} right"
        )

    def add_up(self, other: Tally) -> None:
        """Add *other*'s counts to these."""
        for name in ("truth", "stated", "exact", "outer", "partial", "partial_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Result:
    """What one library scored."""

    functions: int = 0
    seconds: float = 0.0
    returns: Tally = field(default_factory=Tally)
    yields: Tally = field(default_factory=Tally)
    with_default: Tally = field(default_factory=Tally)
    without_default: Tally = field(default_factory=Tally)
    raises_truth: int = 0
    raises_found: int = 0
    phantom_params: int = 0
    malformed: list[str] = field(default_factory=list)
    wrong: Counter[str] = field(default_factory=Counter)
    #: Why a stated return type is not the annotated one (see :func:`cause`).
    causes: Counter[str] = field(default_factory=Counter)
    #: What kind of annotated return type got no stated type (see :func:`kind`).
    missed: Counter[str] = field(default_factory=Counter)
    #: Functions behind :attr:`missed` (and outer-only types), by kind:
    #: ``qualname -> annotation`` (``(outer only: list)`` when stated so).
    missed_where: dict[str, list[str]] = field(default_factory=dict)
    #: Parameters without a default the authors annotated and aidoc did not
    #: type: (function, parameter, annotation).
    untyped: list[tuple[str, str, str]] = field(default_factory=list)
    #: Why the project pass typed none of :attr:`untyped`, by reason.
    why_untyped: Counter[str] = field(default_factory=Counter)

    def add_up(self, other: Result) -> None:
        """Add *other*'s figures to these."""
        self.functions += other.functions
        self.seconds += other.seconds
        for name in ("returns", "yields", "with_default", "without_default"):
            getattr(self, name).add_up(getattr(other, name))
        self.raises_truth += other.raises_truth
        self.raises_found += other.raises_found
        self.phantom_params += other.phantom_params
        self.malformed += other.malformed
        self.wrong.update(other.wrong)
        self.causes.update(other.causes)
        self.missed.update(other.missed)
        for name, where in other.missed_where.items():
            self.missed_where.setdefault(name, []).extend(where)
        self.untyped += other.untyped
        self.why_untyped.update(other.why_untyped)


def _scored(info: ObjectInfo) -> bool:
    return info.kind in FUNCTION_KINDS and info.is_public and info.name != "__init__"


def import_aliases(file: str) -> dict[str, str]:
    """``{alias: name}`` for ``from m import name as alias`` in *file*.

    An annotation may spell a class by a local alias (click's
    ``decorators.py``: ``from .core import Option as CoreOption``); the
    class is the same, so the truth is read under its own name.
    """
    try:
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    return {
        alias.asname: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname and alias.asname != alias.name
    }


def unaliased(info: ObjectInfo, aliases: dict[str, str]) -> ObjectInfo:
    """*info* with every type's import aliases replaced by the imported names."""
    if not aliases:
        return info
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, aliases)) + r")\b")

    def fix(text: str | None) -> str | None:
        return None if text is None else pattern.sub(lambda m: aliases[m[1]], text)

    params = tuple(replace(p, type=fix(p.type)) for p in info.params)
    returns = info.returns and replace(info.returns, type=fix(info.returns.type))
    yields = info.yields and replace(info.yields, type=fix(info.yields.type))
    return replace(info, params=params, returns=returns, yields=yields)


def score(truth: list[ObjectInfo], found: list[ObjectInfo], seconds: float) -> Result:
    """Compare the stripped copy's records *found* with the published *truth*.

    The truth's types are read with the module's import aliases undone.
    """
    result = Result(seconds=seconds)
    by_name = {i.qualname: i for i in found}
    aliases: dict[str, dict[str, str]] = {}
    for published in truth:
        if published.file not in aliases:
            aliases[published.file] = import_aliases(published.file)
        real = unaliased(published, aliases[published.file])
        mine = by_name.get(real.qualname)
        if mine is None or not _scored(real):
            continue
        result.functions += 1
        _score_values(result, real, mine)
        _score_params(result, real, mine)
        raised = {r.rpartition(".")[2] for r in real.raises}
        stated = {r.rpartition(".")[2] for r in mine.raises}
        result.raises_truth += len(raised)
        result.raises_found += len(raised & stated)
        for text in _stated(mine):
            if not well_formed(text):
                result.malformed.append(f"{mine.qualname}: {text}")
    return result


def _score_values(result: Result, real: ObjectInfo, mine: ObjectInfo) -> None:
    if real.is_generator:
        if real.yields is not None and real.yields.type and not real.yields.inferred:
            result.yields.add(
                real.yields.type,
                mine.yields.type if mine.yields else None,
                partial=mine.yields is not None and mine.yields.outer_only,
            )
        return
    annotated = (
        real.returns.type if real.returns and not real.returns.inferred else None
    )
    if annotated is None or normal(annotated) == "None":
        return
    stated = mine.returns.type if mine.returns else None
    partial = mine.returns is not None and mine.returns.outer_only
    result.returns.add(annotated, stated, partial=partial)
    where = f"{mine.qualname} -> {normal(annotated)}"
    if partial:
        result.missed_where.setdefault("outer only", []).append(
            f"{where} (stated {normal(stated)})"
        )
        return
    if stated is None:
        result.missed[kind(normal(annotated))] += 1
        result.missed_where.setdefault(kind(normal(annotated)), []).append(where)
    elif normal(stated) != normal(annotated):
        result.wrong[f"return {normal(annotated)} stated {normal(stated)}"] += 1
        result.causes[cause(normal(annotated), normal(stated))] += 1


_SCALARS = frozenset({"str", "bytes", "int", "float", "bool", "complex"})
_CONTAINERS = frozenset({"list", "dict", "set", "frozenset", "tuple"})


def _members(spelled: str) -> list[str]:
    """The top-level members of a :func:`normal` spelling."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(spelled):
        depth += char == "["
        depth -= char == "]"
        if depth == 0 and spelled.startswith(" | ", index):
            parts.append(spelled[start:index])
            start = index + 3
    return [*parts, spelled[start:]]


def _loose(name: str) -> bool:
    """An annotation looser than any code: ``Any``, a type variable, ``Self``."""
    base = name.partition("[")[0]
    return base in ("Any", "Self", "AnyStr") or (base.isupper() and len(base) <= 3)


def cause(truth: str | None, stated: str | None) -> str:
    """Why a stated return type *stated* is not the annotated *truth*."""
    if truth is None or stated is None:
        return "unreadable"
    real, mine = _members(truth), _members(stated)
    if set(real) - {"None"} == set(mine) - {"None"}:
        return "None member differs"
    if any(_loose(m) for m in real):
        return "annotation is Any / a type variable / Self"
    if outer(truth) == outer(stated):
        if all("[" not in m for m in mine):
            return "container without element types"
        return "element types differ"
    if len(real) == len(mine) == 1:
        return "another class (concrete vs declared, subclass)"
    return "other"


def kind(truth: str | None) -> str:
    """What kind of annotated return type *truth* is (for misses)."""
    if truth is None:
        return "unreadable"
    members = _members(truth)
    if any(_loose(m) for m in members):
        return "Any / type variable / Self"
    if "None" in members and len(members) > 1:
        return "X | None"
    if len(members) > 1:
        return "union"
    base = members[0].partition("[")[0]
    if base in _SCALARS:
        return "scalar (str, int, bool...)"
    if base in _CONTAINERS:
        return "builtin container"
    if base in ("Callable", "type"):
        return "callable / class object"
    return "class or protocol"


def _score_params(result: Result, real: ObjectInfo, mine: ObjectInfo) -> None:
    names = {p.name for p in real.params}
    result.phantom_params += sum(1 for p in mine.params if p.name not in names)
    stated = {p.name: p.type for p in mine.params}
    for param in real.documented_params:
        if param.kind in ("var_positional", "var_keyword"):
            continue
        if param.type is None or param.inferred:
            continue
        tally = (
            result.with_default if param.default is not None else result.without_default
        )
        guess = stated.get(param.name)
        tally.add(param.type, guess)
        if guess is None and param.default is None:
            result.untyped.append((mine.qualname, param.name, param.type))
        if guess is not None and normal(guess) != normal(param.type):
            kind = "default" if param.default is not None else "no default"
            result.wrong[
                f"param ({kind}) {normal(param.type)} stated {normal(guess)}"
            ] += 1


def _stated(info: ObjectInfo) -> list[str]:
    texts = [p.type for p in info.params if p.type and p.inferred]
    values = (info.returns, info.yields)
    texts.extend(v.type for v in values if v is not None and v.type and v.inferred)
    return texts


def tests_of(published: Path) -> Path | None:
    """The sdist's tests directory beside (or inside) the package, if any.

    Named as a build looks for it (``tests``, ``test`` or ``testing``).
    """
    for root in (published, *published.parents):
        for name in TEST_DIRS:
            if (root / name).is_dir():
                return root / name
        if (root / "PKG-INFO").is_file():
            return None
    return None


def prepared(
    spec: str, *, with_tests: bool
) -> tuple[list[ObjectInfo], Path, list[Path]]:
    """The published copy's records, the stripped package and its call sites.

    The sdist is fetched and stripped once (kept under ``WORK``); with
    *with_tests*, its tests, stripped the same way, are the call sites.
    The analysis cache is cleared after reading the truth.
    """
    published = fetch(spec)
    name = spec.partition("==")[0]
    stripped = stripped_copy(published, WORK / "stripped" / name / published.name)
    tests = tests_of(published) if with_tests else None
    sites: list[Path] = []
    if tests is not None and not tests.is_relative_to(published):
        sites.append(stripped_copy(tests, WORK / "stripped" / name / "tests"))
    clear_cache()
    truth = analyze_paths([published], engine="ast")
    clear_cache()
    return truth, stripped, sites


def run(spec: str, *, with_tests: bool = True, forced: bool = False) -> Result:
    """Prepare, analyse and score one library.

    With *with_tests*, the sdist's tests (stripped the same way) are the
    project pass's extra call sites (``analyze_paths(call_sites=...)``),
    as a project's own tests are in a build that points aidoc at them.
    With *forced*, every parameter the published copy annotates has that
    type when the project pass starts (:func:`forced_params`).
    """
    truth, stripped, sites = prepared(spec, with_tests=with_tests)
    started = time.process_time()
    if forced:
        found = forced_params(
            truth, lambda: analyze_paths([stripped], call_sites=sites)
        )
    else:
        found = analyze_paths([stripped], call_sites=sites)
    seconds = time.process_time() - started
    result = score(truth, found, seconds)
    explain(result, found, [stripped], sites)
    return result


def published_params(truth: list[ObjectInfo]) -> dict[str, dict[str, str]]:
    """Each function's annotated parameter types, by qualname (``Any`` left out)."""
    aliases: dict[str, dict[str, str]] = {}
    published: dict[str, dict[str, str]] = {}
    for info in truth:
        if info.file not in aliases:
            aliases[info.file] = import_aliases(info.file)
        real = unaliased(info, aliases[info.file])
        published[real.qualname] = {
            p.name: text
            for p in real.params
            if p.type and not p.inferred
            for text in (normal(p.type),)
            if text and "Any" not in text
        }
    return published


def forced_params(
    truth: list[ObjectInfo],
    analyse: Callable[[], list[ObjectInfo]],
    only: dict[str, dict[str, str]] | None = None,
) -> list[ObjectInfo]:
    """*analyse*'s records, each parameter typed as published before the pass.

    A diagnostic (``--forced-params``): the return types the project pass
    proves when every parameter has its annotated type (``Any`` left out;
    a project class named by its last name, when only one class has it),
    that is the return rules' part of the recall apart from the parameter
    rules'. The parameter figures it prints are not measurements. With
    *only*, just those parameters are given their types (``--probe-params``).
    """
    from sphinxcontrib_aidoc.analyze import _project  # noqa: PLC0415

    published = published_params(truth) if only is None else only
    passed = _project.project_types

    def with_params(
        infos: list[ObjectInfo],
        sites: dict[str, str] | None = None,
        walks: ModuleWalks | None = None,
    ) -> list[ObjectInfo]:
        classes: dict[str, list[str]] = {}
        for info in infos:
            if info.kind == "class":
                classes.setdefault(info.name, []).append(info.qualname)

        def spelled(text: str) -> str:
            return re.sub(
                r"\b([A-Z]\w*)\b",
                lambda m: (
                    f"~{classes[m[1]][0]}" if len(classes.get(m[1], ())) == 1 else m[1]
                ),
                text,
            )

        typed = [
            replace(
                info,
                params=tuple(
                    replace(p, type=spelled(t), evidence="annotation", inferred=False)
                    if p.type is None
                    and (t := published.get(info.qualname, {}).get(p.name))
                    else p
                    for p in info.params
                ),
            )
            for info in infos
        ]
        return passed(typed, sites, walks)

    _project.project_types = with_params  # type: ignore[assignment]
    try:
        return analyse()
    finally:
        _project.project_types = passed


def probe_params(spec: str) -> None:
    """Print the parameters whose published type alone moves the exact returns.

    A diagnostic (``--probe-params``): each parameter the stripped copy
    leaves untyped and the published copy annotates is given its type,
    alone, before the project pass; the change in exact return types is
    printed when there is one. It names the parameters worth proving: what
    blocks each is the call-site reader's to say (``why_not``). One pass
    per candidate: minutes on a library of a few hundred functions.
    """
    truth, stripped, sites = prepared(spec, with_tests=True)
    types = published_params(truth)
    found = analyze_paths([stripped], call_sites=sites)
    base = score(truth, found, 0.0).returns.exact
    print(f"{spec.partition(':')[0]}: {base} exact returns", flush=True)
    for info in found:
        for param in info.params:
            given = types.get(info.qualname, {}).get(param.name)
            if (
                param.type is not None
                or given is None
                or param.kind
                in (
                    "var_positional",
                    "var_keyword",
                )
            ):
                continue
            forced = forced_params(
                truth,
                lambda: analyze_paths([stripped], call_sites=sites),
                only={info.qualname: {param.name: given}},
            )
            moved = score(truth, forced, 0.0).returns.exact - base
            if moved:
                print(
                    f"  {moved:+d}  {info.qualname}({param.name}: {given})", flush=True
                )


def explain(
    result: Result, found: list[ObjectInfo], paths: list[Path], sites: list[Path]
) -> None:
    """Fill :attr:`Result.why_untyped` by asking the call-site reader again.

    The project pass is run again on the records *found* (types it proved
    already stand, so only the untyped parameters are asked about).
    """
    from sphinxcontrib_aidoc.analyze import _site_modules  # noqa: PLC0415
    from sphinxcontrib_aidoc.analyze._callsites import CallSites  # noqa: PLC0415
    from sphinxcontrib_aidoc.analyze._project import Solver  # noqa: PLC0415

    modules = {i.module for i in found}
    every = _site_modules(paths, set())
    extra = {n: f for n, f in every.items() if n not in modules}
    extra.update(_site_modules(sites, set()))
    solver = Solver(found, extra)
    solver.solve()
    reader = CallSites(solver)
    reasons = []
    for qualname, param, annotation in result.untyped:
        why = reader.why_not(qualname, param)
        reasons.append((qualname, param, annotation, why))
        result.why_untyped[why.partition(":")[0]] += 1
    result.untyped = [(q, p, f"{a}  <- {w}") for q, p, a, w in reasons]


def report(name: str, result: Result, *, examples: int) -> None:
    """Print one library's (or the total's) figures."""
    print(f"\n{name}: {result.functions} public functions")
    print(f"  returns (value)      {result.returns.line()}")
    print(f"  yields               {result.yields.line()}")
    print(f"  params with default  {result.with_default.line()}")
    print(f"  params no default    {result.without_default.line()}")
    recall = result.raises_found / result.raises_truth if result.raises_truth else 0
    print(
        f"  raises               {result.raises_truth:5d} raised, recall "
        f"{100 * recall:5.1f}%"
    )
    print(
        f"  honesty              {result.phantom_params} parameters the function "
        f"does not have, {len(result.malformed)} malformed types"
    )
    for text in result.malformed[:examples]:
        print(f"      malformed: {text}")
    per = 1000 * result.seconds / result.functions if result.functions else 0
    print(
        f"  analysis             {result.seconds:.1f} s CPU, {per:.2f} s per 1,000 functions"
    )
    if result.causes:
        print("  return types stated but not the annotated one, by cause:")
        for text, count in result.causes.most_common():
            print(f"      {count:3d}  {text}")
    if result.missed:
        print("  return types not stated, by kind of annotation:")
        for text, count in result.missed.most_common():
            print(f"      {count:3d}  {text}")
            for where in result.missed_where.get(text, [])[: examples // 4]:
                print(f"             {where}")
    for where in result.missed_where.get("outer only", [])[: examples // 4]:
        print(f"      outer only: {where}")
    for text, count in result.wrong.most_common(examples):
        print(f"      {count:3d}x {text}")
    if result.why_untyped:
        print("  params no default not typed, why (the call-site reader's answer):")
        for text, count in result.why_untyped.most_common():
            print(f"      {count:3d}  {text}")
    for qualname, param, annotation in result.untyped[:examples]:
        print(f"      untyped: {qualname}({param}): {annotation}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libs", nargs="*", default=list(LIBS))
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="score the libraries no rule was written against (HELD_OUT) "
        "instead of --libs",
    )
    parser.add_argument("--examples", type=int, default=8, help="wrong types shown")
    parser.add_argument(
        "--forced-params",
        action="store_true",
        help="give every parameter its published annotation before the project "
        "pass (the return rules' recall apart from the parameter rules')",
    )
    parser.add_argument(
        "--no-tests",
        action="store_true",
        help="do not read the sdists' tests for call sites",
    )
    parser.add_argument(
        "--probe-params",
        action="store_true",
        help="for each of --libs, print the untyped parameters whose published "
        "type alone moves the exact returns (slow: one pass per parameter)",
    )
    args = parser.parse_args()
    if args.probe_params:
        for spec in args.libs:
            probe_params(spec)
        return
    total = Result()
    for spec in HELD_OUT if args.held_out else args.libs:
        result = run(spec, with_tests=not args.no_tests, forced=args.forced_params)
        report(spec.partition(":")[0], result, examples=args.examples)
        total.add_up(result)
    report("overall", total, examples=args.examples)
    targets(total)


def targets(total: Result) -> None:
    """Print issue 16's targets against the overall figures."""

    def ratio(a: int, b: int) -> float:
        return 100 * a / b if b else 0.0

    params = Tally()
    params.add_up(total.with_default)
    params.add_up(total.without_default)
    rows = [
        (
            "return types exact recall >= 60%",
            ratio(total.returns.exact, total.returns.truth),
            60,
        ),
        (
            "  ... at exact precision >= 85%",
            ratio(total.returns.exact, total.returns.stated),
            85,
        ),
        (
            "stated parameter types precision >= 90%",
            ratio(params.exact, params.stated),
            90,
        ),
        (
            "parameters without default recall >= 30%",
            ratio(total.without_default.exact, total.without_default.truth),
            30,
        ),
        (
            "raised exceptions recall >= 97%",
            ratio(total.raises_found, total.raises_truth),
            97,
        ),
    ]
    print("\ntargets")
    for label, value, goal in rows:
        print(f"  {label:45s} {value:5.1f}%  {'met' if value >= goal else 'NOT met'}")
    honest = total.phantom_params == 0 and not total.malformed
    print(
        f"  {'no phantom parameters, no malformed types':45s} {'met' if honest else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
