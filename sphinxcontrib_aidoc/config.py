"""AidocConfig: every ``aidoc_*`` setting, typed, with defaults and help.

The same object configures the Sphinx extension (each field becomes the
``aidoc_<field>`` config value) and the command line. Values may come as
Python objects (``conf.py``) or as strings (``sphinx-build -D``, the CLI):
:func:`AidocConfig.from_mapping` converts both the same way. Bad values never
abort: each reports one ``config`` diagnostic naming the setting, the value
given and the value used instead. A bad quality gate is an error (the build
fails) rather than a gate silently switched off.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.limits import DEFAULT_STEPS, DEFAULT_TIMEOUT
from sphinxcontrib_aidoc.values import InvalidValueError, convert

STYLES = ("google", "numpy", "rest")
MODES = ("missing", "augment", "off")
PROVIDERS = ("auto", "azure", "openai", "offline")

#: Default weights of the overall quality score.
DEFAULT_WEIGHTS: dict[str, float] = {
    "completeness": 0.4,
    "accuracy": 0.3,
    "style": 0.15,
    "clarity": 0.15,
}


def _meta(
    help_text: str,
    *,
    rebuild: str = "env",
    choices: tuple[str, ...] = (),
    minimum: float | None = None,
    maximum: float | None = None,
    types: tuple[type, ...] = (),
    gate: bool = False,
) -> dict[str, Any]:
    return {
        "help": help_text,
        "rebuild": rebuild,
        "choices": choices,
        "minimum": minimum,
        "maximum": maximum,
        "types": types,
        "gate": gate,
    }


@dataclass(frozen=True, slots=True)
class AidocConfig:
    """All settings; field ``x`` is the Sphinx config value ``aidoc_x``."""

    mode: str = field(
        default="missing",
        metadata=_meta(
            "What to generate: 'missing' fills empty docstrings, 'augment' also "
            "adds missing sections to partial ones, 'off' disables generation.",
            choices=MODES,
        ),
    )
    style: str = field(
        default="google",
        metadata=_meta(
            "Style of docstrings written outside Sphinx (aidoc generate): "
            "'google', 'numpy' or 'rest'. Inside a Sphinx build generated text "
            "is always Sphinx info fields.",
            choices=STYLES,
        ),
    )
    mark_generated: bool = field(
        default=True,
        metadata=_meta("Show a visible 'generated' note on generated docstrings."),
    )
    undoc_members: bool = field(
        default=True,
        metadata=_meta(
            "Show public undocumented members even without :undoc-members: "
            "(aidoc documents them); False leaves member selection to autodoc.",
        ),
    )
    exclude: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            "Qualified-name patterns (fnmatch) of objects aidoc never drafts "
            "for, e.g. 'pkg.internal.*'.",
            types=(list, tuple),
        ),
    )
    db: str = field(
        default="_aidoc/aidoc.db",
        metadata=_meta(
            "SQLite database (generation cache, history, and the analyses and source "
            "parses a later build reuses), relative to conf.py.",
            rebuild="",
        ),
    )
    provider: str = field(
        default="auto",
        metadata=_meta(
            "Prose provider: 'auto' (azure when its variables are set, else "
            "offline), 'azure', 'openai' or 'offline'.",
            choices=PROVIDERS,
        ),
    )
    azure_deployment: str = field(
        default="",
        metadata=_meta("Azure OpenAI deployment name (else $AZURE_OPENAI_DEPLOYMENT)."),
    )
    model: str = field(
        default="gpt-4o-mini",
        metadata=_meta("Model name for OpenAI-compatible providers."),
    )
    infer_steps: int = field(
        default=DEFAULT_STEPS,
        metadata=_meta(
            "Steps of astroid inference work allowed per object before giving"
            " up (work, not time: the same on every machine).",
            rebuild="",
            minimum=0,
        ),
    )
    infer_timeout: float = field(
        default=DEFAULT_TIMEOUT,
        metadata=_meta(
            "Wall-clock seconds of astroid inference per object: a safety net;"
            " a result it cuts short is not kept between builds.",
            rebuild="",
            minimum=0.01,
            types=(int, float),
        ),
    )
    concurrency: int = field(
        default=8,
        metadata=_meta(
            "Concurrent provider requests.", rebuild="", minimum=1, maximum=256
        ),
    )
    requests_per_minute: int | None = field(
        default=None,
        metadata=_meta(
            "Client-side request rate limit.", rebuild="", minimum=1, types=(int,)
        ),
    )
    tokens_per_minute: int | None = field(
        default=None,
        metadata=_meta(
            "Client-side token rate limit.", rebuild="", minimum=1, types=(int,)
        ),
    )
    max_tokens_per_build: int | None = field(
        default=None,
        metadata=_meta(
            "Stop calling the provider after this many tokens in one build.",
            rebuild="",
            minimum=1,
            types=(int,),
        ),
    )
    budget: float | None = field(
        default=None,
        metadata=_meta(
            "Stop calling the provider once the estimated cost reaches this.",
            rebuild="",
            minimum=0,
            types=(int, float),
        ),
    )
    price_per_1k_input: float = field(
        default=0.00015,
        metadata=_meta(
            "Price of 1,000 prompt tokens (for budget and reports).",
            rebuild="",
            minimum=0,
            types=(int, float),
        ),
    )
    price_per_1k_output: float = field(
        default=0.0006,
        metadata=_meta(
            "Price of 1,000 completion tokens.",
            rebuild="",
            minimum=0,
            types=(int, float),
        ),
    )
    max_prompt_tokens: int = field(
        default=3000,
        metadata=_meta(
            "Token budget of one request's prompt; long sources are cut.",
            minimum=200,
        ),
    )
    request_timeout: float = field(
        default=60.0,
        metadata=_meta(
            "Seconds before a provider request times out.",
            rebuild="",
            minimum=0.1,
            types=(int, float),
        ),
    )
    max_retries: int = field(
        default=4,
        metadata=_meta(
            "Retries per request on 429, 5xx and timeouts.", rebuild="", minimum=0
        ),
    )
    circuit_breaker: int = field(
        default=5,
        metadata=_meta(
            "Consecutive failed requests after which the build stops calling "
            "the provider and falls back offline.",
            rebuild="",
            minimum=1,
        ),
    )
    fail_under: float | None = field(
        default=None,
        metadata=_meta(
            "Fail the build when the mean overall quality score is below this.",
            rebuild="",
            minimum=0,
            maximum=100,
            types=(int, float),
            gate=True,
        ),
    )
    coverage_fail_under: float | None = field(
        default=None,
        metadata=_meta(
            "Fail the build when docstring coverage (%) is below this.",
            rebuild="",
            minimum=0,
            maximum=100,
            types=(int, float),
            gate=True,
        ),
    )
    quality_weights: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS),
        metadata=_meta(
            "Weights of the overall quality score.", rebuild="", types=(dict,)
        ),
    )
    changelog_page: str = field(
        default="API changelog",
        metadata=_meta(
            "Title of the standalone changelog page; '' to not write it.",
            rebuild="",
        ),
    )
    history_keep: int | None = field(
        default=None,
        metadata=_meta(
            "Builds of history 'aidoc db prune' keeps by default; None keeps all.",
            rebuild="",
            minimum=1,
            types=(int,),
        ),
    )
    xrefs: bool = field(
        default=True,
        metadata=_meta("Add 'Called by' and 'Calls' lines to API entries."),
    )
    freeze_gc: bool = field(
        default=True,
        metadata=_meta(
            "Keep what the build has read out of Python's garbage collector's"
            " full collections until the build ends (gc.freeze).",
            rebuild="",
        ),
    )
    max_wait: float = field(
        default=60.0,
        metadata=_meta(
            "Longest single wait for a provider (Retry-After, backoff); a "
            "server asking for longer stops the provider for the build.",
            rebuild="",
            minimum=0.1,
            types=(int, float),
        ),
    )
    provider_deadline: float | None = field(
        default=1800.0,
        metadata=_meta(
            "Seconds the provider stage of one build may take; the rest is "
            "written offline (None: no deadline).",
            rebuild="",
            minimum=1,
            types=(int, float),
        ),
    )
    objects_per_request: int = field(
        default=4,
        metadata=_meta(
            "Most small objects of one module asked for in one provider "
            "request (1: one object a request).",
            rebuild="",
            minimum=1,
            maximum=16,
        ),
    )
    batch_threshold: int | None = field(
        default=None,
        metadata=_meta(
            "Send a build's objects through the provider's batch API when more "
            "than this many need prose (None: never).",
            rebuild="",
            minimum=1,
            types=(int,),
        ),
    )

    @classmethod
    def from_mapping(
        cls, values: dict[str, Any], reporter: Reporter | None = None
    ) -> AidocConfig:
        """Build from ``{field: value}``; values may be objects or strings.

        A bad value reports one ``config`` diagnostic and the default is used;
        a bad quality gate (``gate`` in the field's metadata) is reported as
        an error, for the caller to fail the run. Keys that are not fields
        are ignored.
        """
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for f in dataclasses.fields(cls):
            if f.name not in values:
                continue
            value = values[f.name]
            default = getattr(defaults, f.name)
            try:
                kwargs[f.name] = convert(f.metadata, value, default)
            except InvalidValueError as exc:
                if reporter is not None:
                    reporter.report(_invalid(f, default, str(exc)))
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{field: value}``."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


#: Field names, for "did you mean" hints on unknown ``aidoc_*`` names.
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(AidocConfig))


def _invalid(f: dataclasses.Field[Any], default: Any, reason: str) -> Diagnostic:  # noqa: ANN401
    name = f"aidoc_{f.name}"
    if f.metadata["gate"]:
        return Diagnostic(
            "config",
            f"{name}: {reason}; the gate cannot be checked, so the build fails",
            level="error",
        )
    return Diagnostic("config", f"{name}: {reason}; using the default {default!r}")
