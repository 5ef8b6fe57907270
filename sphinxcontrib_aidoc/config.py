"""AidocConfig: every ``aidoc_*`` setting, typed, with defaults and help.

The same object configures the Sphinx extension (each field becomes the
``aidoc_<field>`` config value) and the command line. Bad values never abort:
:func:`AidocConfig.from_mapping` reports a ``config`` diagnostic and keeps the
default.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter

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
) -> dict[str, Any]:
    return {
        "help": help_text,
        "rebuild": rebuild,
        "choices": choices,
        "minimum": minimum,
        "maximum": maximum,
        "types": types,
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
        metadata=_meta("Docstring style: 'google', 'numpy' or 'rest'.", choices=STYLES),
    )
    mark_generated: bool = field(
        default=True,
        metadata=_meta("Show a visible 'generated' note on generated docstrings."),
    )
    db: str = field(
        default="_aidoc/aidoc.db",
        metadata=_meta(
            "SQLite database (cache and history), relative to conf.py.", rebuild=""
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
    infer_timeout: float = field(
        default=2.0,
        metadata=_meta(
            "Seconds of astroid inference allowed per object before giving up.",
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
        ),
    )
    quality_weights: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS),
        metadata=_meta("Weights of the overall quality score.", rebuild=""),
    )
    changelog_page: str = field(
        default="API changelog",
        metadata=_meta(
            "Title of the standalone changelog page; '' to not write it.",
            rebuild="",
        ),
    )
    xrefs: bool = field(
        default=True,
        metadata=_meta("Add 'Called by' and 'Calls' lines to API entries."),
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

    @classmethod
    def from_mapping(
        cls, values: dict[str, Any], reporter: Reporter | None = None
    ) -> AidocConfig:
        """Build from ``{field: value}``; bad values report and use the default."""
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for f in dataclasses.fields(cls):
            if f.name not in values:
                continue
            value = values[f.name]
            default = getattr(defaults, f.name)
            problem = _check(f, value, default)
            if problem:
                if reporter is not None:
                    reporter.report(
                        Diagnostic(
                            "config",
                            f"aidoc_{f.name}: {problem}; using the default {default!r}",
                        )
                    )
                continue
            kwargs[f.name] = _normalise(value, default)
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{field: value}``."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def _normalise(value: Any, default: Any) -> Any:  # noqa: ANN401
    if isinstance(default, float) and isinstance(value, int):
        return float(value)
    if isinstance(value, str):
        return (
            value.strip()
            if default not in STYLES + MODES + PROVIDERS
            else (value.strip().lower())
        )
    return value


def _check(f: dataclasses.Field[Any], value: Any, default: Any) -> str:  # noqa: ANN401
    meta = f.metadata
    choices: tuple[str, ...] = meta["choices"]
    if choices:
        if not isinstance(value, str) or value.strip().lower() not in choices:
            return f"{value!r} is not one of {', '.join(choices)}"
        return ""
    if value is None:
        return "" if default is None else "None is not allowed"
    if f.name == "quality_weights":
        return _check_weights(value)
    expected: tuple[type, ...] = meta["types"] or (type(default),)
    if isinstance(value, bool) and bool not in expected:
        return f"expected {expected[0].__name__}, got {value!r}"
    if not isinstance(value, expected):
        return f"expected {expected[0].__name__}, got {value!r}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if meta["minimum"] is not None and value < meta["minimum"]:
            return f"{value!r} is below the minimum {meta['minimum']}"
        if meta["maximum"] is not None and value > meta["maximum"]:
            return f"{value!r} is above the maximum {meta['maximum']}"
    return ""


def _check_weights(value: Any) -> str:  # noqa: ANN401
    if not isinstance(value, dict):
        return f"expected a dict, got {value!r}"
    unknown = set(value) - set(DEFAULT_WEIGHTS)
    if unknown:
        return f"unknown weight(s) {', '.join(sorted(unknown))}"
    if any(not isinstance(v, (int, float)) or v < 0 for v in value.values()):
        return "weights must be non-negative numbers"
    if not sum(value.values()):
        return "weights must not all be zero"
    return ""
