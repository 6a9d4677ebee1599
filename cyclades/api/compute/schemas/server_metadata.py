"""Schemas of the server metadata request bodies.

The collection requests carry ``{"metadata": {...}}``; the item requests
carry ``{"meta": {"k": "v"}}`` or, as the API guide writes it,
``{"metadata": {"k": "v"}}``.  That an item body holds exactly one key,
the one in the URL, is checked in code: a schema count limit would
answer 413 where the contract wants 400.
"""

import functools

from cyclades.api.compute.schemas import servers

ITEM_NAMES = ('meta', 'metadata')


@functools.lru_cache(maxsize=8)
def collection(max_items):
    """``{"metadata": {...}}`` with at most ``max_items`` items."""
    return {
        'type': 'object',
        'properties': {'metadata': servers.metadata(max_items)},
        'required': ['metadata'],
    }


ITEM_VALUE = {
    'type': 'object',
    'propertyNames': servers.METADATA_KEY,
    'additionalProperties': servers.METADATA_VALUE,
}
