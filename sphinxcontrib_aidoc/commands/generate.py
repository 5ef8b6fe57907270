"""``aidoc generate``: print the docstrings aidoc writes for Python files."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    add_conf_option,
    load_settings,
    usage_error,
)
from sphinxcontrib_aidoc.config import MODES, STYLES

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo

PROVIDER_CHOICES = ("auto", "azure", "openai", "offline", "none")


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``generate`` subcommand."""
    gen = commands.add_parser(
        "generate",
        help="print the docstrings aidoc writes for Python files",
        description="Analyse Python files with astroid and print the docstring "
        "aidoc writes for each public object that lacks one.",
    )
    gen.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    gen.add_argument("--json", action="store_true", help="one JSON record per line")
    gen.add_argument("--style", choices=STYLES, help="default: aidoc_style, google")
    gen.add_argument(
        "--mode",
        choices=MODES,
        help="'missing' (the default): objects without a docstring; 'augment': "
        "also partial docstrings",
    )
    gen.add_argument(
        "--provider",
        choices=PROVIDER_CHOICES,
        help="prose provider ('none' = offline fallback; default: aidoc_provider, "
        "auto)",
    )
    gen.add_argument(
        "--db",
        help="SQLite cache to read and fill (default: aidoc_db with -c, else none)",
    )
    gen.add_argument(
        "--all",
        action="store_true",
        help="also list documented objects (source 'human')",
    )
    gen.add_argument(
        "--call-sites",
        action="append",
        default=[],
        metavar="PATH",
        help="code that calls the analysed code (its tests): read for the types "
        "its calls pass, never documented (repeatable)",
    )
    add_conf_option(gen)
    gen.set_defaults(func=cmd_generate)


def cmd_generate(args: argparse.Namespace) -> int:
    """``aidoc generate``: analyse, draft and print."""
    from sphinxcontrib_aidoc.analyze import analyze_paths
    from sphinxcontrib_aidoc.diagnostics import StderrReporter
    from sphinxcontrib_aidoc.generate import Generator
    from sphinxcontrib_aidoc.generate.select import describe_provider, select_provider
    from sphinxcontrib_aidoc.generate.usage import ProviderUsage, summary_line
    from sphinxcontrib_aidoc.plan import decide

    provider = "offline" if args.provider == "none" else args.provider
    try:
        settings = load_settings(
            args, {"style": args.style, "mode": args.mode, "provider": provider}
        )
    except ConfError as exc:
        return usage_error(exc)
    config = settings.config
    reporter = StderrReporter()
    missing = [p for p in [*args.paths, *args.call_sites] if not Path(p).exists()]
    if missing:
        sys.stderr.write(f"aidoc: no such file or directory: {', '.join(missing)}\n")
        return 2
    infos = [
        i
        for i in analyze_paths(
            args.paths,
            reporter=reporter,
            call_sites=args.call_sites,
            infer_timeout=config.infer_timeout,
            infer_steps=config.infer_steps,
        )
        if i.is_public
    ]
    store = None
    if settings.db is not None:
        from sphinxcontrib_aidoc.store import Store, StoreError

        try:
            store = Store.open(settings.db)
        except StoreError as exc:
            sys.stderr.write(f"aidoc: {exc}\n")
            return 2
    try:
        reviews = store.reviews() if store is not None else {}
        todo = [i for i in infos if decide(i, config, review=reviews.get(i.qualname))]
        recorder = functools.partial(store.record_call, None) if store else None
        provider = select_provider(config, reporter, recorder)
        sys.stderr.write(describe_provider(provider) + "\n")
        generator = Generator(provider=provider, reporter=reporter, cache=store)
        drafts = generator.drafts(todo)
        usage = getattr(provider, "usage", None)
        if isinstance(usage, ProviderUsage):
            sys.stderr.write(summary_line(usage, generator.stats) + "\n")
    finally:
        if store is not None:
            store.close()
    for info in infos:
        draft = drafts.get(info.qualname)
        if draft is None and not args.all:
            continue
        record = generate_record(info, draft, config.style)
        if args.json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_listing(record))
    return 0


def generate_record(
    info: ObjectInfo, draft: Draft | None, style: str
) -> dict[str, object]:
    """Return the ``aidoc generate --json`` record of one object."""
    from sphinxcontrib_aidoc.styles import augment, get_style

    if draft is None:
        docstring = info.docstring or ""
        summary = docstring.strip().split("\n", 1)[0]
        source = "human"
    elif info.has_docstring:
        lines, _ = augment(
            info.docstring.splitlines() if info.docstring else [], info, draft, style
        )
        docstring, summary, source = "\n".join(lines), draft.summary, draft.source
    else:
        docstring = "\n".join(get_style(style).render(info, draft))
        summary, source = draft.summary, draft.source
    return {
        "qualname": info.qualname,
        "file": info.file,
        "lineno": info.lineno,
        "kind": info.kind,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "default": p.default,
                "inferred": p.inferred,
                "evidence": p.evidence,
            }
            for p in info.documented_params
        ],
        "returns": info.returns.to_json() if info.returns else None,
        "yields": (
            {"type": info.yields.type, "evidence": info.yields.evidence}
            if info.yields
            else None
        ),
        "raises": list(info.raises),
        "summary": summary,
        "docstring": docstring,
        "source": source,
    }


def _listing(record: dict[str, object]) -> str:
    head = f"{record['file']}:{record['lineno']}: {record['kind']} {record['qualname']}"
    body = "\n".join(
        f"    {line}" if line else "" for line in str(record["docstring"]).splitlines()
    )
    return f"{head}  [{record['source']}]\n{body}\n\n"
