"""Users: a store and lookups."""

from search_pkg.storage import load_record, save_record


class UserStore:
    """Keep users in memory."""

    def __init__(self) -> None:
        self.users: dict[str, int] = {}
        save_record("store")

    def add_user(self, name: str) -> int:
        self.users[name] = len(self.users)
        save_record(name)
        return self.users[name]

    def get_user(self, name: str) -> dict:
        """Return the stored user called *name*."""
        return load_record(name)


def get_user(user_id: int) -> dict:
    """Return the user with this id."""
    return load_record(str(user_id))


def get_user_by_email(email: str) -> dict:
    """Find a user from an email address."""
    return find_users(email)[0]


def find_users(text: str) -> list:
    return [load_record(text)]
