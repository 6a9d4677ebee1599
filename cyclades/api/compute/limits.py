"""Limits: what the caller's project may use, and what it uses.

The view of the dialect gets two dicts keyed by the same names: the
quota resources of ``cyclades.quota`` (``cyclades.vm``, ...), whose
negative limits mean none, and the limits of requests themselves
(``SERVER_META`` and the others below), which have no usage.
"""

from cyclades.api.compute.schemas import servers as server_schemas
from cyclades.api import wsgi
from cyclades import conf
from cyclades import quota

CONF = conf.CONF

#: Metadata items a server may have.
SERVER_META = 'server_meta'
#: Metadata items an image may have.
IMAGE_META = 'image_meta'
#: Personality files a new server may get.
PERSONALITY = 'personality'
#: Bytes of one personality file, decoded.
PERSONALITY_SIZE = 'personality_size'


def request_limits():
    """The limits of requests, by the names above."""
    return {
        SERVER_META: CONF.api.max_metadata_items,
        IMAGE_META: CONF.api.max_metadata_items,
        PERSONALITY: server_schemas.MAX_PERSONALITY,
        PERSONALITY_SIZE: server_schemas.MAX_PERSONALITY_SIZE,
    }


class LimitsController:
    """Handler of /limits.

    :param views: the view module of the dialect; its ``limits(limits,
        usage)`` shapes the body.
    """

    def __init__(self, views):
        self.views = views

    def index(self, req):
        limits, usage = quota.limits_and_usage(req.context.project_id)
        limits.update(request_limits())
        return wsgi.Result(self.views.limits(limits, usage))


def routes(prefix, controller):
    """The routes of /limits under ``prefix``."""
    return [wsgi.Route(prefix + '/limits', {'GET': controller.index})]
