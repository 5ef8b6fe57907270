"""Files."""

from alias_pkg.doc import Document


class File:
    """A file holding a document."""

    def read(self):
        return Document()
