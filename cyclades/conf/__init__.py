"""Every configuration option of Cyclades, registered in one place.

Modules read options through ``cyclades.conf.CONF``; each group lives in
its own module here so that ``oslo-config-generator`` and the docs can
list them with their help texts.
"""

from oslo_config import cfg

from cyclades.conf import api
from cyclades.conf import compute
from cyclades.conf import database
from cyclades.conf import identity
from cyclades.conf import messaging
from cyclades.conf import network
from cyclades.conf import quota
from cyclades.conf import service
from cyclades.conf import stats

CONF = cfg.CONF

for _module in (service, api, database, messaging, compute, identity,
                quota, stats, network):
    _module.register_opts(CONF)
