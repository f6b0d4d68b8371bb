"""Malicious links and fraud pages: URLs, pages, brands, templates and campaigns."""
