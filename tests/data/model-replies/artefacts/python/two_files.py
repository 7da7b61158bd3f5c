```python
# app/slugify.py
import re
import unicodedata


def slugify(text: str) -> str:
    normalised = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    normalised = re.sub(r"[^\w\s-]", "", normalised).strip().lower()
    return re.sub(r"[-\s]+", "-", normalised)
```

And here are the tests for it:

```python
from app.slugify import slugify


def test_slugify_spaces():
    assert slugify("Hello World") == "hello-world"


def test_slugify_accents():
    assert slugify("Crème Brûlée") == "creme-brulee"
```
