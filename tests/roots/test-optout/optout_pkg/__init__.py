def filled(value: int) -> int:
    return value


def marked(value: int) -> int:  # aidoc: skip
    return value


# aidoc: skip
def marked_above(value: int) -> int:
    return value


def legacy_helper(value: int) -> int:
    return value
