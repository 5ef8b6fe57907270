import datetime
import enum
import io
from typing import NamedTuple


class Color(enum.Enum):
    RED = 1
    GREEN = 2

    def describe(self) -> str:
        return self.name.lower()


class Point(NamedTuple):
    x: int
    y: int

    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


class Zone(datetime.tzinfo):
    def utcoffset(self, dt):
        return datetime.timedelta(0)

    def label(self) -> str:
        return "UTC"


class Buffer(io.StringIO):
    def peek_all(self) -> str:
        return self.getvalue()
