"""The web app: `tellers serve`. A single page and a JSON API under ``/api/``.

:func:`create_app` builds the FastAPI application on a :class:`~tellers.parliament.house.House` —
opened by :func:`~tellers.parliament.house.open_house`, as every command opens it.

Thin: every endpoint calls the layers below and returns the JSON the CLI's ``--json``
prints (``/api/divisions`` = `tellers divisions --json`, ``/api/majority`` = `tellers
majority --json`, ...). Nothing a request names reaches the filesystem: division ids go
to the house (parameterised SQL or an in-memory table) and the page's few static files
are read once, at start-up, from the package. :mod:`.guard` holds what stands before the
app (Host names, the token, body limits, errors worded without input or paths),
:mod:`.answers` the answers kept by their inputs, :mod:`.server` how uvicorn runs it.
"""

from tellers.views.web.app import MAX_BODY, create_app

__all__ = ["MAX_BODY", "create_app"]
