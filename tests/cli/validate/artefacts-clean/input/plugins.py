"""Plugins.

```python
registry.add(MyPlugin())
```
"""

import abc
from typing import Protocol


class Plugin(abc.ABC):
    @abc.abstractmethod
    def run(self) -> None:
        raise NotImplementedError


class Reader(Protocol):
    def read(self) -> bytes: ...


class BasePlugin:
    def setup(self) -> None:
        """Does nothing by default; subclasses may prepare resources here."""
        pass


def wait_and_retry(action):
    # wait... then retry once
    try:
        return action()
    except OSError:
        return action()
