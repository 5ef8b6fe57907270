"""Tools: every member but one is shown."""


def kept_tool(name: str) -> str:
    return name


def hidden_tool(name: str) -> str:
    return name
