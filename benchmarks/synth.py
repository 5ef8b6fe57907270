"""Generate a synthetic documented package of N objects (for the benchmarks).

``make_project(root, objects)`` writes ``root/synthpkg/mod_XXX.py`` modules
of about 50 objects each (functions, classes with methods and a property,
half of them undocumented, calls between modules) and a Sphinx project
(``root/docs``) with one page per module (``automodule`` with ``:members:``
and ``:undoc-members:``, so plain autodoc shows every object too).
"""

from __future__ import annotations

import random
from pathlib import Path

PER_MODULE = 50


def _function(index: int, call: str) -> str:
    doc = (
        '    """Compute the total of *values* above *floor*."""\n' if index % 2 else ""
    )
    return (
        f"def compute_{index}(values: list[int], floor: int = {index}) -> int:\n"
        f"{doc}"
        f"    if floor < 0:\n"
        f'        raise ValueError("negative floor")\n'
        f"    total = sum(v for v in values if v > floor)\n"
        f"    return total + {call}(total)\n\n\n"
    )


def _class(index: int) -> str:
    doc = '    """A record with a name and a size."""\n\n' if index % 2 else ""
    return (
        f"class Record{index}:\n"
        f"{doc}"
        "    def __init__(self, name: str, size: int = 0) -> None:\n"
        "        self.name = name\n"
        "        self.size = size\n\n"
        "    def grow(self, amount: int) -> int:\n"
        "        self.size += amount\n"
        "        return self.size\n\n"
        f'    def rename(self, name: str) -> "Record{index}":\n'
        f"        return Record{index}(name, self.size)\n\n"
        "    @property\n"
        "    def label(self) -> str:\n"
        '        return f"{self.name}:{self.size}"\n\n\n'
    )


def make_module(rng: random.Random, number: int, modules: int) -> str:
    """The source of module *number*: about :data:`PER_MODULE` objects.

    A module imports up to three modules numbered above it (the last one
    none), so imports form no cycle and chains stay short (about ln N
    modules deep); random imports across all modules made chains so deep at
    400 modules that Python's import hit its recursion limit and plain
    autodoc could not import most modules.
    """
    imports = (
        sorted({rng.randrange(number + 1, modules) for _ in range(3)})
        if number + 1 < modules
        else [number]
    )
    parts = [f'"""Synthetic module {number}."""\n\n']
    parts.extend(f"from synthpkg import mod_{i:03d}\n" for i in imports if i != number)
    parts.append("\n\n")
    parts.append(f"def helper_{number}(value: int) -> int:\n    return value + 1\n\n\n")
    # 5 objects per class (class, 3 methods, property): 25 in classes,
    # 24 functions and the helper make 50.
    parts.extend(_class(index) for index in range(5))
    for index in range(24):
        other = rng.choice(imports)
        call = (
            f"mod_{other:03d}.helper_{other}" if other != number else f"helper_{number}"
        )
        parts.append(_function(index, call))
    return "".join(parts)


def make_project(root: Path, objects: int, seed: int = 7) -> Path:
    """Write the package and its docs under *root*; return the docs dir."""
    rng = random.Random(seed)
    modules = max(1, objects // PER_MODULE)
    package = root / "synthpkg"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""Synthetic package."""\n', encoding="utf-8")
    for number in range(modules):
        path = package / f"mod_{number:03d}.py"
        path.write_text(make_module(rng, number, modules), encoding="utf-8")
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "conf.py").write_text(
        "import os, sys\n"
        "sys.path.insert(0, os.path.abspath('..'))\n"
        "project = 'synth'\n"
        "extensions = ['sphinx.ext.autodoc']\n"
        "import os as _os\n"
        "if _os.environ.get('AIDOC_BENCH_EXT'):\n"
        "    extensions.append('sphinxcontrib_aidoc')\n",
        encoding="utf-8",
    )
    pages = "\n".join(f"   mod_{n:03d}" for n in range(modules))
    (docs / "index.rst").write_text(
        f"Synthetic\n=========\n\n.. toctree::\n\n{pages}\n", encoding="utf-8"
    )
    for number in range(modules):
        title = f"synthpkg.mod_{number:03d}"
        (docs / f"mod_{number:03d}.rst").write_text(
            f"{title}\n{'=' * len(title)}\n\n.. automodule:: {title}\n"
            "   :members:\n   :undoc-members:\n",
            encoding="utf-8",
        )
    return docs
