"""A small inventory service: the code a model would be asked to generate from a spec."""

from dataclasses import dataclass, field


@dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    tags: list[str] = field(default_factory=list)


class Inventory:
    """Keeps items by SKU and refuses quantities below zero."""

    def __init__(self) -> None:
        self._items: dict[str, Item] = {}

    def add(self, item: Item) -> None:
        if item.sku in self._items:
            raise ValueError(f"duplicate SKU {item.sku!r}")
        self._items[item.sku] = item

    def adjust(self, sku: str, delta: int) -> int:
        item = self._items[sku]
        if item.quantity + delta < 0:
            raise ValueError(f"not enough {item.name} in stock")
        item.quantity += delta
        return item.quantity

    def low_stock(self, threshold: int = 5) -> list[Item]:
        return sorted(
            (item for item in self._items.values() if item.quantity < threshold),
            key=lambda item: item.quantity,
        )
