"""``aidoc apply``: write generated docstrings into the source files.

What is written is what the build shows (the same analysis, provider,
cache and ``aidoc_style``), without the "generated" note: once written,
the docstring is the project's own, and the next build treats it as
human-written. Only objects without a docstring get one; the rest of each
file keeps every byte (see :mod:`sphinxcontrib_aidoc.writeback`).

Nothing in the written text marks it as generated: the review state in the
database (``aidoc review``) keeps that provenance, and a marker comment in
the source would outlive the first human edit and then lie.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import fnmatch
import functools
import sys
import tokenize
from collections import defaultdict
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    Settings,
    add_conf_option,
    add_db_option,
    load_settings,
    usage_error,
)
from sphinxcontrib_aidoc.config import STYLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo
    from sphinxcontrib_aidoc.store import Store
    from sphinxcontrib_aidoc.writeback import Insertion, Rewrite

SOURCES = ("any", "model", "offline")
PROVIDER_CHOICES = ("auto", "azure", "openai", "offline")


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``apply`` subcommand."""
    cmd = commands.add_parser(
        "apply",
        help="write generated docstrings into the source files",
        description="Write the docstring aidoc generates for each public object "
        "without one into the Python files given, keeping every other byte. "
        "Exit status 1 with --check when something would be written.",
    )
    cmd.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    cmd.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only objects whose dotted name matches this glob (pkg.mod.*); repeatable",
    )
    cmd.add_argument(
        "--source",
        choices=SOURCES,
        default="any",
        help="only prose written by a model, or only the offline wording",
    )
    cmd.add_argument(
        "--min-score",
        type=float,
        metavar="N",
        help="only docstrings whose quality score is at least N",
    )
    cmd.add_argument(
        "--reviewed",
        action="store_true",
        help="only docstrings accepted or edited in aidoc review",
    )
    cmd.add_argument("--style", choices=STYLES, help="default: aidoc_style")
    cmd.add_argument(
        "--provider",
        choices=PROVIDER_CHOICES,
        help="prose provider (default: aidoc_provider); 'offline' never calls "
        "a network service",
    )
    mode = cmd.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff", action="store_true", help="print a unified diff, change nothing"
    )
    mode.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when something would be written",
    )
    add_db_option(cmd, "database (cache and review state)")
    add_conf_option(cmd)
    cmd.set_defaults(func=cmd_apply)


@dataclasses.dataclass(frozen=True, slots=True)
class Planned:
    """One docstring to write: the object, its prose and its lines."""

    info: ObjectInfo
    draft: Draft | None
    #: Text decided in review (an edit), written as is; None to render.
    text: str | None = None


def cmd_apply(args: argparse.Namespace) -> int:
    """``aidoc apply``: choose, render, and write (or diff, or check)."""
    try:
        settings = load_settings(
            args, {"style": args.style, "provider": args.provider}, discover=True
        )
    except ConfError as exc:
        return usage_error(exc)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        sys.stderr.write(f"aidoc: no such file or directory: {', '.join(missing)}\n")
        return 2
    from sphinxcontrib_aidoc.store import StoreError

    try:
        store = _open_store(settings, args)
    except StoreError as exc:
        sys.stderr.write(f"aidoc apply: {exc}\n")
        return 2
    try:
        planned = plan(args, settings, store)
    finally:
        if store is not None:
            store.close()
    return _write(args, planned, settings.config.style)


def _open_store(settings: Settings, args: argparse.Namespace) -> Store | None:
    from sphinxcontrib_aidoc.store import Store, StoreError

    if settings.db is None:
        return None
    if not settings.db.is_file():
        if args.db:
            msg = f"there is no aidoc database at {settings.db}"
            raise StoreError(msg)
        return None  # conf.py names one that no build has created yet
    return Store.open(settings.db, create=False)


def plan(
    args: argparse.Namespace, settings: Settings, store: Store | None
) -> list[Planned]:
    """Return what to write, in file and line order."""
    from sphinxcontrib_aidoc.analyze import analyze_paths
    from sphinxcontrib_aidoc.diagnostics import StderrReporter
    from sphinxcontrib_aidoc.plan import decide

    config = settings.config
    whole = dataclasses.replace(config, mode="missing")  # never augments
    reporter = StderrReporter()
    reviews = store.reviews() if store is not None else {}
    todo: list[ObjectInfo] = []
    edited: dict[str, str] = {}
    for info in analyze_paths(
        args.paths,
        reporter=reporter,
        infer_timeout=config.infer_timeout,
        infer_steps=config.infer_steps,
    ):
        review = reviews.get(info.qualname)
        if not _selected(info.qualname, args.select) or (
            decide(info, whole, review=review) != "fill"
        ):
            continue
        state = review.state_for(info.source_hash) if review is not None else ""
        if args.reviewed and state not in ("accepted", "edited"):
            continue
        if review is not None and state == "edited":
            edited[info.qualname] = review.text
        todo.append(info)
    filtering = args.source != "any" or args.min_score is not None
    if args.check and not filtering:
        # Whether anything would be written: the offline text decides.
        return [Planned(i, None, edited.get(i.qualname)) for i in todo]
    drafts = _drafts([i for i in todo if i.qualname not in edited], settings, store)
    chosen = [
        Planned(info, drafts.get(info.qualname), edited.get(info.qualname))
        for info in todo
    ]
    return [p for p in chosen if _keep(p, args, config.style, config.quality_weights)]


def _selected(qualname: str, patterns: Sequence[str]) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(qualname, p) for p in patterns)


def _drafts(
    infos: list[ObjectInfo], settings: Settings, store: Store | None
) -> dict[str, Draft]:
    from sphinxcontrib_aidoc.diagnostics import StderrReporter
    from sphinxcontrib_aidoc.generate import Generator
    from sphinxcontrib_aidoc.generate.select import describe_provider, select_provider

    if not infos:
        return {}
    reporter = StderrReporter()
    recorder = functools.partial(store.record_call, None) if store else None
    provider = select_provider(settings.config, reporter, recorder)
    sys.stderr.write(describe_provider(provider) + "\n")
    generator = Generator(provider=provider, reporter=reporter, cache=store)
    return generator.drafts(infos)


def _keep(
    planned: Planned, args: argparse.Namespace, style: str, weights: dict[str, float]
) -> bool:
    from sphinxcontrib_aidoc.quality import DocstringEvaluator
    from sphinxcontrib_aidoc.styles import get_style

    draft = planned.draft
    if args.source != "any" and planned.text is None:
        by_model = draft is not None and draft.provider != "offline"
        if by_model != (args.source == "model"):
            return False
    if args.min_score is None:
        return True
    if planned.text is not None:
        text = planned.text
    elif draft is not None:
        text = "\n".join(get_style(style).render(planned.info, draft))
    else:
        return False
    score = DocstringEvaluator(style, weights).evaluate(
        planned.info, text, generated=planned.text is None
    )
    return bool(score.overall >= args.min_score)


def insertions(planned: list[Planned], style: str) -> dict[Path, list[Insertion]]:
    """Group what to write by file, as :class:`Insertion` records."""
    from sphinxcontrib_aidoc.generate.offline import offline_draft
    from sphinxcontrib_aidoc.styles import get_style
    from sphinxcontrib_aidoc.writeback import Insertion

    def render(item: Planned, width: int) -> list[str]:
        if item.text is not None:
            return item.text.splitlines()
        # Only --check (which writes nothing) leaves the draft out: the offline
        # text tells whether anything is known beyond the name.
        draft = item.draft or offline_draft(item.info)
        return get_style(style, width).render(item.info, draft)

    by_file: dict[Path, list[Insertion]] = defaultdict(list)
    for item in planned:
        by_file[Path(item.info.file)].append(
            Insertion(
                item.info.local_name,
                item.info.lineno,
                functools.partial(render, item),
            )
        )
    return dict(sorted(by_file.items()))


def _write(args: argparse.Namespace, planned: list[Planned], style: str) -> int:
    from sphinxcontrib_aidoc.writeback import rewrite_file

    files = written = 0
    for path, items in insertions(planned, style).items():
        result = rewrite_file(path, items)
        _report(path, result)
        if not result.changed:
            continue
        files += 1
        written += len(result.written)
        if args.diff:
            sys.stdout.write(unified_diff(path, result))
        elif args.check:
            for name in result.written:
                sys.stderr.write(f"{path}: would write a docstring for {name}\n")
        else:
            path.write_bytes(result.updated)
    verb = "would write" if args.diff or args.check else "wrote"
    sys.stderr.write(f"aidoc apply: {verb} {written} docstring(s) in {files} file(s)\n")
    return 1 if args.check and written else 0


def _report(path: Path, result: Rewrite) -> None:
    if result.error:
        sys.stderr.write(f"{path}: {result.error}; file left untouched\n")
    for name, reason in result.skipped:
        sys.stderr.write(f"{path}: {name}: skipped ({reason})\n")


def unified_diff(path: Path, result: Rewrite) -> str:
    """Return the unified diff of one rewritten file (text in its encoding)."""
    encoding, _ = tokenize.detect_encoding(BytesIO(result.original).readline)
    before = result.original.decode(encoding).splitlines(keepends=True)
    after = result.updated.decode(encoding).splitlines(keepends=True)
    try:
        name = path.resolve().relative_to(Path.cwd()).as_posix()
        old, new = f"a/{name}", f"b/{name}"
    except ValueError:
        old = new = path.as_posix()
    return "".join(difflib.unified_diff(before, after, old, new))
