"""Route modules of the REST API; each defines ``router`` (an ``APIRouter``).

A feature adds its module name to ``ROUTE_MODULES``; ``fanzha.api.app`` mounts
every router under ``/v1``.
"""

ROUTE_MODULES: tuple[str, ...] = ()
