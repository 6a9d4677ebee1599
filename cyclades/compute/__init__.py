"""Compute hosts: the API side, the RPC client and the daemon."""
