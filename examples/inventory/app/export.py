"""Exports the inventory as CSV and hands the file to the archiver."""

import csv
import subprocess

ARCHIVER = ["/usr/bin/gzip", "--keep", "--force"]


def export(items, path):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sku", "name", "quantity"])
        for item in items:
            writer.writerow([item.sku, item.name, item.quantity])
    # The command is a fixed list and the path comes from our own configuration.
    subprocess.run(ARCHIVER + [path], check=True, timeout=60)  # aiops: ignore[python.subprocess-without-shell] fixed argv
    return path + ".gz"
