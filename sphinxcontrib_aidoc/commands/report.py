"""``aidoc report``: score the docstrings of Python files, without Sphinx.

Fast enough for a pre-commit hook: by default the code is read with
Python's :mod:`ast` (the ``ast`` engine: no astroid, no inference), and the
process neither imports openai, sqlite-utils nor astroid. ``--engine
astroid`` reads it with astroid and inference instead, as the Sphinx build
does: types of unannotated code are inferred, at several times the cost.
"""

from __future__ import annotations

import argparse
import gc
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
from sphinxcontrib_aidoc.config import STYLES
from sphinxcontrib_aidoc.diagnostics import StderrReporter

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze import Engine
    from sphinxcontrib_aidoc.quality import Score, Summary

COVERAGE_MODES = ("aidoc", "interrogate")
#: ``--engine`` choices (see :mod:`sphinxcontrib_aidoc.analyze`); ast is the default.
ENGINES = ("ast", "astroid")


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``report`` subcommand."""
    rep = commands.add_parser(
        "report",
        help="score the docstrings of Python files (no Sphinx)",
        description="Analyse Python files and score every public object's "
        "docstring: completeness, accuracy, style, clarity, with finding codes. "
        "Exit status 1 when a threshold is not met.",
    )
    rep.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    rep.add_argument(
        "--json",
        action="store_true",
        help="print one JSON record per object, and nothing else",
    )
    rep.add_argument(
        "--fail-under",
        type=_percent,
        metavar="N",
        help="exit 1 when the mean overall score is below N",
    )
    rep.add_argument(
        "--coverage-fail-under",
        type=_percent,
        metavar="N",
        help="exit 1 when docstring coverage (%%) is below N",
    )
    rep.add_argument(
        "--select",
        type=_codes,
        default=(),
        metavar="CODES",
        help="comma-separated codes or prefixes to check (AID1,AID304)",
    )
    rep.add_argument(
        "--ignore",
        type=_codes,
        default=(),
        metavar="CODES",
        help="comma-separated codes or prefixes not to check",
    )
    rep.add_argument("--style", choices=STYLES, help="default: aidoc_style, google")
    rep.add_argument(
        "--private",
        action="store_true",
        help="also score private and special objects (_name, __name__)",
    )
    rep.add_argument(
        "--coverage",
        choices=COVERAGE_MODES,
        default="aidoc",
        help="'aidoc' (default): scored objects with a docstring; 'interrogate': "
        "count modules and every function and class as interrogate does",
    )
    rep.add_argument(
        "--engine",
        choices=ENGINES,
        help="'ast' (default): read the code with Python's ast, fast, types from "
        "annotations and literals only; 'astroid': astroid with inference, "
        "as the Sphinx build does (infers types of unannotated code), slower",
    )
    rep.add_argument(
        "--infer-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="wall-clock seconds of astroid inference per object (default 10;"
        " implies --engine "
        "astroid); 0 skips inference: types come from annotations and default "
        "values only",
    )
    rep.add_argument(
        "-v", "--verbose", action="store_true", help="list every finding's message"
    )
    add_conf_option(rep)
    rep.set_defaults(func=cmd_report)


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        msg = f"{text!r} is not a number"
        raise argparse.ArgumentTypeError(msg) from None
    if not 0 <= value <= 100:
        msg = f"{text} is not between 0 and 100"
        raise argparse.ArgumentTypeError(msg)
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        msg = f"{text!r} is not a number of seconds"
        raise argparse.ArgumentTypeError(msg)
    return value


def _codes(text: str) -> tuple[str, ...]:
    from sphinxcontrib_aidoc.quality import CODES

    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    unknown = [c for c in codes if not any(k.startswith(c) for k in CODES)]
    if unknown:
        msg = f"unknown finding code(s): {', '.join(unknown)}"
        raise argparse.ArgumentTypeError(msg)
    return codes


#: Garbage collector thresholds while reporting (Python's are 700, 10, 10).
#: Analysis allocates millions of long-lived objects (astroid's above all);
#: collecting after every 700 made a third of the astroid engine's time.
_GC_THRESHOLDS = (50_000, 20, 100)


def cmd_report(args: argparse.Namespace) -> int:
    """``aidoc report``: analyse, score, print, apply the thresholds."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        return _report(args)
    finally:
        gc.set_threshold(*thresholds)


def _report(args: argparse.Namespace) -> int:
    if args.engine == "ast" and args.infer_timeout is not None:
        sys.stderr.write("aidoc: --infer-timeout needs --engine astroid\n")
        return 2
    astroid = args.engine == "astroid" or args.infer_timeout is not None
    engine: Engine = "astroid" if astroid else "ast"
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        sys.stderr.write(f"aidoc: no such file or directory: {', '.join(missing)}\n")
        return 2
    try:
        # Reads a conf.py only with -c: without it, no Sphinx is imported.
        settings = load_settings(args, {"style": args.style})
    except ConfError as exc:
        return usage_error(exc)
    config = settings.config
    from sphinxcontrib_aidoc.analyze import analyze_paths
    from sphinxcontrib_aidoc.quality import (
        DocstringEvaluator,
        evaluate_infos,
        gate_failures,
        interrogate_coverage,
        summarize,
    )

    timeout = config.infer_timeout if args.infer_timeout is None else args.infer_timeout
    # Without inference every object "gives up" at once: not worth a warning.
    quiet = frozenset({"infer"}) if timeout == 0 else frozenset()
    reporter = StderrReporter(suppress=quiet)
    evaluator = DocstringEvaluator(
        config.style,
        config.quality_weights,
        select=args.select,
        ignore=args.ignore,
    )
    infos = analyze_paths(
        args.paths,
        reporter=reporter,
        calls=False,
        infer_timeout=timeout,
        infer_steps=config.infer_steps,
        engine=engine,
    )
    scores = evaluate_infos(
        evaluator, infos, private=args.private, class_content=settings.class_content
    )
    project = summarize(scores)
    coverage = project.coverage
    if args.coverage == "interrogate":
        coverage = interrogate_coverage(args.paths).percent
    if args.json:
        for score in scores:
            sys.stdout.write(json.dumps(score.to_json(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(
            render_report(scores, project, coverage, args.coverage, args.verbose)
        )
    fail_under = config.fail_under if args.fail_under is None else args.fail_under
    coverage_under = args.coverage_fail_under
    if coverage_under is None:
        coverage_under = config.coverage_fail_under
    failures = gate_failures(
        project.mean,
        coverage,
        fail_under,
        coverage_under,
        names=("--fail-under", "--coverage-fail-under"),
    )
    for failure in failures:
        sys.stderr.write(f"aidoc: {failure}\n")
    # The process exits next: move the analysis' large object graph (astroid's
    # above all) out of the collector's reach, so interpreter shutdown does not
    # traverse it (on a 13,000-line project that saves 1.5 s of a 5 s run).
    gc.freeze()
    return 1 if failures else 0


def render_report(
    scores: list[Score],
    project: Summary,
    coverage: float,
    mode: str = "aidoc",
    verbose: bool = False,
) -> str:
    """Return the readable report: objects, then modules and the project."""
    from sphinxcontrib_aidoc.quality import summarize_modules

    out: list[str] = []
    width = max((len(s.qualname) for s in scores), default=6)
    current = None
    for score in scores:
        if score.file != current:
            current = score.file
            out.append(f"{current}")
        flag = " (generated)" if score.generated else ""
        codes = " ".join(score.codes)
        out.append(
            f"  {score.overall:>3}  {score.kind:<12} cc {score.complexity:<3} "
            f"{score.qualname:<{width}}  {codes}{flag}".rstrip()
        )
        if verbose:
            out.extend(
                f"       {score.file}:{f.line}: {f.code} {f.message}"
                for f in score.findings
            )
    out.append("")
    out.extend(_aggregate_table([*summarize_modules(scores), project]))
    out.append("")
    label = "coverage (interrogate)" if mode == "interrogate" else "coverage"
    out.append(
        f"{label}: {coverage:.1f}%  mean: {project.mean:.1f}  "
        f"objects: {project.objects}"
    )
    if project.codes:
        out.append("findings: " + ", ".join(f"{c} {n}" for c, n in project.codes))
    return "\n".join(out) + "\n"


def _aggregate_table(summaries: list[Summary]) -> list[str]:
    from sphinxcontrib_aidoc.quality import BUCKETS

    width = max([len(s.name) for s in summaries] + [7])
    buckets = "".join(f"{label:>8}" for label, _, _ in BUCKETS)
    rows = [
        f"{'module':<{width}}  {'objects':>7}  {'coverage':>8}  {'mean':>5}{buckets}"
    ]
    for summary in summaries:
        name = summary.name or "project"
        counts = "".join(f"{n:>8}" for n in summary.distribution)
        rows.append(
            f"{name:<{width}}  {summary.objects:>7}  {summary.coverage:>7.1f}%  "
            f"{summary.mean:>5.1f}{counts}"
        )
    return rows
