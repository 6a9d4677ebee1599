"""WSGI filters of the API pipeline, one per module."""
