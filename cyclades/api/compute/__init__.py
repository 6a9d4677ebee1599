"""Controllers of the compute API, shared by both dialects."""
