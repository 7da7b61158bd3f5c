"""Storage back ends.

Example::

```python
store = MemoryStore()
store.put("k", b"v")
```
"""

import abc
from typing import Iterator, Protocol, Tuple, overload


class Store(abc.ABC):
    """What every store provides."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        ...

    @abc.abstractmethod
    def put(self, key: str, value: bytes) -> None:
        raise NotImplementedError


class Closeable(Protocol):
    def close(self) -> None: ...


class BaseExporter:
    def export(self, rows) -> str:
        raise NotImplementedError("subclasses must implement export()")

    def on_start(self) -> None:
        """Called before the first row; does nothing by default."""
        pass


class CsvExporter(BaseExporter):
    def export(self, rows) -> str:
        return "\n".join(",".join(map(str, row)) for row in rows)

    def on_start(self) -> None:
        # Nothing to prepare: CSV has no header block.
        pass


class MemoryStore(Store):
    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes:
        return self._data[key]

    def put(self, key: str, value: bytes) -> None:
        self._data[key] = value

    def items(self) -> Iterator[Tuple[str, bytes]]:
        yield from self._data.items()


@overload
def parse(value: str) -> int: ...
@overload
def parse(value: bytes) -> int: ...
def parse(value):
    return int(value)


def retry(action, attempts: int = 3):
    # Wait... then retry: the service needs a moment after a restart.
    for attempt in range(attempts):
        try:
            return action()
        except ConnectionError:
            if attempt == attempts - 1:
                raise
    return None


EMPTY = ...
SHAPE: Tuple[int, ...] = (1, 2)
HELP = """Usage:

~~~
tool --rest-of-the-code
~~~
"""
