"""The contract between the compute daemon and a hypervisor.

A driver only drives the hypervisor: it never touches the database or
the message bus.  The daemon passes it plain descriptions of servers
(``ServerSpec``) and records what it answers.  Each method may block for
as long as the hypervisor takes; the daemon calls them from its own
worker threads.
"""

import abc
import dataclasses
import importlib.metadata

from cyclades import exception

ENTRY_POINT_GROUP = 'cyclades.compute.drivers'


@dataclasses.dataclass(frozen=True)
class ServerSpec:
    """What a driver needs to know of a server."""

    id: int
    name: str
    vcpus: int
    ram: int
    disk: int
    image_id: str
    image_name: str = ''
    metadata: dict = dataclasses.field(default_factory=dict)


class ComputeDriver(abc.ABC):
    """Base of every hypervisor driver."""

    #: What the driver supports beyond the required methods.
    capabilities = {'resize': True, 'console': True}

    @abc.abstractmethod
    def host_stats(self):
        """Return the host's capacity.

        :returns: dict with ``vcpus``, ``memory_mb`` and ``disk_gb``.
        """

    @abc.abstractmethod
    def spawn(self, spec, admin_pass):
        """Create and start a server.

        On failure the driver cleans up what it created before raising,
        so that a failed build leaves nothing behind on the host.

        :param spec: the ServerSpec to build.
        :param admin_pass: the password to set for the image's user.
        :raises DriverError: the server could not be built.
        """

    @abc.abstractmethod
    def destroy(self, spec):
        """Stop and remove a server; a server that is not there is fine.

        :raises DriverError: the server could not be removed.
        """

    @abc.abstractmethod
    def power_on(self, spec):
        """Start a stopped server.  :raises DriverError:"""

    @abc.abstractmethod
    def power_off(self, spec):
        """Stop a running server.  :raises DriverError:"""

    @abc.abstractmethod
    def reboot(self, spec, hard):
        """Restart a server, by ACPI (soft) or by reset (hard).

        :raises DriverError:
        """

    @abc.abstractmethod
    def resize(self, spec, new_spec):
        """Give a server the size of ``new_spec``, keeping its disk.

        :raises DriverError:
        """

    @abc.abstractmethod
    def get_console(self, spec):
        """Open a VNC console for one connection.

        :returns: dict with ``host``, ``port`` and a one-time
            ``password``.
        :raises DriverError:
        """

    @abc.abstractmethod
    def set_password(self, spec, admin_pass):
        """Change the password of the image's user.  :raises DriverError:"""

    @abc.abstractmethod
    def snapshot(self, spec, image_id):
        """Save the server's disk as the image ``image_id``.

        The server may be running; the driver takes a consistent copy.

        :returns: the size of the image in bytes.
        :raises DriverError:
        """

    @abc.abstractmethod
    def set_firewall_profile(self, spec, nic_id, profile):
        """Filter the traffic of one of a server's interfaces.

        :param nic_id: the id of the server's port.
        :param profile: ENABLED (inbound traffic filtered), PROTECTED
            (filtered, with the common services let in) or DISABLED
            (nothing filtered).
        :raises DriverError:
        """

    @abc.abstractmethod
    def stats(self, spec):
        """Return load samples of a server.

        :returns: dict with ``cpu_percent`` and ``net_bytes_per_sec``.
        """


def load_driver(name):
    """Instantiate the driver registered under ``name``."""
    for entry_point in importlib.metadata.entry_points(
            group=ENTRY_POINT_GROUP):
        if entry_point.name == name:
            return entry_point.load()()
    raise exception.CycladesException(
        'No compute driver named %r is installed' % name)
