"""Complete a human docstring without changing a single one of its lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.styles._parse import (
    Layout,
    Section,
    detect_style,
    parse_layout,
)
from sphinxcontrib_aidoc.styles._registry import get_style
from sphinxcontrib_aidoc.styles._text import indent_of, min_indent, plain_name
from sphinxcontrib_aidoc.styles.base import (
    SECTION_ORDER,
    DocstringStyle,
    outline,
    param_note,
    with_note,
)
from sphinxcontrib_aidoc.styles.escape import rst_draft

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo


def _short(name: str) -> str:
    return plain_name(name).rpartition(".")[2]


def _indented(lines: list[str], indent: int) -> list[str]:
    pad = " " * indent
    return [pad + line if line else "" for line in lines]


class _Plan:
    """Insertions into the original lines, keyed by line index."""

    def __init__(self, lines: list[str], layout: Layout, fields: bool) -> None:
        self.lines = lines
        self.layout = layout
        #: Whether added sections are reST fields (kept together, no blanks).
        self.fields = fields
        self.entries: dict[int, list[str]] = {}
        self.sections: dict[int, list[list[str]]] = {}

    def _in_fields(self, index: int) -> bool:
        """Whether line *index* belongs to a reST field list."""
        return self.layout.style == "rest" and any(
            s.kind in SECTION_ORDER and s.start <= index < s.end
            for s in self.layout.sections
        )

    def apply(self) -> list[str]:
        """Return the original lines with the insertions in place."""
        out: list[str] = []
        for index in range(len(self.lines) + 1):
            out.extend(self.entries.get(index, []))
            blocks = self.sections.get(index, [])
            for number, block in enumerate(blocks):
                after_fields = bool(number) or self._in_fields(index - 1)
                if out and out[-1].strip() and not (self.fields and after_fields):
                    out.append("")
                out.extend(block)
            following = self.lines[index] if index < len(self.lines) else ""
            if blocks and following.strip() and not self._in_fields(index):
                out.append("")
            if index < len(self.lines):
                out.append(following)
        return out


def _end_of_text(lines: list[str]) -> int:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return end


def _new_section_at(layout: Layout, kind: str, lines: list[str]) -> int:
    """Where a new *kind* section goes: before a later one, else at the end."""
    order = SECTION_ORDER[kind]
    for section in layout.sections:
        # A new params section goes before Keyword Args / Other Parameters.
        later = SECTION_ORDER.get(section.kind, -1) > order
        if later or (kind == section.kind == "params"):
            return section.start
    return _end_of_text(lines)


def _target(layout: Layout, kind: str, lines: list[str]) -> Section | None:
    """The existing section new *kind* entries go into, if any.

    Parameters never go into a ``Keyword Args`` or ``Other Parameters``
    section: without a plain one they get a new section.
    """
    for section in layout.sections:
        title = lines[section.start].strip().lower()
        if section.kind == kind and not title.startswith(("keyword", "other")):
            return section
    return None


def augment(
    lines: list[str],
    info: ObjectInfo,
    draft: Draft,
    style: str | DocstringStyle,
    *,
    follow_detected: bool = True,
) -> tuple[list[str], list[str]]:
    """Add what the human docstring *lines* leave out, keeping their text.

    Every original line is kept verbatim and in order. Missing parameters go
    at the end of the first existing parameters section (in its indentation),
    missing exceptions at the end of the existing raises section; otherwise,
    and for a missing returns or yields section, a new section is inserted
    before the first later structured section (Args, Returns, Yields, Raises
    order) or after the text, before trailing blank lines. New text follows
    the style the docstring is written in, or *style* when it shows none.

    *style* is a style name or a renderer. With *follow_detected* False new
    text is always in *style*: when the
    docstring is written in another style, what it documents is still read
    in its own style, and everything added goes after its text, in new
    sections (a reader of *style*, such as plain Sphinx for ``rest``, then
    renders the added part whatever reads the rest).

    Returns:
        The new lines and labels of what was added (``"param timeout"``,
        ``"returns"``, ``"yields"``, ``"raises KeyError"``). When nothing is
        missing the labels are empty and *lines* itself is returned.
    """
    draft = rst_draft(draft)
    fixed = style if isinstance(style, DocstringStyle) else get_style(style)
    detected = detect_style(lines) or fixed.name
    follow = follow_detected and detected != fixed.name
    renderer = get_style(detected) if follow else fixed
    layout = parse_layout(lines, detected)
    foreign = renderer.name != detected
    wanted = outline(info)
    kinds = {s.kind for s in layout.sections}
    # (kind, entries at indentation 0 for a given width, labels)
    additions: list[tuple[str, Callable[[int], list[str]], list[str]]] = []

    documented = {
        e.name.replace("\\", "").lstrip("*")
        for s in layout.sections
        if s.kind == "params"
        for e in s.entries
    }
    params = [p for p in wanted.params if p.name not in documented]
    if params:
        additions.append(
            (
                "params",
                lambda width: [
                    line
                    for p in params
                    for line in renderer.param_entry(
                        p, with_note(draft.param_doc(p.name), param_note(p)), width
                    )
                ],
                [f"param {p.display_name}" for p in params],
            )
        )
    if wanted.returns is not None and "returns" not in kinds:
        returns = wanted.returns
        said = with_note(draft.returns, wanted.returns_note)
        additions.append(
            (
                "returns",
                lambda width: renderer.returns_entry(returns, said, width),
                ["returns"],
            )
        )
    if wanted.yields is not None and "yields" not in kinds:
        yields = wanted.yields
        yielded = with_note(draft.yields, wanted.yields_note)
        additions.append(
            (
                "yields",
                lambda width: renderer.yields_entry(yields, yielded, width),
                ["yields"],
            )
        )
    raised = {_short(e.name) for s in layout.sections if s.kind == "raises"
              for e in s.entries}  # fmt: skip
    todo = [name for name in wanted.raises if _short(name) not in raised]
    if todo:
        additions.append(
            (
                "raises",
                lambda width: [
                    line
                    for name in todo
                    for line in renderer.raises_entry(
                        name, draft.raises_doc(name), width
                    )
                ],
                [f"raises {name}" for name in todo],
            )
        )

    plan = _Plan(lines, layout, fields=renderer.name == "rest")
    added: list[str] = []
    base = min_indent(lines)
    for kind, entries, labels in additions:
        existing = (
            _target(layout, kind, lines)
            if kind in ("params", "raises") and not foreign
            else None
        )
        if existing is not None:
            indent = _entry_indent(existing, renderer, lines)
            body = _indented(entries(renderer.width - indent), indent)
            plan.entries.setdefault(existing.end, []).extend(body)
        else:
            body = entries(renderer.width - renderer.entry_indent - base)
            if not body:
                continue
            where = (
                _end_of_text(lines) if foreign else _new_section_at(layout, kind, lines)
            )
            section = _indented(renderer.section(kind, body), base)
            plan.sections.setdefault(where, []).append(section)
        added.extend(labels)
    if not added:
        return lines, []
    return plan.apply(), added


def _entry_indent(section: Section, renderer: DocstringStyle, lines: list[str]) -> int:
    """Indentation for entries added to an existing *section*."""
    if section.entry_indent >= 0:
        return section.entry_indent
    return indent_of(lines[section.start]) + renderer.entry_indent
