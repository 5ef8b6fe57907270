"""Review state of generated docstrings (the ``reviews`` table, step m006).

One row per reviewed object: the decision (``accepted``, ``edited``,
``rejected``), the code it was about (``source_hash``), the generated text
it was about (``text_hash``), and for ``edited`` the reviewer's text. An
object without a row, or whose code or generated text changed since the
row was written, is ``new``: it waits for a review. A rejection holds as
long as the code does not change: the build and ``aidoc apply`` do not
write a docstring for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sphinxcontrib_aidoc.store._base import StoreBase

#: Review states; ``new`` is never stored, it is the absence of a decision.
REVIEW_STATES = ("new", "accepted", "edited", "rejected")
#: The states a reviewer records.
DECISIONS = ("accepted", "edited", "rejected")


def text_hash(text: str) -> str:
    """Return the short hash of a generated docstring's text (stripped)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Review:
    """A recorded decision about one object's generated docstring.

    Attributes:
        qualname: The object.
        state: ``accepted``, ``edited`` or ``rejected``.
        source_hash: The object's code when it was decided.
        text_hash: The generated text decided on (:func:`text_hash`).
        text: The reviewer's text (``edited``), else "".
        provider: Who wrote the text decided on (``offline``, ``azure``...).
        model: The model, if any.
        score: Its quality score then, or None.
        decided_at: When (ISO 8601 UTC).
    """

    qualname: str
    state: str
    source_hash: str
    text_hash: str = ""
    text: str = ""
    provider: str = ""
    model: str = ""
    score: int | None = None
    decided_at: str = ""

    @property
    def is_approved(self) -> bool:
        """Whether a reviewer accepted the text or wrote their own."""
        return self.state in ("accepted", "edited")

    def state_for(self, source_hash: str, generated_hash: str = "") -> str:
        """Return this decision's state for the current code and text.

        ``new`` when the code changed, or when the generated text changed
        after an acceptance (*generated_hash* given and different); a
        rejection and an edit hold while the code is the same.
        """
        if source_hash != self.source_hash:
            return "new"
        if (
            self.state == "accepted"
            and generated_hash
            and (generated_hash != self.text_hash)
        ):
            return "new"
        return self.state

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Review:
        """Build from a ``reviews`` row."""
        return cls(
            qualname=row["qualname"],
            state=row["state"],
            source_hash=row["source_hash"],
            text_hash=row["text_hash"],
            text=row["text"],
            provider=row["provider"],
            model=row["model"],
            score=row["score"],
            decided_at=row["decided_at"],
        )


class ReviewMixin(StoreBase):
    """The ``review*`` methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def reviews(self) -> dict[str, Review]:
        """Return every recorded decision by qualname."""
        rows = self._rows("SELECT * FROM reviews ORDER BY qualname")
        return {row["qualname"]: Review.from_row(row) for row in rows}

    def review_get(self, qualname: str) -> Review | None:
        """Return the decision about *qualname*, or None."""
        rows = self._rows("SELECT * FROM reviews WHERE qualname = ?", [qualname])
        return Review.from_row(rows[0]) if rows else None

    def review_record(self, reviews: list[Review]) -> int:
        """Store decisions (replacing earlier ones); return how many.

        Raises:
            ValueError: A state other than accepted, edited or rejected, or
                an ``edited`` decision without text.
        """
        for review in reviews:
            if review.state not in DECISIONS:
                msg = f"a review is one of {', '.join(DECISIONS)}, not {review.state!r}"
                raise ValueError(msg)
            if review.state == "edited" and not review.text.strip():
                msg = f"{review.qualname}: an edited review needs its text"
                raise ValueError(msg)
        now = self._now()
        rows = [
            {
                "qualname": r.qualname,
                "state": r.state,
                "source_hash": r.source_hash,
                "text_hash": r.text_hash,
                "text": r.text,
                "provider": r.provider,
                "model": r.model,
                "score": r.score,
                "decided_at": r.decided_at or now,
            }
            for r in reviews
        ]
        with self._write() as db:
            db.table("reviews").insert_all(rows, replace=True)
        return len(rows)

    def review_forget(self, qualnames: list[str]) -> int:
        """Delete the decisions about *qualnames*; return how many went."""
        gone = 0
        with self._write() as db:
            for name in qualnames:
                gone += db.execute(
                    "DELETE FROM reviews WHERE qualname = ?", [name]
                ).rowcount
        return gone
