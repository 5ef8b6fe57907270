"""Documents."""


class Document:
    """A document."""
