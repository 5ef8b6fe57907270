"""Methods whose parameters are private to their class, as click's Context.forward."""


class Command:
    """Something to run."""

    def __init__(self, name: str) -> None:
        self.name = name


class Context:
    """Where a command runs."""

    def forward(__self, __cmd: Command, *args: int, **kwargs: str) -> str:
        return __cmd.name + str(len(args) + len(kwargs))

    @staticmethod
    def check(__value: int, limit: int = 3) -> bool:
        return __value < limit
