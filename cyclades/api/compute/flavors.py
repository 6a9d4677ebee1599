"""Flavors: list, detail and show."""

from cyclades.api import wsgi
from cyclades.compute import flavors as compute_flavors
from cyclades import exception


def parse_flavor_id(value):
    """Flavor ids are digit strings; anything else names no flavor."""
    if (not (value.isascii() and value.isdigit())
            or int(value) > compute_flavors.MAX_ID):
        raise exception.FlavorNotFound()
    return int(value)


class FlavorsController:
    """Handlers of /flavors.

    :param views: the view module of the dialect, which shapes bodies.
    """

    def __init__(self, flavor_api, views):
        self.flavor_api = flavor_api
        self.views = views

    def index(self, req):
        flavors = self.flavor_api.list(req.context)
        return wsgi.Result({'flavors': [self.views.basic(req, flavor)
                                        for flavor in flavors]})

    def detail(self, req):
        flavors = self.flavor_api.list(req.context)
        return wsgi.Result({'flavors': [self.views.detail(req, flavor)
                                        for flavor in flavors]})

    def show(self, req, flavor_id):
        flavor = self.flavor_api.get(req.context, parse_flavor_id(flavor_id))
        return wsgi.Result({'flavor': self.views.detail(req, flavor)})


def routes(prefix, controller, flavor_id):
    """The routes of /flavors under ``prefix``.

    :param flavor_id: the Routes requirement for flavor ids.
    """
    return [
        wsgi.Route(prefix + '/flavors', {'GET': controller.index}),
        wsgi.Route(prefix + '/flavors/detail', {'GET': controller.detail}),
        wsgi.Route(prefix + '/flavors/{flavor_id}',
                   {'GET': controller.show},
                   requirements={'flavor_id': flavor_id}),
    ]
