"""Records on disk."""


def load_record(key: str) -> dict:
    """Read the record stored under *key*."""
    return {"key": key, "sum": compute_checksum(key.encode())}


def save_record(key: str) -> None:
    """Write a record under *key*."""
    compute_checksum(key.encode())


def compute_checksum(data: bytes) -> int:
    """Return the Adler digest of *data* for integrity checks."""
    return sum(data) % 65521
