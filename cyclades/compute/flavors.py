"""Flavors: reading them for clients, creating and retiring them.

Flavors are shared by every project, so reading needs no ownership
rule; only operators create and delete them.  A deleted flavor stays
readable, since servers built from it still point at it.
"""

import logging

import sqlalchemy.exc

from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception

LOG = logging.getLogger(__name__)

#: Most characters a flavor name or disk template may have.
MAX_NAME = 255
MAX_DISK_TEMPLATE = 64
#: Ids are 32-bit integer columns; a larger number names no flavor.
MAX_ID = 2 ** 31 - 1


def _check_size(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise exception.Invalid(reason='%s must be a positive integer, '
                                       'not %r' % (name, value))


class API:
    """Flavor operations, for the API and for operators."""

    def get(self, context, flavor_id):
        """A flavor, deleted or not (only live ones for a caller who
        does not read deleted resources).

        :raises FlavorNotFound:
        """
        if flavor_id > MAX_ID:
            raise exception.FlavorNotFound()
        with transaction() as session:
            flavor = db_api.flavor_get(session, flavor_id)
        if flavor.deleted and not context.read_deleted:
            raise exception.FlavorNotFound()
        return flavor

    def list(self, context):
        """The flavors that are not deleted, by id."""
        with transaction() as session:
            return db_api.flavor_list(session)

    def list_all(self, include_deleted=False):
        with transaction() as session:
            return db_api.flavor_list(session,
                                      include_deleted=include_deleted)

    def create(self, name, vcpus, ram, disk, disk_template='drbd',
               allow_create=True):
        """Add a flavor.

        Names of digits alone are refused so that operators can name a
        flavor by id or by name without ambiguity.

        :raises Invalid: a value is out of range.
        :raises Conflict: the name is taken, even by a deleted flavor.
        """
        if not name or len(name) > MAX_NAME or name.isdigit():
            raise exception.Invalid(
                reason='a flavor name needs 1 to %d characters and not '
                       'only digits: %r' % (MAX_NAME, name))
        for field, value in (('vcpus', vcpus), ('ram', ram),
                             ('disk', disk)):
            _check_size(field, value)
        if not disk_template or len(disk_template) > MAX_DISK_TEMPLATE:
            raise exception.Invalid(
                reason='a disk template needs 1 to %d characters'
                       % MAX_DISK_TEMPLATE)

        conflict = exception.Conflict(
            reason='a flavor named %s already exists' % name)
        try:
            with transaction(writer=True) as session:
                if db_api.flavor_get_by_name(session, name) is not None:
                    raise conflict
                flavor = db_api.flavor_create(
                    session, name=name, vcpus=vcpus, ram=ram, disk=disk,
                    disk_template=disk_template, allow_create=allow_create)
        except sqlalchemy.exc.IntegrityError:
            # Another operator created the same name at the same time.
            raise conflict

        LOG.info('Created flavor %s (%s)', flavor.id, name)
        return flavor

    def find(self, reference):
        """A flavor by id (digits) or by name, deleted or not.

        :raises FlavorNotFound:
        """
        with transaction() as session:
            return self._find(session, reference)

    def _find(self, session, reference):
        if reference.isascii() and reference.isdigit():
            if int(reference) > MAX_ID:
                raise exception.FlavorNotFound()
            return db_api.flavor_get(session, int(reference))
        flavor = db_api.flavor_get_by_name(session, reference)
        if flavor is None:
            raise exception.FlavorNotFound()
        return flavor

    def delete(self, reference):
        """Soft-delete a flavor named by id or by name.

        :raises FlavorNotFound:
        :raises InvalidState: it is already deleted.
        """
        with transaction(writer=True) as session:
            flavor = self._find(session, reference)
            if not db_api.flavor_mark_deleted(session, flavor.id):
                raise exception.InvalidState(
                    message='Flavor %s is already deleted' % flavor.id)

        LOG.info('Deleted flavor %s (%s)', flavor.id, flavor.name)
        return flavor
