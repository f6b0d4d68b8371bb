"""The REST API: ``fanzha.api.app.create_app`` builds it over a ``Store``.

Route handlers stay thin: they validate input with the models in
``fanzha.storage.schemas``, check the caller's role with
``fanzha.api.deps.require_role`` and call the library.
"""
