import json

from layout_pkg.core import Document


def dumps(data: dict, indent: int = 2) -> str:
    return json.dumps(data, indent=indent)


def loads(text: str) -> dict:
    if not text:
        raise ValueError("empty document")
    return json.loads(text)


def parse(text: str) -> Document:
    return Document(loads(text))


def unexported(text: str) -> str:
    return text.strip()


def _helper(text: str) -> str:
    return text
