class Matrix:
    def __init__(self, rows):
        self.rows = [list(row) for row in rows]

    def __add__(self, other):
        pass  # same as before

    def transpose(self):
        return Matrix(zip(*self.rows))

    # same as before

    def __repr__(self):
        return f"Matrix({self.rows!r})"
