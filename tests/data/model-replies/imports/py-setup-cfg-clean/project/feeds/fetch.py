from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import requests
from bs4 import BeautifulSoup
from dateutil import parser as dates

try:
    import orjson as json
except ImportError:
    import json

try:
    from lxml import etree
except ImportError:
    etree = None

if sys.version_info >= (3, 11):
    import tomllib
else:
    tomllib = None

from .util import clean


def fetch(url: str) -> list[dict]:
    page = requests.get(url, timeout=10)
    soup = BeautifulSoup(page.text, "html.parser")
    items = [{"title": clean(i.title.text), "date": str(dates.parse(i.pubDate.text))} for i in soup.find_all("item")]
    return json.loads(json.dumps(items)) if etree is None else items
