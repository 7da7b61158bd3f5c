Here's the updated `config_loader.py` with environment overrides and validation:

```python
import json
import os
from pathlib import Path


class ConfigError(Exception):
    """Raised when the configuration file is missing or malformed."""


def load_config(path: str) -> dict:
    """Read the JSON configuration at `path` and apply environment overrides."""
    file = Path(path)
    if not file.exists():
        raise ConfigError(f"config file not found: {path}")
    with file.open(encoding="utf-8") as handle:
        data = json.load(handle)
    for key, value in os.environ.items():
        if key.startswith("APP_"):
            data[key[4:].lower()] = value
    return data
```

### What changed

- `load_config` now raises `ConfigError` instead of returning `None`.
- Environment variables prefixed with `APP_` override values from the file.

Let me know if you'd like me to add YAML support as well!
