"""How the Cyclades dialect shapes the answers of server actions."""

from cyclades.api.compute.views import links

VERSION = 'v2.0'

#: The actions this dialect offers; any other is not supported.
ACTIONS = frozenset([
    'start', 'os-start', 'shutdown', 'os-stop', 'reboot', 'resize',
    'confirmResize', 'revertResize', 'console', 'firewallProfile',
    'reassign', 'changePassword', 'createImage',
])


def console(info):
    """The console a compute host opened, as ``{"console": ...}``."""
    return {'console': {'type': info['type'], 'host': info['host'],
                        'port': info['port'],
                        'password': info['password']}}


def image_location(req, image_id):
    """Where the image that createImage makes can be read."""
    return links.resource_links(req, VERSION, 'images', image_id)[0]['href']
