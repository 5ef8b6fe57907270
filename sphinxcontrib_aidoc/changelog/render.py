"""A changelog as Markdown, reST, JSON or an Atom 1.0 feed (no Sphinx).

The Sphinx glue renders the same groups as docutils nodes; these renderers
serve the ``aidoc changelog`` command and the site's ``changelog.json`` and
``aidoc-changelog.atom``. Every output is deterministic: the same history
gives the same bytes.
"""

from __future__ import annotations

import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping

from sphinxcontrib_aidoc import __version__
from sphinxcontrib_aidoc.changelog._query import (
    BuildInfo,
    Changelog,
    by_build,
    by_release,
)
from sphinxcontrib_aidoc.model import ChangeEvent

#: Version of the ``changelog.json`` format.
JSON_FORMAT_VERSION = 1
ATOM_NS = "http://www.w3.org/2005/Atom"
#: At most this many builds become feed entries (the newest).
FEED_ENTRIES = 50

#: Headings of the change kinds.
KIND_LABELS: dict[str, str] = {
    "removed": "Removed",
    "signature_changed": "Changed signatures",
    "deprecated": "Deprecated",
    "added": "Added",
    "documented": "Newly documented",
    "docstring_changed": "Edited docstrings",
    "generated": "Generated docstrings",
    "regenerated": "Regenerated docstrings",
}
_SIGNATURE_KINDS = frozenset({"added", "removed", "signature_changed"})
_NAMESPACE = uuid.UUID("6f2b9a52-4d0e-5b8e-9a77-61c6e2d0a1f3")
_EMPTY = "No API changes recorded."
_ROLE = re.compile(r":[\w:.+-]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")
_LITERAL = re.compile(r"``([^`]+)``")
_INTERPRETED = re.compile(r"`([^`]+)`_{0,2}")
_EMPHASIS = re.compile(r"(\*\*|\*)([^*\s][^*]*)\1")


def release_title(release: str) -> str:
    """The heading of a release group (``Unreleased`` for an empty release)."""
    return release or "Unreleased"


def release_anchor(release: str) -> str:
    """The HTML id of a release group on the changelog page."""
    slug = re.sub(r"[^a-z0-9]+", "-", release_title(release).lower()).strip("-")
    return f"release-{slug or 'unnamed'}"


def old_and_new(event: ChangeEvent) -> tuple[str, str]:
    """The ``(before, after)`` texts worth showing (``""`` when not).

    Docstring summaries lose their reST inline markup (:func:`plain_text`).
    """
    if event.kind == "added":
        return "", event.after
    if event.kind == "removed":
        return event.before, ""
    if event.kind == "signature_changed":
        return event.before, event.after
    if event.kind == "deprecated":
        return "", ""
    before, after = plain_text(event.before), plain_text(event.after)
    if event.kind in ("documented", "generated"):
        return "", after
    if before == after:
        return "", ""
    return before, after


def plain_text(text: str) -> str:
    """Return a docstring summary without reST inline markup.

    ``:func:`~pkg.name``` and ```name``` become ``name``, ``*word*`` and
    ``**word**`` become ``word``.
    """
    text = _ROLE.sub(
        lambda m: (
            m.group(1).rpartition(".")[2] if m.group(0).count("~") else m.group(1)
        ),
        text,
    )
    text = _LITERAL.sub(r"\1", text)
    text = _INTERPRETED.sub(r"\1", text)
    return _EMPHASIS.sub(r"\2", text)


def is_code(event: ChangeEvent) -> bool:
    """Whether :func:`old_and_new` texts are signatures (else docstring summaries)."""
    return event.kind in _SIGNATURE_KINDS


# -- Markdown and reST ---------------------------------------------------


def to_markdown(log: Changelog) -> str:
    """Return the changelog as Markdown."""
    out = [f"# {log.project + ' ' if log.project else ''}API changelog", ""]
    if log.baseline is not None:
        out += [f"Changes since {describe_build(log.baseline)}.", ""]
    groups = by_release(log.events)
    if not groups:
        out += [_EMPTY, ""]
    for group in groups:
        out += [f"## {release_title(group.release)}", ""]
        for kind, events in group.kinds:
            out += [f"### {KIND_LABELS.get(kind, kind)}", ""]
            out += [f"- {_md_line(e)}" for e in events]
            out.append("")
    return "\n".join(out)


def to_rst(log: Changelog) -> str:
    """Return the changelog as reStructuredText."""
    title = f"{log.project + ' ' if log.project else ''}API changelog"
    out = [title, "=" * len(title), ""]
    if log.baseline is not None:
        out += [f"Changes since {_rst_text(describe_build(log.baseline))}.", ""]
    groups = by_release(log.events)
    if not groups:
        out += [_EMPTY, ""]
    for group in groups:
        heading = release_title(group.release)
        out += [heading, "-" * len(heading), ""]
        for kind, events in group.kinds:
            label = KIND_LABELS.get(kind, kind)
            out += [label, "~" * len(label), ""]
            out += [f"* {_rst_line(e)}" for e in events]
            out.append("")
    return "\n".join(out)


def _md_line(event: ChangeEvent) -> str:
    return _line(event, code=lambda t: f"`{t}`", text=lambda t: t)


def _rst_line(event: ChangeEvent) -> str:
    return _line(event, code=lambda t: f"``{t}``", text=_rst_text)


def _line(
    event: ChangeEvent, *, code: Callable[[str], str], text: Callable[[str], str]
) -> str:
    """One change as a list item, with *code* and *text* in the output's markup."""
    before, after = old_and_new(event)
    line = ("**breaking** " if event.breaking else "") + code(event.qualname)
    if is_code(event):
        parts = [code(p) for p in (before, after) if p]
    else:
        parts = [f"“{text(p)}”" for p in (before, after) if p]
    if parts:
        line += ": " + " → ".join(parts)
    if event.detail and event.breaking:
        line += f" ({text(event.detail)})"
    return line


def _rst_text(text: str) -> str:
    return re.sub(r"([\\`*|_\[\]])", r"\\\1", text)


def describe_build(build: BuildInfo) -> str:
    """``release 1.0.0, build 3, commit 0123456789ab`` (the parts known)."""
    parts = [f"build {build.id}"]
    if build.release:
        parts.insert(0, f"release {build.release}")
    if build.git_commit:
        parts.append(f"commit {build.git_commit[:12]}")
    return ", ".join(parts)


# -- JSON ----------------------------------------------------------------


def to_json(log: Changelog, urls: Mapping[str, str] | None = None) -> str:
    """Return the ``changelog.json`` document (sorted keys, 1-space indent).

    ``{"format_version": 1, "project": ..., "since": null | {build},
    "changes": [change...]}``; each change is
    :meth:`ChangeEvent.to_json <sphinxcontrib_aidoc.model.ChangeEvent.to_json>`
    plus ``url``: the object's page and anchor relative to the site root,
    or null when the object is gone or the URL is unknown.
    """
    urls = urls or {}
    since = None
    if log.baseline is not None:
        b = log.baseline
        since = {
            "build_id": b.id,
            "time": b.started_at,
            "release": b.release,
            "version": b.version,
            "git_commit": b.git_commit,
        }
    document = {
        "format_version": JSON_FORMAT_VERSION,
        "project": log.project,
        "since": since,
        "changes": [{**e.to_json(), "url": urls.get(e.qualname)} for e in log.events],
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# -- Atom ----------------------------------------------------------------


def to_atom(
    log: Changelog,
    *,
    base_url: str = "",
    page: str = "aidoc-changelog.html",
    feed: str = "aidoc-changelog.atom",
    author: str = "",
    urls: Mapping[str, str] | None = None,
) -> str:
    """Return an Atom 1.0 feed (RFC 4287) with one entry per build with changes.

    Entry ids are ``urn:uuid:`` values derived from the project, the build id
    and its start time, so they stay the same across rebuilds; ``updated``
    is the build's start time; the content is escaped HTML.

    Args:
        log: The changelog (usually the whole history).
        base_url: Prefix of absolute links (``html_baseurl``); links stay
            relative to the feed when empty.
        page: The changelog page, relative to *base_url*.
        feed: The feed itself, relative to *base_url*.
        author: The feed author (``author`` of conf.py; the project if empty).
        urls: Object pages by qualname, relative to *base_url*.
    """
    urls = urls or {}
    base = base_url.rstrip("/") + "/" if base_url else ""
    project = log.project or "API"
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(_q("feed"))
    _sub(root, "id", _urn(project))
    _sub(root, "title", f"{project} API changelog")
    builds = by_build(log.events)[:FEED_ENTRIES]
    newest = (
        builds[0][1][0].time if builds else (log.head.started_at if log.head else "")
    )
    _sub(root, "updated", newest or "1970-01-01T00:00:00+00:00")
    _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed)
    _sub(root, "link", rel="alternate", type="text/html", href=base + page)
    _sub(_sub(root, "author"), "name", author or project)
    _sub(root, "generator", "sphinxcontrib-aidoc", version=__version__)
    for build_id, events in builds:
        first = events[0]
        entry = _sub(root, "entry")
        _sub(entry, "id", _urn(f"{project}\nbuild {build_id}\n{first.time}"))
        _sub(entry, "title", _entry_title(first, events))
        _sub(entry, "updated", first.time or "1970-01-01T00:00:00+00:00")
        anchor = release_anchor(first.release)
        _sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=f"{base}{page}#{anchor}",
        )
        _sub(entry, "content", _entry_html(events, base, urls), type="html")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _q(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(name), attrs)
    if text:
        element.text = text
    return element


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def _entry_title(first: ChangeEvent, events: tuple[ChangeEvent, ...]) -> str:
    breaking = sum(e.breaking for e in events)
    count = f"{len(events)} API change{'s' if len(events) != 1 else ''}"
    extra = f", {breaking} breaking" if breaking else ""
    return f"{release_title(first.release)}: {count}{extra} (build {first.build_id})"


def _entry_html(
    events: tuple[ChangeEvent, ...], base: str, urls: Mapping[str, str]
) -> str:
    first = events[0]
    out = []
    if first.git_commit:
        out.append(f"<p>Commit <code>{html.escape(first.git_commit[:12])}</code></p>")
    kinds: dict[str, list[ChangeEvent]] = {}
    for event in events:
        kinds.setdefault(event.kind, []).append(event)
    for kind, members in kinds.items():
        out.append(f"<h3>{html.escape(KIND_LABELS.get(kind, kind))}</h3><ul>")
        out.extend(f"<li>{_html_line(e, base, urls)}</li>" for e in members)
        out.append("</ul>")
    return "".join(out)


def _html_line(event: ChangeEvent, base: str, urls: Mapping[str, str]) -> str:
    name = f"<code>{html.escape(event.qualname)}</code>"
    url = urls.get(event.qualname)
    if url:
        name = f'<a href="{html.escape(base + url)}">{name}</a>'
    text = ("<strong>breaking</strong> " if event.breaking else "") + name
    before, after = old_and_new(event)
    wrap = "<code>{}</code>" if is_code(event) else "“{}”"
    parts = [wrap.format(html.escape(p)) for p in (before, after) if p]
    if parts:
        text += ": " + " → ".join(parts)
    if event.detail and event.breaking:
        text += f" ({html.escape(event.detail)})"
    return text
