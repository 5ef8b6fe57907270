"""Text helpers."""


class HTTPServerConfig:
    """Settings of the embedded web server."""

    def __init__(self, port: int = 8080) -> None:
        self.port = port

    @classmethod
    def from_text(cls, text: str) -> "HTTPServerConfig":
        return cls(int(parse_config(text).get("port", 8080)))


def parse_config(text: str) -> dict:
    """Read settings from an INI document."""
    return dict(line.split("=", 1) for line in normalize_whitespace(text).split(";"))


def normalize_whitespace(text: str) -> str:
    return " ".join(text.split())
