"""Cyclades: a compute service compatible with OpenStack Compute."""
