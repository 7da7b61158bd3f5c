import argparse
import pathlib

import cv2
import numpy as np
import yaml
from PIL import Image
from sklearn.cluster import KMeans

from thumbnailer import palette


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=pathlib.Path)
    args = parser.parse_args()
    config = yaml.safe_load(args.config.read_text())
    image = Image.open(config["input"])
    pixels = np.asarray(image).reshape(-1, 3)
    colours = KMeans(n_clusters=config.get("colours", 5)).fit(pixels).cluster_centers_
    small = cv2.resize(np.asarray(image), (128, 128))
    palette.save(colours, small)
