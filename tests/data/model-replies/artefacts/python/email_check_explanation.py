import re

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)


def is_email(text: str) -> bool:
    return _EMAIL.fullmatch(text.strip()) is not None

Explanation:
