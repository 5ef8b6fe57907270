"""How many completion tokens a request asks for, and which objects share one.

Azure OpenAI counts a request's ``max_completion_tokens`` against the
tokens-per-minute limit when it admits the request, used or not, so asking
800 for a two-line function halves the throughput for nothing.
:func:`completion_tokens` sizes the limit from what the answer must hold:
the JSON frame, a summary (at most 20 words) and a description (up to three
short sentences), and one entry per parameter, raised exception, return and
yield value (each a sentence), times :data:`MARGIN`, never below
:data:`FLOOR` nor above :data:`~.prompt.MAX_COMPLETION_TOKENS` per object.
An answer cut at the limit is asked again once with :func:`larger_limit`.

:func:`packs` groups small objects of one module into one request (see
:func:`~.prompt.build_pack`), so the instructions are sent once for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.generate.prompt import MAX_COMPLETION_TOKENS

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import ObjectInfo

#: Fewest completion tokens a request asks for.
FLOOR = 128
#: Tokens of an entry's JSON frame (keys, quotes, brackets, empty fields).
FRAME = 24
#: Tokens of a summary of at most 20 words.
SUMMARY = 32
#: Tokens of a description of up to three short sentences.
DESCRIPTION = 80
#: Tokens of one sentence about a parameter, value or exception (and its frame).
SENTENCE = 36
#: Factor over the sum above: room for longer words and a wordy model.
MARGIN = 1.25
#: A cut answer is asked again with this many times the limit.
RETRY_FACTOR = 2
#: Largest prompt (estimated tokens) of an object that shares a request.
SMALL_PROMPT_TOKENS = 600
#: Largest completion limit of a request that packs several objects.
PACK_COMPLETION_TOKENS = 2_400


def _words(text: str) -> int:
    return math.ceil(len(text) / 3)


def completion_tokens(info: ObjectInfo) -> int:
    """Return the completion tokens the answer for *info* may need."""
    need = FRAME + _words(info.qualname) + SUMMARY + DESCRIPTION
    need += sum(SENTENCE + _words(p.name) for p in info.documented_params)
    need += sum(SENTENCE + _words(r) for r in info.raises[:30])
    if info.returns is not None:
        need += SENTENCE
    if info.yields is not None:
        need += SENTENCE
    return min(MAX_COMPLETION_TOKENS, max(FLOOR, math.ceil(need * MARGIN)))


def pack_completion_tokens(infos: Sequence[ObjectInfo]) -> int:
    """Return the completion tokens of a request for all *infos*."""
    return 8 + sum(completion_tokens(info) for info in infos)


def larger_limit(limit: int) -> int:
    """Return the limit of the one retry of an answer cut at *limit*."""
    return limit * RETRY_FACTOR


def packs(
    infos: Sequence[ObjectInfo],
    size: int,
    prompt_of: Callable[[ObjectInfo], int],
) -> list[list[ObjectInfo]]:
    """Group *infos* into requests of at most *size* small objects of one module.

    An object is small when its own prompt (*prompt_of*, estimated tokens)
    is at most :data:`SMALL_PROMPT_TOKENS`; a pack's completion limit stays
    within :data:`PACK_COMPLETION_TOKENS`. Large objects go alone. The order
    of *infos* is kept within each module.
    """
    result: list[list[ObjectInfo]] = []
    open_packs: dict[str, list[ObjectInfo]] = {}
    for info in infos:
        if size <= 1 or prompt_of(info) > SMALL_PROMPT_TOKENS:
            result.append([info])
            continue
        pack = open_packs.get(info.module)
        if pack is not None and (
            len(pack) >= size
            or pack_completion_tokens([*pack, info]) > PACK_COMPLETION_TOKENS
        ):
            pack = None
        if pack is None:
            pack = open_packs[info.module] = []
            result.append(pack)
        pack.append(info)
    return result
