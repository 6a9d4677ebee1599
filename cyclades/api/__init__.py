"""The REST API: WSGI middleware, routing and controllers."""
