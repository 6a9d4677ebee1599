"""View builders: how each dialect shapes resources."""
