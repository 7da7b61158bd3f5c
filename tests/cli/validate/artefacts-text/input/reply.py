Here is the updated module:

```python
def parse_config(path):
    raise NotImplementedError


def load(path):
    # ... rest of the code ...
    return {}
```
