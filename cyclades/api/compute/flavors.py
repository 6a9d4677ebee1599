"""Flavors: list, detail and show, and the extra specs clients read."""

from cyclades.api.compute import servers
from cyclades.api import wsgi
from cyclades.compute import flavors as compute_flavors
from cyclades import exception


def parse_flavor_id(value):
    """Flavor ids are digit strings; anything else names no flavor."""
    if (not (value.isascii() and value.isdigit())
            or int(value) > compute_flavors.MAX_ID):
        raise exception.FlavorNotFound()
    return int(value)


def _query_size(req, name):
    """A ``minDisk``/``minRam`` filter; 0 when absent."""
    value = req.GET.get(name)
    if value is None:
        return 0
    if not (value.isascii() and value.isdigit()):
        raise exception.BadRequest('Invalid %s %r: a non-negative integer '
                                   'is expected' % (name, value))
    return int(value)


class FlavorsController:
    """Handlers of /flavors.

    Clients may filter by ``minDisk`` and ``minRam`` and page with
    ``limit`` and ``marker`` (the last flavor id seen); the other
    parameters OpenStack clients send (``is_public``, ``deleted``) ask
    for what every caller gets anyway: the public flavors not deleted.

    :param views: the view module of the dialect, which shapes bodies.
    """

    def __init__(self, flavor_api, views):
        self.flavor_api = flavor_api
        self.views = views

    def _list(self, req, view):
        min_disk = _query_size(req, 'minDisk')
        min_ram = _query_size(req, 'minRam')
        limit = servers.page_size(req)
        marker = req.GET.get('marker')

        flavors = [flavor for flavor in self.flavor_api.list(req.context)
                   if flavor.disk >= min_disk and flavor.ram >= min_ram]
        if marker is not None:
            ids = [str(flavor.id) for flavor in flavors]
            if marker not in ids:
                raise exception.BadRequest('Invalid marker %r: no such '
                                           'flavor' % marker)
            flavors = flavors[ids.index(marker) + 1:]

        body = {'flavors': [view(req, flavor) for flavor in flavors[:limit]]}
        if len(flavors) > limit:
            body['flavors_links'] = self.views.next_links(
                req, flavors[limit - 1].id)
        return wsgi.Result(body)

    def index(self, req):
        return self._list(req, self.views.basic)

    def detail(self, req):
        return self._list(req, self.views.detail)

    def show(self, req, flavor_id):
        flavor = self.flavor_api.get(req.context, parse_flavor_id(flavor_id))
        return wsgi.Result({'flavor': self.views.detail(req, flavor)})

    def extra_specs(self, req, flavor_id):
        """No flavor has extra specs: what they would say is in the
        flavor itself."""
        self.flavor_api.get(req.context, parse_flavor_id(flavor_id))
        return wsgi.Result({'extra_specs': {}})

    def extra_spec(self, req, flavor_id, key):
        self.flavor_api.get(req.context, parse_flavor_id(flavor_id))
        raise exception.NotFound('Flavor %s has no extra spec %s'
                                 % (flavor_id, key))


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


def extra_specs_routes(prefix, controller, flavor_id):
    """The routes of Nova's /flavors/<id>/os-extra_specs, which the
    OpenStack dialect offers for its clients."""
    ids = {'flavor_id': flavor_id}
    path = prefix + '/flavors/{flavor_id}/os-extra_specs'
    return [
        wsgi.Route(path, {'GET': controller.extra_specs},
                   requirements=ids),
        wsgi.Route(path + '/{key}', {'GET': controller.extra_spec},
                   requirements=ids),
    ]
