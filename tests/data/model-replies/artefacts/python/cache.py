import threading
import time


class TTLCache:
    def __init__(self, ttl: float = 60.0):
        self.ttl = ttl
        self._data = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            value, expires = entry
            if expires < time.monotonic():
                del self._data[key]
                return None
            return value

    def set(self, key, value):
        with self._lock:
            ...
            self._data[key] = (value, time.monotonic() + self.ttl)

    def clear(self):
        pass
