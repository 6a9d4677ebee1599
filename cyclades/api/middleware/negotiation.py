"""Content negotiation filter.

Decides once whether the response is JSON or XML (see
``cyclades.api.negotiation``) and strips a ``.json``/``.xml`` suffix from
the path.  It sits just before the router, after authentication, because
nothing earlier in the pipeline depends on the path's suffix.  It reads
no options.
"""

from cyclades.api import negotiation


class NegotiationMiddleware:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        negotiation.response_format(environ)
        negotiation.strip_suffix(environ)
        return self.application(environ, start_response)


def filter_factory(global_conf, **local_conf):
    return NegotiationMiddleware
