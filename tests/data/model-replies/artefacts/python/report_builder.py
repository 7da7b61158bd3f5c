import csv
import io
from datetime import date


def build_rows(sales):
    rows = []
    for sale in sales:
        rows.append([sale.day.isoformat(), sale.region, f"{sale.amount:.2f}"])
    return rows


def render_csv(sales) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "region", "amount"])
    writer.writerows(build_rows(sales))
    return out.getvalue()


def summarise(sales, start: date, end: date) -> dict:
    selected = [s for s in sales if start <= s.day <= end]
    totals = {}
    for sale in selected:
        totals.setdefault(sale.region, 0)
        totals[sale.region] += sale.amount
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "regions": sorted(totals.items(), key=lambda item: item[1
