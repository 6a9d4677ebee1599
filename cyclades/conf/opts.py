"""The option list oslo-config-generator reads through an entry point."""

from cyclades.conf import api
from cyclades.conf import compute
from cyclades.conf import database
from cyclades.conf import identity
from cyclades.conf import messaging
from cyclades.conf import network
from cyclades.conf import quota
from cyclades.conf import service
from cyclades.conf import stats

_MODULES = (service, api, database, messaging, compute, identity, quota,
            stats, network)


def list_opts():
    """Return (group, options) pairs in the order of the sample file."""
    result = []
    for module in _MODULES:
        for group, opts in module.list_opts().items():
            result.append((group, opts))
    return result
