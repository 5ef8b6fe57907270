def shout(text: str) -> str:
    return text.upper()


def never_shown(text: str) -> str:
    return text
