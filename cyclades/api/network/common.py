"""What the network service's controllers share."""

from cyclades import exception


def check_owner(req, item):
    """Refuse a body that makes a resource for another project.

    Neutron lets administrators name the owner; here only operators
    can, with cyclades-manage.

    :raises Forbidden:
    """
    for field in ('tenant_id', 'project_id'):
        owner = item.get(field)
        if owner is not None and owner != req.context.project_id:
            raise exception.Forbidden(
                reason='resources of project %s cannot be made with a '
                       'token of project %s' % (owner,
                                                req.context.project_id))
