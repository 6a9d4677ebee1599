"""WSGI entry points for servers other than the built-in one."""
