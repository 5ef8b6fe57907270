"""Does a new signature break callers of the old one?

Signatures are parsed with :mod:`ast` (``def _f{signature}: pass``), never
with regular expressions, so defaults such as ``"a, b"`` or ``lambda x: x``
cannot confuse the parameter list. The rules follow griffe's breakage
checks, restricted to what a caller can observe:

* a positional parameter removed, or moved to another position;
* a new required parameter (no default, not ``*args``/``**kwargs``);
* an optional parameter that became required;
* a keyword parameter removed;
* a parameter that became keyword-only or positional-only;
* ``*args`` or ``**kwargs`` removed.

A removed parameter does not break callers when the new signature accepts
it anyway through ``*args`` (positionally) and ``**kwargs`` (by keyword).
Annotations, return types and default values are not compared.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_POSONLY = "positional-only"
_POS = "positional"
_VAR_POS = "*args"
_KWONLY = "keyword-only"
_VAR_KW = "**kwargs"


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    kind: str
    has_default: bool

    @property
    def positional(self) -> bool:
        return self.kind in (_POSONLY, _POS)

    @property
    def required(self) -> bool:
        return not self.has_default and self.kind not in (_VAR_POS, _VAR_KW)


def parse_params(signature: str) -> list[_Param] | None:
    """Return the parameters of *signature*, or None if it does not parse.

    Args:
        signature: ``(a, b=1, *, c) -> int`` as analysis records it.
    """
    if not signature.startswith("("):
        return None
    try:
        tree = ast.parse(f"def _f{signature}: pass")
    except (SyntaxError, ValueError):
        return None
    func = tree.body[0] if tree.body else None
    if not isinstance(func, ast.FunctionDef):
        return None
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    params = [
        _Param(
            arg.arg,
            _POSONLY if index < len(args.posonlyargs) else _POS,
            index >= first_default,
        )
        for index, arg in enumerate(positional)
    ]
    if args.vararg is not None:
        params.append(_Param(args.vararg.arg, _VAR_POS, has_default=False))
    params.extend(
        _Param(arg.arg, _KWONLY, default is not None)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    )
    if args.kwarg is not None:
        params.append(_Param(args.kwarg.arg, _VAR_KW, has_default=False))
    return params


def breaking_reasons(old: str, new: str) -> list[str]:
    """Return why a caller of *old* may fail with *new* (empty: compatible).

    A signature that does not parse gives no reasons: aidoc only flags what
    it can show.

    Args:
        old: The signature before (``(a, b=1)``).
        new: The signature after.
    """
    before = parse_params(old)
    after = parse_params(new)
    if before is None or after is None:
        return []
    reasons: list[str] = []
    new_pos = [p for p in after if p.positional]
    by_name = {p.name: p for p in after}
    has_var_pos = any(p.kind == _VAR_POS for p in after)
    has_var_kw = any(p.kind == _VAR_KW for p in after)
    old_pos = [p for p in before if p.positional]
    for index, param in enumerate(old_pos):
        if param.kind == _POSONLY:
            reasons.extend(_check_posonly(index, param, new_pos, has_var_pos))
        else:
            reasons.extend(
                _check_positional(
                    index,
                    param,
                    other=by_name.get(param.name),
                    new_pos=new_pos,
                    has_var_pos=has_var_pos,
                    has_var_kw=has_var_kw,
                )
            )
    for param in before:
        if param.kind == _KWONLY:
            reasons.extend(_check_kwonly(param, by_name.get(param.name), has_var_kw))
    old_kinds = {p.kind for p in before}
    if _VAR_POS in old_kinds and not has_var_pos:
        reasons.append("*args removed")
    if _VAR_KW in old_kinds and not has_var_kw:
        reasons.append("**kwargs removed")
    reasons.extend(_new_required(before, after, old_pos))
    return list(dict.fromkeys(reasons))


def _check_posonly(
    index: int, param: _Param, new_pos: list[_Param], has_var_pos: bool
) -> list[str]:
    # Callers pass it by position only: the name may change, the slot may not.
    if index >= len(new_pos):
        return [] if has_var_pos else [f"positional parameter {param.name!r} removed"]
    other = new_pos[index]
    if param.has_default and not other.has_default:
        return [f"parameter {param.name!r} became required"]
    return []


def _check_positional(
    index: int,
    param: _Param,
    *,
    other: _Param | None,
    new_pos: list[_Param],
    has_var_pos: bool,
    has_var_kw: bool,
) -> list[str]:
    name = repr(param.name)
    if other is None:
        if has_var_pos and has_var_kw:
            return []
        return [f"positional parameter {name} removed"]
    if other.kind == _KWONLY:
        return [f"parameter {name} became keyword-only"]
    if other.kind == _POSONLY:
        return [f"parameter {name} became positional-only"]
    if not other.positional:
        return [f"parameter {name} became {other.kind}"]
    reasons = []
    moved_to = new_pos.index(other)
    if moved_to != index:
        reasons.append(
            f"parameter {name} moved from position {index + 1} to {moved_to + 1}"
        )
    if param.has_default and not other.has_default:
        reasons.append(f"parameter {name} became required")
    return reasons


def _check_kwonly(param: _Param, other: _Param | None, has_var_kw: bool) -> list[str]:
    name = repr(param.name)
    if other is None:
        return [] if has_var_kw else [f"keyword parameter {name} removed"]
    if other.kind == _POSONLY:
        return [f"parameter {name} became positional-only"]
    if other.kind in (_VAR_POS, _VAR_KW):
        return [f"keyword parameter {name} removed"]
    if param.has_default and not other.has_default:
        return [f"parameter {name} became required"]
    return []


def _new_required(
    before: list[_Param], after: list[_Param], old_pos: list[_Param]
) -> list[str]:
    names = {p.name for p in before}
    reasons = []
    for index, param in enumerate(p for p in after if p.positional):
        renamed_slot = index < len(old_pos) and old_pos[index].kind == _POSONLY
        if (
            param.name in names
            or not param.required
            or (param.kind == _POSONLY and renamed_slot)
        ):
            continue
        reasons.append(f"new required parameter {param.name!r}")
    reasons.extend(
        f"new required parameter {param.name!r}"
        for param in after
        if param.kind == _KWONLY and param.name not in names and param.required
    )
    return reasons
