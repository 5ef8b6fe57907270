"""The module that works."""


def get_name(user_id: int) -> str:
    return str(user_id)
