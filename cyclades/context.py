"""Who makes a request, carried from the API into the compute layer."""

import dataclasses
import uuid


def generate_request_id():
    return 'req-' + str(uuid.uuid4())


@dataclasses.dataclass
class RequestContext:
    """The caller's identity and the request id, for one operation.

    It travels with every RPC message so that the compute daemon logs
    under the same request id as the API.
    """

    user_id: str | None = None
    project_id: str | None = None
    roles: list = dataclasses.field(default_factory=list)
    request_id: str = dataclasses.field(default_factory=generate_request_id)
    user_name: str | None = None
    project_name: str | None = None
    #: Whether servers, flavors and images that are deleted are still
    #: found (servers only within ``[api] poll_limit``), as the Cyclades
    #: dialect shows them; the OpenStack dialect, like Nova, answers 404
    #: for them, which is how its clients see a deletion finish.
    read_deleted: bool = True

    @property
    def is_admin(self):
        return 'admin' in self.roles

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values):
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in fields})


def admin_context():
    """A context for the service's own work, outside any request."""
    return RequestContext(roles=['admin'])
