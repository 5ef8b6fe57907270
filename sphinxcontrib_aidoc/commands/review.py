"""``aidoc review``: list generated docstrings that wait for a person, and decide.

Reads the last successful build: its generated docstrings (as shown), the
analysis of their code (for the code's hash and the quality score) and the
decisions recorded so far. An object is ``new`` until someone accepts,
edits or rejects its text, and ``new`` again when its code changes (or, once
accepted, when its generated text changes). Decisions are non-interactive
flags, so CI and scripts can record them.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    Settings,
    add_conf_option,
    add_db_option,
    load_settings,
    require_db,
    usage_error,
)

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import ObjectInfo, ObjectSnapshot
    from sphinxcontrib_aidoc.store import Review, Store


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``review`` subcommand."""
    cmd = commands.add_parser(
        "review",
        help="list generated docstrings to review; accept, edit or reject them",
        description="List the generated docstrings of the last build that are "
        "new or changed since they were reviewed, with their score and "
        "provenance; record decisions with --accept, --reject or --edit.",
    )
    cmd.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="PATTERN",
        help="accept the docstrings of objects matching this glob (repeatable)",
    )
    cmd.add_argument(
        "--reject",
        action="append",
        default=[],
        metavar="PATTERN",
        help="reject them: not shown, not written, until the code changes",
    )
    cmd.add_argument(
        "--edit", metavar="QUALNAME", help="replace one object's text with --text-file"
    )
    cmd.add_argument(
        "--text-file",
        type=Path,
        metavar="FILE",
        help="the reviewed docstring for --edit ('-': stdin)",
    )
    cmd.add_argument(
        "--forget",
        action="append",
        default=[],
        metavar="PATTERN",
        help="delete the decisions about matching objects",
    )
    cmd.add_argument(
        "--all", action="store_true", help="list every generated docstring"
    )
    cmd.add_argument("--json", action="store_true", help="one JSON record per line")
    add_db_option(cmd)
    add_conf_option(cmd)
    cmd.set_defaults(func=cmd_review)


@dataclass(frozen=True, slots=True)
class Item:
    """One generated docstring of the last build and its review state."""

    snapshot: ObjectSnapshot
    state: str
    source_hash: str
    text_hash: str
    score: int | None
    provider: str
    model: str
    review: Review | None

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` record."""
        return {
            "qualname": self.snapshot.qualname,
            "state": self.state,
            "score": self.score,
            "source": self.snapshot.source,
            "provider": self.provider,
            "model": self.model,
            "file": self.snapshot.file,
            "lineno": self.snapshot.lineno,
            "docstring": self.snapshot.docstring,
            "decided_at": self.review.decided_at if self.review else None,
        }


def cmd_review(args: argparse.Namespace) -> int:
    """``aidoc review``: list, then record what the flags decide."""
    from sphinxcontrib_aidoc.store import Store, StoreError

    if bool(args.edit) != bool(args.text_file):
        sys.stderr.write("aidoc review: --edit QUALNAME needs --text-file FILE\n")
        return 2
    try:
        settings = load_settings(args, discover=True)
        db = require_db(settings, "review")
    except ConfError as exc:
        return usage_error(exc)
    if not db.is_file():
        sys.stderr.write(f"aidoc review: no database at {db}: run a build first\n")
        return 2
    deciding = bool(args.accept or args.reject or args.edit or args.forget)
    try:
        with Store.open(db, create=False, readonly=not deciding) as store:
            items = review_items(store, settings)
            if deciding:
                return _decide(store, items, args)
    except StoreError as exc:
        sys.stderr.write(f"aidoc review: {exc}\n")
        return 2
    shown = [i for i in items if args.all or i.state == "new"]
    for item in shown:
        if args.json:
            sys.stdout.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_listing(item))
    counts = {s: sum(i.state == s for i in items) for s in _ORDER}
    sys.stderr.write(
        "aidoc review: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + "\n"
    )
    return 0


_ORDER = ("new", "accepted", "edited", "rejected")


def review_items(store: Store, settings: Settings) -> list[Item]:
    """Return the generated docstrings of the last successful build."""
    from sphinxcontrib_aidoc.quality import DocstringEvaluator
    from sphinxcontrib_aidoc.store import text_hash

    build = store.last_build(status="ok")
    if build is None:
        return []
    infos = _analysed(store)
    reviews = store.reviews()
    providers = _providers(store)
    evaluator = DocstringEvaluator.from_config(settings.config)
    items: list[Item] = []
    for snapshot in store.snapshot(int(build["id"])):
        review = reviews.get(snapshot.qualname)
        # A rejected docstring is no longer generated (the build honours the
        # rejection) but its decision is still listed.
        rejected = review is not None and review.state == "rejected"
        if not snapshot.generated and not rejected:
            continue
        info = infos.get(snapshot.qualname)
        source_hash = info.source_hash if info else ""
        digest = text_hash(snapshot.docstring)
        state = review.state_for(source_hash, digest) if review else "new"
        score = None
        if info is not None:
            score = evaluator.evaluate(info, snapshot.docstring, generated=True).overall
        provider, model = providers.get(snapshot.qualname, ("offline", ""))
        items.append(
            Item(snapshot, state, source_hash, digest, score, provider, model, review)
        )
    return items


def _analysed(store: Store) -> dict[str, ObjectInfo]:
    """The analysed objects the build kept (the ``analysis`` table)."""
    from sphinxcontrib_aidoc.analyze.persist import load

    found: dict[str, ObjectInfo] = {}
    for row in store.db.query("SELECT payload FROM analysis"):
        loaded = load(str(row["payload"]))
        if loaded is not None:
            found.update((info.qualname, info) for info in loaded[0])
    return found


def _providers(store: Store) -> dict[str, tuple[str, str]]:
    """The provider and model of each object's newest cached draft."""
    rows = store.db.query(
        "SELECT qualname, provider, model FROM cache ORDER BY last_used_at, created_at"
    )
    return {str(r["qualname"]): (str(r["provider"]), str(r["model"])) for r in rows}


def _decide(store: Store, items: list[Item], args: argparse.Namespace) -> int:

    by_name = {i.snapshot.qualname: i for i in items}
    decisions: dict[str, Review] = {}
    for state, patterns in (("accepted", args.accept), ("rejected", args.reject)):
        for pattern in patterns:
            matched = [n for n in by_name if fnmatch.fnmatchcase(n, pattern)]
            if not matched:
                sys.stderr.write(
                    f"aidoc review: {pattern!r} matches no generated docstring\n"
                )
                return 2
            for name in matched:
                decisions[name] = _decision(by_name[name], state)
    if args.edit:
        item = by_name.get(args.edit)
        if item is None:
            sys.stderr.write(f"aidoc review: {args.edit} has no generated docstring\n")
            return 2
        source = sys.stdin if str(args.text_file) == "-" else None
        text = source.read() if source else args.text_file.read_text(encoding="utf-8")
        if not text.strip():
            sys.stderr.write("aidoc review: the edited text is empty\n")
            return 2
        decisions[args.edit] = _decision(item, "edited", _clean(text))
    forgotten = [
        n for n in by_name if any(fnmatch.fnmatchcase(n, p) for p in args.forget)
    ]
    recorded = store.review_record(list(decisions.values()))
    gone = store.review_forget(forgotten)
    for review in decisions.values():
        sys.stderr.write(f"aidoc review: {review.qualname}: {review.state}\n")
    sys.stderr.write(f"aidoc review: recorded {recorded}, forgot {gone}\n")
    return 0


def _decision(item: Item, state: str, text: str = "") -> Review:
    from sphinxcontrib_aidoc.store import Review

    return Review(
        qualname=item.snapshot.qualname,
        state=state,
        source_hash=item.source_hash,
        text_hash=item.text_hash,
        text=text,
        provider=item.provider,
        model=item.model,
        score=item.score,
    )


def _clean(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


def _listing(item: Item) -> str:
    snap = item.snapshot
    score = "-" if item.score is None else str(item.score)
    origin = item.provider + (f"/{item.model}" if item.model else "")
    head = (
        f"{item.state:<8} {score:>3}  {snap.qualname}  [{snap.source}, {origin}]  "
        f"{snap.file}:{snap.lineno}"
    )
    body = "\n".join(f"    {line}".rstrip() for line in snap.docstring.splitlines())
    return f"{head}\n{body}\n\n"
