"""Detectors, grouped by what they read: text, calls, links, accounts, graph."""
