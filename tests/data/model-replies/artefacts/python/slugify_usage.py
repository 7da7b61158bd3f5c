import re
import unicodedata


def slugify(title: str, max_length: int = 60) -> str:
    normalized = unicodedata.normalize("NFKD", title)
    ascii_only = normalized.encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_only.lower())
    slug = "-".join(words)
    return slug[:max_length].rstrip("-")

Usage:

print(slugify("Héllo, Wörld! A title"))
