class Hidden:
    def reveal(self, flag: bool) -> bool:
        return not flag

    def other(self) -> int:
        return 1
