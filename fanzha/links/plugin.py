"""Registers the links detectors, trainers and evaluators (one import for all)."""

from fanzha.detectors.links import page_detector, url_detector
from fanzha.links import page_training, url_training

__all__ = ["page_detector", "page_training", "url_detector", "url_training"]
