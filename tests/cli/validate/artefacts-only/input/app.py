Sure, here it is:

```python
def main():
    print("hello"
```
