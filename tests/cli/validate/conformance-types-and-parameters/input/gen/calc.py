def scale(value: str) -> int:
    return int(value)
