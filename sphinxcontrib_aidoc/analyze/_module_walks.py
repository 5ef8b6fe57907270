"""What the project pass reads of each module's every node, kept per module.

Two readers of the project pass (:mod:`._project`) look at every node of
every module, not only at the functions they type: the attribute reader
(:meth:`~._attributes.Attributes._elsewhere`: attribute names written
other than by ``self.name = value`` in a method, ``setattr``) and the
call-site reader (:meth:`~._callsites._Sites._uses`: a project name used
other than by a call it resolved, an attribute name called or read on an
unknown object). Both answers are, per module, a function of the module's
text and of which of its functions the pass has frames for (their
qualnames, kinds and first parameters): a :class:`ModuleWalk` holds them,
with the names to resolve left as dotted paths (resolving them reads the
other modules, so that is done in each pass, on the few paths kept).

:class:`ModuleWalks` computes a module's walk when first asked, or takes
it from what the last pass kept under the same module key: an edit walks
the edited module again, the others not at all. The result is the one the
whole walk gives (a test compares them).
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.analyze._built import MUTATORS
from sphinxcontrib_aidoc.analyze._class_attrs import class_bindings
from sphinxcontrib_aidoc.analyze._class_tables import class_tables
from sphinxcontrib_aidoc.analyze._held_classes import held_classes, held_parameters
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._pass_files import WALK_FORMAT
from sphinxcontrib_aidoc.analyze._site_uses import local_reads, type_positions

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._index import ProjectIndex

#: A dotted name to resolve in its module (``("pkg", "mod", "name")``).
Path = tuple[str, ...]
#: In a used path, before the attribute a read call calls on it:
#: ``Base.__init__(self)`` gives ``("Base", CALLED, "__init__")``.
CALLED = "()"
#: First part of the path of a class named in a class table
#: (:mod:`._class_tables`), then the table's name: ``(TABLE, "TYPES", "Bool")``.
TABLE = "[]"
#: First part of the path of a class a local holds to call it
#: (:mod:`._held_classes`), then the local's key in its module.
HELD = "=()"
#: First part of the path of a class a class body binds to a plain name
#: (``context_class = Context``), then that name: its calls through the
#: instance are the class's call sites (:mod:`._class_attrs`).
CLASS_HELD = ".=()"


@dataclass(frozen=True)
class ModuleWalk:
    """What one module's nodes say beyond its frames (see module doc)."""

    #: Attribute names written other than ``self.name = value`` in a method,
    #: and constant names given to ``setattr``/``delattr``.
    written: frozenset[str] = frozenset()
    #: Whether a ``setattr``/``delattr`` names its attribute by a computed value.
    dynamic: bool = False
    #: Attribute names called or read where the reader cannot follow them.
    opened: frozenset[str] = frozenset()
    #: Names (dotted paths) used other than by a call the frames read.
    used: frozenset[Path] = frozenset()
    #: Attribute names whose value gets items (``x.name.append(...)``,
    #: ``x.name[k] = v``).
    mutated: frozenset[str] = frozenset()
    #: ``(name, class)`` of each ``self.name`` read (not called) in a method
    #: of the class: it reaches a method only if the class's own family
    #: has one of that name (the reader decides, with the whole index).
    self_read: frozenset[tuple[str, str]] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (sorted, so equal walks dump equal)."""
        return {
            "written": sorted(self.written),
            "dynamic": self.dynamic,
            "opened": sorted(self.opened),
            "used": sorted(list(p) for p in self.used),
            "mutated": sorted(self.mutated),
            "self_read": sorted(list(p) for p in self.self_read),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModuleWalk:
        """The walk :meth:`to_json` gave (KeyError/TypeError when malformed)."""
        return cls(
            frozenset(str(n) for n in data["written"]),
            bool(data["dynamic"]),
            frozenset(str(n) for n in data["opened"]),
            frozenset(tuple(str(p) for p in path) for path in data["used"]),
            frozenset(str(n) for n in data["mutated"]),
            frozenset((str(n), str(c)) for n, c in data["self_read"]),
        )


def written_names(
    every: Iterable[ast.AST], plain: set[int]
) -> tuple[frozenset[str], bool, frozenset[str]]:
    """Attribute names *every* writes other than by the targets *plain*.

    Also whether a ``setattr``/``delattr`` names its attribute by a value
    that is not a constant string (any attribute may be written), and the
    attribute names whose value gets items (``x.name.append(...)``,
    ``x.name[k] = v``).
    """
    written: set[str] = set()
    mutated: set[str] = set()
    dynamic = False
    for node in every:
        if (
            isinstance(node, ast.Attribute)
            and not isinstance(node.ctx, ast.Load)
            and id(node) not in plain
        ):
            written.add(node.attr)
        elif isinstance(node, ast.Subscript):
            if not isinstance(node.ctx, ast.Load) and isinstance(
                node.value, ast.Attribute
            ):
                mutated.add(node.value.attr)
        elif isinstance(node, ast.Attribute):
            if node.attr in MUTATORS and isinstance(node.value, ast.Attribute):
                mutated.add(node.value.attr)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "delattr")
        ):
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                written.add(name.value)
            else:
                dynamic = True
    return frozenset(written), dynamic, frozenset(mutated)


def path_of(expr: ast.expr) -> Path | None:
    """*expr* as the dotted path a name lookup follows, or None if not one."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return tuple(reversed(parts))


class ModuleWalks:
    """Each module's :class:`ModuleWalk`, walked once or kept from the last pass.

    *kept* is what the last pass left (:func:`load_walks` of :meth:`dump`):
    a module's walk is taken from it while the module's key
    (:func:`walk_key`: its text, the frames the pass reads in it, whether
    it only calls the project) is unchanged; otherwise the reader walks
    the module's nodes (:meth:`nodes`) and :meth:`record` keeps what it
    found. :meth:`bind` gives the project's index, before any question.
    """

    def __init__(
        self, kept: Mapping[str, tuple[str, ModuleWalk]] | None = None
    ) -> None:
        self._kept = dict(kept or {})
        self._index: ProjectIndex | None = None
        self._keys: dict[str, str | None] = {}
        self._written: dict[str, tuple[frozenset[str], bool, frozenset[str]]] = {}
        self._used: dict[
            str, tuple[frozenset[str], frozenset[Path], frozenset[tuple[str, str]]]
        ] = {}
        #: This pass's walks (and their keys), by module.
        self.walks: dict[str, tuple[str | None, ModuleWalk]] = {}
        #: The modules walked in this pass (the others' walks were kept).
        self.walked: set[str] = set()

    def bind(self, index: ProjectIndex) -> ModuleWalks:
        """Read the modules of *index* (one pass's); returns self."""
        self._index = index
        frames: dict[str, list[tuple[str, ...]]] = {m: [] for m in index.trees}
        for qualname, definition in index.defs.items():
            record = index.records[qualname]
            first = record.params[0].name if record.params else ""
            frames.setdefault(definition.module, []).append(
                (qualname, record.kind, first, definition.owner or "")
            )
        for module in index.trees:
            digest = index.digests.get(module)
            site = module in index.site_modules
            if site:  # the attribute reader skips them: nothing written
                self._written[module] = (frozenset(), False, frozenset())
            self._keys[module] = (
                None
                if digest is None
                else walk_key(module, digest, [*frames[module], ("<site>",) * site])
            )
        return self

    def kept(self, module: str) -> ModuleWalk | None:
        """The walk the last pass kept for *module*, if its key is unchanged."""
        if module in self.walks:
            return self.walks[module][1]
        found = self._kept.get(module)
        key = self._keys.get(module)
        if found is None or key is None or found[0] != key:
            return None
        self.walks[module] = found
        return found[1]

    def nodes(self, module: str) -> list[ast.AST]:
        """Every node of *module* (walked once per pass, shared by the readers)."""
        assert self._index is not None, "bind() first"
        return self._index.every_node(module)

    def record_written(
        self,
        module: str,
        written: frozenset[str],
        dynamic: bool,
        mutated: frozenset[str],
    ) -> None:
        """Keep what the attribute reader found walking *module*."""
        self._written[module] = (written, dynamic, mutated)
        self._complete(module)

    def record_used(
        self,
        module: str,
        opened: frozenset[str],
        used: frozenset[Path],
        self_read: frozenset[tuple[str, str]],
    ) -> None:
        """Keep what the call-site reader found walking *module*."""
        self._used[module] = (opened, used, self_read)
        self._complete(module)

    def _complete(self, module: str) -> None:
        if module in self._written and module in self._used:
            written, dynamic, mutated = self._written[module]
            opened, used, self_read = self._used[module]
            self.walked.add(module)
            walk = ModuleWalk(written, dynamic, opened, used, mutated, self_read)
            self.walks[module] = (self._keys.get(module), walk)

    def dump(self) -> str:
        """What the next pass reads back through :func:`load_walks` (JSON)."""
        return json.dumps(
            {
                "format": WALK_FORMAT,
                "modules": {
                    m: {"key": k, "walk": w.to_json()}
                    for m, (k, w) in sorted(self.walks.items())
                    if k is not None
                },
            },
            sort_keys=True,
        )


def used_names(
    every: list[ast.AST],
    covered: set[int],
    names: Container[str],
    self_reads: Mapping[int, str] | None = None,
) -> tuple[frozenset[str], frozenset[Path], frozenset[tuple[str, str]]]:
    """What *every* uses other than by the calls *covered* (their ids).

    Returns the attribute names called or read unseen (any method of that
    name may be reached), apart from the reads *self_reads* names (by id:
    ``self.name`` in a method of the class given), returned as
    ``(name, class)``; and the dotted paths of the names used other
    than by a covered call, whose first part *names* binds (a module's
    top-level names: no other path resolves to a project definition); the
    owner of a covered ``owner.name(...)`` is recorded with what is called
    on it (:data:`CALLED`), a class named in a class table with the
    table's name (:data:`TABLE`), a class a local holds to call with the
    local's key (:data:`HELD`), a name a class body binds to another with
    the name bound (:data:`CLASS_HELD`).
    A name in a type position (:func:`~._site_uses.type_positions`) or
    called is not a use.
    """
    called = {id(n.func) for n in every if isinstance(n, ast.Call)}
    called.update(type_positions(every))
    module = next((n for n in every if isinstance(n, ast.Module)), None)
    tables = {} if module is None else class_tables(module, every)
    held: dict[int, str] = {}
    for node in every:
        if isinstance(node, FUNCTIONS):
            chosen = {**held_classes(node), **held_parameters(node)}
            for name, leaves in chosen.items():
                key = f"{node.lineno}:{node.col_offset}:{name}"
                held.update((id(leaf), key) for leaf in leaves)
    called.update(local_reads(every))  # a local name, not the module's
    #: Names handed on only if the table is, called through the local, or
    #: maybe only called through the class attribute: by id, their marks.
    marked = {i: (CLASS_HELD, name) for i, name in _class_bound(every).items()}
    marked.update((i, (HELD, key)) for i, key in held.items())
    marked.update((i, (TABLE, table)) for i, table in tables.items())
    #: What a read call's ``owner.name(...)`` calls on its owner, by owner id.
    owners = {
        id(n.func.value): n.func.attr
        for n in every
        if isinstance(n, ast.Call)
        and id(n) in covered
        and isinstance(n.func, ast.Attribute)
    }
    opened: set[str] = set()
    used: set[Path] = set()
    self_read: set[tuple[str, str]] = set()
    reads = self_reads or {}
    for node in every:
        if isinstance(node, ast.Call) and id(node) not in covered:
            target: ast.expr = node.func
        elif (
            isinstance(node, (ast.Name, ast.Attribute))
            and isinstance(node.ctx, ast.Load)
            and id(node) not in called
        ):
            target = node
        else:
            continue
        if isinstance(target, ast.Attribute):
            owner = reads.get(id(target)) if target is node else None
            _open(target, owner, opened, self_read)
        path = path_of(target)
        if path is not None and path[0] in names:
            attr = owners.get(id(target))
            mark = marked.get(id(target))
            if mark is not None:
                used.add((*mark, *path))
            else:
                used.add(path if attr is None else (*path, CALLED, attr))
    return frozenset(opened), frozenset(used), frozenset(self_read)


def _open(
    target: ast.Attribute,
    owner: str | None,
    opened: set[str],
    self_read: set[tuple[str, str]],
) -> None:
    """Record an attribute called or read unseen (*owner*: read on its class's ``self``)."""
    if owner is not None:
        self_read.add((target.attr, owner))
    else:
        opened.add(target.attr)


def _class_bound(every: list[ast.AST]) -> dict[int, str]:
    """The names class bodies bind to another name: the value's id, to *name*."""
    return {
        id(value): name
        for node in every
        if isinstance(node, ast.ClassDef)
        for name, value in class_bindings(node)
        if isinstance(value, (ast.Name, ast.Attribute))
    }


def resolve_path(index: ProjectIndex, module: str, path: Path) -> str | None:
    """What *path* stands for in *module* (as :meth:`ProjectIndex.resolve`)."""
    found = index.lookup(module, path[0])
    for part in path[1:]:
        if found is None or found not in index.scopes:
            return None
        found = index.lookup(found, part)
    return found


def load_walks(text: str | None) -> dict[str, tuple[str, ModuleWalk]]:
    """The walks :meth:`ModuleWalks.dump` gave, by module (empty if unreadable)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
        if data.get("format") != WALK_FORMAT:
            return {}
        return {
            str(m): (str(v["key"]), ModuleWalk.from_json(v["walk"]))
            for m, v in data["modules"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def walk_key(module: str, digest: str, frames: Iterable[tuple[str, ...]]) -> str:
    """The key of a module's walk: its name, text and the frames read in it."""
    text = json.dumps([WALK_FORMAT, module, digest, sorted(frames)])
    return hashlib.sha256(text.encode()).hexdigest()
