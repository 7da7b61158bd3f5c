import json
import requests
import yaml
from dateutil import parser
import acme_reporting
from fastapi_utils_pro import cbv
from . import helpers
try:
    import ujson
except ImportError:
    ujson = None


def fetch(url):
    import httpx_retry_async
    return requests.get(url, timeout=5)
