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

    def start_server(self, context, host, server_id):
        """Cast: power on a server whose task is STARTING.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'start_server',
                            server_id=server_id)

    def stop_server(self, context, host, server_id):
        """Cast: power off a server whose task is STOPPING.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'stop_server',
                            server_id=server_id)

    def reboot_server(self, context, host, server_id, hard):
        """Cast: restart a server, by reset when ``hard``.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'reboot_server',
                            server_id=server_id, hard=hard)

    def resize_server(self, context, host, server_id, flavor_id):
        """Cast: give a server whose task is RESIZING a new flavor.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'resize_server',
                            server_id=server_id, flavor_id=flavor_id)

    def revert_resize(self, context, host, server_id):
        """Cast: give a resized server its old flavor back.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'revert_resize',
                            server_id=server_id)

    def change_password(self, context, host, server_id, admin_pass):
        """Cast: set a new password for the image's user.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'change_password',
                            server_id=server_id, admin_pass=admin_pass)

    def create_image(self, context, host, server_id, image_id):
        """Cast: save a server's disk into the SAVING image ``image_id``.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host), 'create_image',
                            server_id=server_id, image_id=image_id)

    def set_firewall_profile(self, context, host, server_id, port_id,
                             profile):
        """Cast: apply the firewall profile of one of a server's ports.

        :raises MessagingError: the broker could not be reached.
        """
        self.transport.cast(context, host_topic(host),
                            'set_firewall_profile', server_id=server_id,
                            port_id=port_id, profile=profile)

    def get_console(self, context, host, server_id, console_type):
        """Call: open a console and return how to connect to it.

        :returns: dict with ``type``, ``host``, ``port`` and a one-time
            ``password``.
        :raises MessagingError: the broker could not be reached, or
            MessagingTimeout: the host did not answer in time.
        :raises InvalidState, DriverError: as the host raised them.
        """
        return self.transport.call(context, host_topic(host), 'get_console',
                                   server_id=server_id,
                                   console_type=console_type)
