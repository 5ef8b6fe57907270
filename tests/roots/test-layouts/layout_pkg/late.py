class Hidden:
    def reveal(self, flag: bool) -> bool:
        return not flag

    def other(self) -> int:
        return 1


def _helper(flag: bool) -> bool:
    return flag


class WithAttribute:
    #: The helper used to decide (documented as an attribute).
    decide = staticmethod(_helper)

    def run(self) -> int:
        return 1
