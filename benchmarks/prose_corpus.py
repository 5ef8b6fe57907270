"""The docstring corpus of ``bench_prose.py``: real libraries, as written and stripped.

For each pinned library the sdist (cached under ``benchmarks/_work/sdists``;
``pip download --no-binary :all: --no-deps`` when missing) is unpacked to
``benchmarks/_work/prose/<lib>/original`` and copied to ``.../stripped``,
whose docstrings ``strip_docstrings.py`` removes. Both copies are analysed
with the astroid engine, as a build does. An :class:`Item` is one public
object: the hand-written docstring of the original copy and the docstring
the offline provider writes for the stripped copy (Google style).

Usage (a dump to read while labelling)::

    python benchmarks/prose_corpus.py --lib tomlkit [--generated|--human]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import shutil
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from sdists import sdist
from strip_docstrings import strip_tree

from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.generate.offline import offline_draft
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.quality import scored
from sphinxcontrib_aidoc.styles import get_style

WORK = HERE / "_work"
SDISTS = WORK / "sdists"
PROSE = WORK / "prose"

#: name: (pip requirement, sdist directory, package directory inside it)
LIBRARIES: dict[str, tuple[str, str, str]] = {
    "tomlkit": ("tomlkit==0.13.2", "tomlkit-0.13.2", "tomlkit"),
    "itsdangerous": ("itsdangerous==2.2.0", "itsdangerous-2.2.0", "src/itsdangerous"),
    "click": ("click==8.1.7", "click-8.1.7", "src/click"),
    "h11": ("h11==0.14.0", "h11-0.14.0", "h11"),
    "bidict": ("bidict==0.23.1", "bidict-0.23.1", "bidict"),
    "markupsafe": ("MarkupSafe==2.1.5", "MarkupSafe-2.1.5", "src/markupsafe"),
}


@dataclass(frozen=True, slots=True)
class Item:
    """One public object of a library, with both of its docstrings."""

    lib: str
    info: ObjectInfo
    #: The hand-written docstring (cleaned), "" when the library has none.
    human: str
    #: The offline docstring for the stripped object.
    generated: str
    #: The stripped object's record (what the offline provider saw).
    stripped: ObjectInfo

    @property
    def key(self) -> str:
        """``lib:qualname``: how labels name the object."""
        return f"{self.lib}:{self.info.qualname}"


def text_hash(text: str) -> str:
    """Short hash of a docstring: a label holds only for the text it judged."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _sdist(lib: str) -> Path:
    requirement, _, _ = LIBRARIES[lib]
    return sdist(requirement, SDISTS)


def prepare(lib: str) -> tuple[Path, Path]:
    """Return the package directories (original, stripped) of *lib*."""
    _, directory, package = LIBRARIES[lib]
    base = PROSE / lib
    original = base / "original"
    stripped = base / "stripped"
    if not (stripped / directory / package).is_dir():
        shutil.rmtree(base, ignore_errors=True)
        original.mkdir(parents=True)
        with tarfile.open(_sdist(lib)) as tar:
            tar.extractall(original, filter="data")
        shutil.copytree(original, stripped)
        strip_tree(stripped / directory / package)
    return original / directory / package, stripped / directory / package


def _public(info: ObjectInfo) -> bool:
    parts = info.module.split(".")
    return scored(info) and not any(p in ("tests", "test") for p in parts)


def load(lib: str) -> list[Item]:
    """Every public object of *lib* the evaluator scores, in source order."""
    original, stripped = prepare(lib)
    style = get_style("google")
    before = {i.qualname: i for i in analyze_paths([original])}
    items = []
    infos = analyze_paths([stripped])
    related = {i.qualname: i for i in infos}
    for info in infos:
        own = before.get(info.qualname)
        if own is None or not _public(info):
            continue
        draft = offline_draft(info, related)
        text = "\n".join(style.render(info, draft))
        human = inspect.cleandoc(own.docstring or "")
        items.append(Item(lib, own, human, text, info))
    return items


def main() -> None:
    """Print the corpus of one library, source and docstrings, for reading."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--lib", action="append", choices=sorted(LIBRARIES))
    parser.add_argument("--generated", action="store_true")
    parser.add_argument("--human", action="store_true")
    parser.add_argument("--source", action="store_true", help="show the code too")
    args = parser.parse_args()
    for lib in args.lib or sorted(LIBRARIES):
        for item in load(lib):
            print(f"=== {item.key} [{item.info.kind}] c={item.info.complexity}")
            if args.source:
                print(item.stripped.source)
            if args.human or not args.generated:
                print("--- human", text_hash(item.human))
                print(item.human)
            if args.generated or not args.human:
                print("--- generated", text_hash(item.generated))
                print(item.generated)


if __name__ == "__main__":
    main()
