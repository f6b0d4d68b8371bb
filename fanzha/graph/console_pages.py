"""Console pages of the graph: gangs (drawn as a graph) and money traces."""

from __future__ import annotations

from fanzha.console.pages import ConsolePage, register_page

register_page(ConsolePage("gangs", "Gangs", "gangs.js", nav_order=60))
register_page(ConsolePage("trace", "Money trace", "trace.js", nav_order=61))
