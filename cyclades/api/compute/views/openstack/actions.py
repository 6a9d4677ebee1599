"""How the OpenStack dialect shapes the answers of server actions."""

from cyclades.api.compute.views import links

VERSION = 'v2.1'

#: Nova's names of the actions both dialects can do; the Cyclades
#: extensions (firewallProfile, reassign, ...) are not offered here.
ACTIONS = frozenset([
    'os-start', 'os-stop', 'reboot', 'resize', 'confirmResize',
    'revertResize', 'changePassword', 'createImage', 'os-getVNCConsole',
])


def browser_console(console_type, url):
    return {'console': {'type': console_type, 'url': url}}


def image_location(req, image_id):
    """Where the image that createImage makes can be read."""
    return links.resource_links(req, VERSION, 'images', image_id)[0]['href']
