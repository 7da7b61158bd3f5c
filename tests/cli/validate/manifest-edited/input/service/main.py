from handlers.health import health


def main() -> int:
    print(health())
    return 0
