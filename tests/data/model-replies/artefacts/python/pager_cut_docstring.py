"""Helpers for paging through API results."""


def paginate(items, page_size=50):
    """Yield successive pages of *items*.

    Each page is a list of at most ``page_size`` elements. The last page may be
    shorter than the others. An empty input yields no pages at all, and a page size
