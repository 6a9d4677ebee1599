"""The version documents of the image service, served without a token.

Clients discover the service at the catalog URL (``.../image``) and
follow the ``self`` link of the newest major version 2 entry, so every
v2 id points at ``.../image/v2/``.  Like Glance, the root answers 300
Multiple Choices and ``/versions`` answers 200 with the same list.
"""

from cyclades.api.compute.views import links
from cyclades.api import wsgi

#: Newest first.  The subset served is common to every v2 minor version,
#: so claiming more would tell clients nothing they could use.
VERSIONS = (
    ('v2.1', 'CURRENT'),
    ('v2.0', 'SUPPORTED'),
)


def versions_view(req):
    href = '%s/v2/' % links.service_root(req)
    return {'versions': [
        {'id': version_id, 'status': status,
         'links': [{'rel': 'self', 'href': href}]}
        for version_id, status in VERSIONS]}


class VersionsController:

    def choices(self, req):
        return wsgi.Result(versions_view(req), status=300, fmt='json')

    def index(self, req):
        return wsgi.Result(versions_view(req), fmt='json')
