"""The client side of the compute daemon's RPC interface.

Each method names one handler of ``ComputeManager`` and sends to the
topic of the host that runs the server.  Keep the two in step: a method
added here needs its handler there.
"""

TOPIC = 'compute'


def host_topic(host):
    return '%s.%s' % (TOPIC, host)


class ComputeAPI:
    """Sends requests to compute hosts."""

    def __init__(self, transport):
        self.transport = transport

    def build_server(self, context, host, server_id, admin_pass):
        """Cast: build a server that is in BUILD on ``host``.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'build_server',
                            server_id=server_id, admin_pass=admin_pass)

    def delete_server(self, context, host, server_id):
        """Cast: destroy a server and mark it deleted.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'delete_server',
                            server_id=server_id)

