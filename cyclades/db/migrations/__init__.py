"""Alembic migrations of the Cyclades schema."""
