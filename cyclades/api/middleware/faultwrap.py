"""Fault wrapper filter: the one place errors become fault documents.

A ``CycladesException`` raised anywhere below becomes the fault its
class names, with its status code and message.  Anything else is a bug:
it is logged with its traceback and the client sees only a 500
"Unexpected error".  It sits right after the request id filter so that
every other filter's errors are wrapped too.  It reads no options.
"""

import logging

import webob.exc

from cyclades.api import response
from cyclades import exception

LOG = logging.getLogger(__name__)


def fault_from_exception(environ, exc):
    """Render a CycladesException as its fault response."""
    if exc.code == 304:
        return response.render(environ, 304)

    message = exc.message if exc.safe else 'Unexpected error'
    details = exc.details if exc.safe else ''
    fault = response.render_fault(environ, exc.fault, exc.code,
                                  message, details)
    for name, value in exc.headers.items():
        fault.headers[name] = value
    return fault


class FaultWrapper:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            return self.application(environ, start_response)
        except exception.CycladesException as exc:
            # 501 answers a request for what we do not offer: the
            # client's business, not the operator's.
            if exc.code >= 500 and exc.code != 501:
                LOG.error('%s %s failed: %s', environ.get('REQUEST_METHOD'),
                          environ.get('PATH_INFO'), exc.message)
            else:
                LOG.debug('%s %s: %s %s', environ.get('REQUEST_METHOD'),
                          environ.get('PATH_INFO'), exc.code, exc.message)
            fault = fault_from_exception(environ, exc)
        except webob.exc.HTTPException as exc:
            fault = response.render_fault(
                environ, 'badRequest' if exc.code < 500
                else 'internalServerError', exc.code, exc.title)
        except Exception:
            LOG.exception('Unexpected error in %s %s',
                          environ.get('REQUEST_METHOD'),
                          environ.get('PATH_INFO'))
            fault = response.render_fault(environ, 'internalServerError',
                                          500, 'Unexpected error')
        return fault(environ, start_response)


def filter_factory(global_conf, **local_conf):
    return FaultWrapper
