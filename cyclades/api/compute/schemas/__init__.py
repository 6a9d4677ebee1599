"""JSON schemas of the compute API request bodies."""
