"""The one exception hierarchy of Cyclades.

Every error a client may see derives from ``CycladesException``; its
``code`` picks the HTTP status and its ``fault`` the name of the fault
document.  The fault wrapper middleware is the only place that turns
these into responses, so controllers and the compute layer just raise.
"""


class CycladesException(Exception):
    """Base of every error Cyclades raises on purpose."""

    msg_fmt = 'An unknown error occurred.'
    code = 500
    fault = 'internalServerError'
    #: Whether the message may be shown to clients.
    safe = True
    #: Extra response headers, such as Allow.
    headers = {}

    def __init__(self, message=None, details='', **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                message = self.msg_fmt
        self.message = message
        self.details = details
        super().__init__(message)

    def to_dict(self):
        """Return a serializable form that can cross an RPC boundary."""
        return {'class': type(self).__name__, 'message': self.message,
                'details': self.details}


class BadRequest(CycladesException):
    """The request is malformed or not allowed in this state."""

    msg_fmt = 'Bad request.'
    code = 400
    fault = 'badRequest'


class Invalid(BadRequest):
    """A value in the request is not acceptable."""

    msg_fmt = 'Invalid value: %(reason)s'


class EndpointNotFound(BadRequest):
    """No route matches the URL."""

    msg_fmt = 'API endpoint not found'


class MethodNotAllowed(BadRequest):
    """The URL exists but does not serve this method."""

    msg_fmt = 'Method not allowed'

    def __init__(self, allowed, **kwargs):
        super().__init__(**kwargs)
        self.headers = {'Allow': ', '.join(sorted(allowed))}


class InvalidState(BadRequest):
    """The resource is in a state that does not allow the request."""

    msg_fmt = '%(message)s'


class NotAuthenticated(CycladesException):
    """The token is missing, unknown, expired or revoked."""

    msg_fmt = 'Invalid token'
    code = 401
    fault = 'unauthorized'


class AuthenticationFailed(NotAuthenticated):
    """Credentials or the asked scope were not accepted."""

    msg_fmt = 'The request you have made requires authentication.'


class Forbidden(CycladesException):
    """Policy does not allow the request."""

    msg_fmt = 'Forbidden: %(reason)s'
    code = 403
    fault = 'forbidden'


class NotFound(CycladesException):
    """The resource does not exist, or belongs to someone else."""

    msg_fmt = 'Resource not found'
    code = 404
    fault = 'itemNotFound'


class ServerNotFound(NotFound):
    """No such server for this project."""

    msg_fmt = 'Server %(server_id)s not found'


class MetadataItemNotFound(NotFound):
    """The resource has no metadata item with this key."""

    msg_fmt = 'Metadata key %(key)s not found'


class NetworkNotFound(NotFound):
    """No such network visible to the caller."""

    msg_fmt = 'Network %(network_id)s not found'


class PortNotFound(NotFound):
    """No such port visible to the caller."""

    msg_fmt = 'Port %(port_id)s not found'


class SubnetNotFound(NotFound):
    """No such subnet visible to the caller."""

    msg_fmt = 'Subnet %(subnet_id)s not found'


class FloatingIPNotFound(NotFound):
    """No such floating IP of the caller's project."""

    msg_fmt = 'Floating IP %(floating_ip_id)s not found'


class NicNotFound(NotFound):
    """The server has no network interface by that id."""

    msg_fmt = 'NIC not found'


class TokenNotFound(NotFound):
    """The token is unknown, expired or revoked."""

    msg_fmt = 'Could not find token'


class UserNotFound(NotFound):
    """No user has this id or name."""

    msg_fmt = 'User %(user)s not found'


class ProjectNotFound(NotFound):
    """No project has this id or name."""

    msg_fmt = 'Project %(project)s not found'


class FlavorNotFound(NotFound):
    """No such flavor, or a deleted one."""

    msg_fmt = 'Flavor not found'


class ImageNotFound(NotFound):
    """No such image visible to the caller."""

    msg_fmt = 'Image not found'


class GraphNotFound(NotFound):
    """A graph link is malformed, forged or expired, or its server is
    gone."""

    msg_fmt = 'Graph not found; the link may have expired'


class ConsoleNotFound(NotFound):
    """A console URL is malformed, forged or expired."""

    msg_fmt = 'Console not found; the URL may have expired'


class VersionNotAcceptable(CycladesException):
    """A microversion the OpenStack dialect does not speak."""

    msg_fmt = ('Version %(version)s is not supported by the API. Minimum '
               'is %(min_version)s and maximum is %(max_version)s.')
    code = 406
    fault = 'notAcceptable'


class BuildInProgress(CycladesException):
    """The server is still being built."""

    msg_fmt = 'Server is being built'
    code = 409
    fault = 'buildInProgress'


class Conflict(CycladesException):
    """The resource is in use."""

    msg_fmt = 'Conflict: %(reason)s'
    code = 409
    fault = 'conflict'


class OverLimit(CycladesException):
    """A quota or limit would be exceeded."""

    msg_fmt = 'Limit exceeded'
    code = 413
    fault = 'overLimit'


class RequestTooLarge(CycladesException):
    """The request body is over the configured size."""

    msg_fmt = 'Request body too large'
    code = 413
    fault = 'requestEntityTooLarge'


class NotModified(CycladesException):
    """Nothing changed since the time the client asked about."""

    msg_fmt = 'Not modified'
    code = 304
    fault = 'notModified'


class NotImplementedYet(CycladesException):
    """An operation the service does not offer."""

    msg_fmt = 'Not implemented'
    code = 501
    fault = 'notImplemented'


class ServiceUnavailable(CycladesException):
    """A backend the request needs is down."""

    msg_fmt = 'Service unavailable: %(reason)s'
    code = 503
    fault = 'serviceUnavailable'


class MessagingError(ServiceUnavailable):
    """The message broker failed; raised where kombu's errors end."""

    msg_fmt = 'Message broker error: %(reason)s'


class MessagingTimeout(MessagingError):
    """A call got no answer in time."""

    msg_fmt = 'No reply from %(topic)s within %(timeout)s seconds'


class RemoteError(CycladesException):
    """The handler of a call raised; carries its class and message."""

    msg_fmt = '%(exc_class)s: %(message)s'
    safe = False


class DriverError(CycladesException):
    """The hypervisor driver failed an operation."""

    msg_fmt = 'Driver error during %(operation)s: %(reason)s'
    safe = False


class NoValidHost(CycladesException):
    """No live compute host has room for the server."""

    msg_fmt = 'No valid compute host: %(reason)s'
    code = 503
    fault = 'serviceUnavailable'
