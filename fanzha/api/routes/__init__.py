"""Route modules of the REST API; each defines ``router`` (an ``APIRouter``).

A feature adds its module name to ``ROUTE_MODULES``; ``fanzha.api.app`` mounts
every router under ``/v1``.
"""

ROUTE_MODULES: tuple[str, ...] = (
    "fanzha.api.routes.account",
    "fanzha.api.routes.reports",
    "fanzha.api.routes.entities",
    "fanzha.api.routes.workflow",
    "fanzha.api.routes.blacklist",
    "fanzha.api.routes.numbers",
    "fanzha.api.routes.graph",
    "fanzha.api.routes.text",
    "fanzha.api.routes.links",
)
