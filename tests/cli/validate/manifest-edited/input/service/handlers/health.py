def health() -> dict:
    return {"status": "ok"}


def ready() -> bool:
    return True
