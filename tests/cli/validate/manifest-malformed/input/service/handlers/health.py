def health() -> dict:
    return {"status": "ok"}
