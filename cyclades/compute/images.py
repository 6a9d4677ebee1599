"""Images: who may see, delete and change them, and their metadata.

A project sees the public images and its own.  Only the owning project
may delete an image or change its metadata: another project gets 403
for a public image and 404 for a private one, which it cannot see at
all.  Deletion is soft, so clients polling with changes-since see the
image turn DELETED.  Operators register images and may delete any.
"""

import logging

from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: Disk formats an image may be registered with.
DISK_FORMATS = ('diskdump', 'extdump', 'ntfsdump', 'raw', 'qcow2',
                'vmdk', 'vdi', 'vhd', 'iso')

#: Limits on names and metadata, as in every request body.
MAX_NAME = 255
MAX_META_KEY = 255
MAX_META_VALUE = 255


def check_metadata_item(key, value):
    """Keys of 1–255 and values of up to 255 characters, both strings.

    :raises Invalid:
    """
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_META_KEY:
        raise exception.Invalid(reason='metadata keys need 1 to %d '
                                       'characters: %r' % (MAX_META_KEY,
                                                           key))
    if not isinstance(value, str) or len(value) > MAX_META_VALUE:
        raise exception.Invalid(reason='the value of metadata item %s '
                                       'needs at most %d characters'
                                       % (key, MAX_META_VALUE))


def _check_limit(count):
    limit = CONF.api.max_metadata_items
    if count > limit:
        raise exception.OverLimit(
            'Maximum number of metadata items exceeded',
            details='image metadata: the limit is %d items, the request '
                    'would leave %d' % (limit, count))


def _project(context):
    """The project whose view of images the caller gets.

    The database layer reads "no project" as "every image", which only
    operators get, through their own methods below.
    """
    if context.project_id is None:
        raise exception.Forbidden(reason='the request names no project')
    return context.project_id


class API:
    """Image operations of the API and of operators."""

    # Reading

    def get(self, context, image_id):
        """An image the caller may see, deleted ones included unless
        the caller does not read deleted resources.

        :raises ImageNotFound:
        """
        with transaction() as session:
            image = db_api.image_get(session, image_id, _project(context))
        if image.deleted and not context.read_deleted:
            raise exception.ImageNotFound()
        return image

    def list(self, context, filters=None, marker=None, limit=None,
             changes_since=None):
        """Images the caller may see, oldest first.

        :param marker: id of the last image of the previous page.
        :raises Invalid: the marker names no image the caller may see.
        """
        with transaction() as session:
            after = None
            if marker is not None:
                try:
                    after = db_api.image_get(session, marker,
                                             _project(context))
                except exception.ImageNotFound:
                    raise exception.Invalid(
                        reason='marker %s is not an image' % marker)
            return db_api.image_list(
                session, _project(context), filters=filters, after=after,
                limit=limit, changes_since=changes_since)

    # Deleting

    def delete(self, context, image_id):
        """Delete an image of the caller's project.

        :raises ImageNotFound: not visible to the caller, or deleted
            for a caller who does not read deleted resources.
        :raises Forbidden: a public image of another project.
        :raises InvalidState: already deleted.
        """
        self._delete(image_id, _project(context),
                     read_deleted=context.read_deleted)

    def operator_delete(self, image_id):
        """Delete any image, whoever owns it."""
        return self._delete(image_id, None)

    def _delete(self, image_id, project_id, read_deleted=True):
        with transaction(writer=True) as session:
            image = self._owned(session, image_id, project_id)
            if image.deleted and not read_deleted:
                raise exception.ImageNotFound()
            if not db_api.image_mark_deleted(session, image.id):
                raise exception.InvalidState(
                    message='Image %s is already deleted' % image.id)

        LOG.info('Deleted image %s', image_id)
        return image

    def _owned(self, session, image_id, project_id, lock=False):
        """An image ``project_id`` may change (any image when None)."""
        image = db_api.image_get(session, image_id, project_id, lock=lock)
        if project_id is not None and image.owner_id != project_id:
            raise exception.Forbidden(
                reason='image %s belongs to another project' % image_id)
        return image

    # Metadata

    def get_metadata(self, context, image_id):
        return self.get(context, image_id).meta

    def update_metadata(self, context, image_id, metadata, replace=False):
        """Merge ``metadata`` into the image's, or replace it.

        The limit applies to what the image holds afterwards.

        :returns: all the image's metadata.
        :raises OverLimit: the image would hold too many items.
        """
        for key, value in metadata.items():
            check_metadata_item(key, value)

        with transaction(writer=True) as session:
            image = self._changeable(session, context, image_id)
            keys = set(metadata) if replace else (set(image.meta)
                                                  | set(metadata))
            _check_limit(len(keys))
            db_api.image_metadata_update(session, image, metadata,
                                         replace=replace)
            return image.meta

    def delete_metadata_item(self, context, image_id, key):
        """:raises NotFound: the image has no such key."""
        with transaction(writer=True) as session:
            image = self._changeable(session, context, image_id)
            if not db_api.image_metadata_delete(session, image, key):
                raise exception.MetadataItemNotFound(key=key)

    def _changeable(self, session, context, image_id):
        image = self._owned(session, image_id, _project(context),
                            lock=True)
        if image.deleted and not context.read_deleted:
            raise exception.ImageNotFound()
        if image.deleted:
            raise exception.InvalidState(
                message='Image %s is deleted' % image_id)
        return image

    # Registering

    def register(self, name, disk_format, size, min_disk, min_ram,
                 properties=None, public=False, owner=None):
        """Record an image an operator uploaded to the image store.

        :param owner: a project id or name; an image needs an owner or
            must be public, or nobody could see it.
        :raises Invalid: a value is out of range.
        :raises NotFound: no such project.
        """
        properties = dict(properties or {})
        if not name or len(name) > MAX_NAME:
            raise exception.Invalid(reason='an image name needs 1 to %d '
                                           'characters' % MAX_NAME)
        if disk_format not in DISK_FORMATS:
            raise exception.Invalid(
                reason='disk format %r is not one of %s'
                       % (disk_format, ', '.join(DISK_FORMATS)))
        for field, value in (('size', size), ('min_disk', min_disk),
                             ('min_ram', min_ram)):
            if value < 0:
                raise exception.Invalid(reason='%s cannot be negative'
                                               % field)
        for key, value in properties.items():
            check_metadata_item(key, value)
        if not public and owner is None:
            raise exception.Invalid(reason='an image must be public or '
                                           'have an owner project')

        with transaction(writer=True) as session:
            owner_id = None
            if owner is not None:
                owner_id = self._find_project(session, owner).id
            image = db_api.image_create(
                session, name=name, disk_format=disk_format, size=size,
                min_disk=min_disk, min_ram=min_ram, public=public,
                owner_id=owner_id, status='ACTIVE', metadata=properties)

        LOG.info('Registered image %s (%s)', image.id, name)
        return image

    def _find_project(self, session, reference):
        project = (db_api.project_get(session, reference)
                   or db_api.project_get_by_name(session, reference))
        if project is None:
            raise exception.NotFound('Project %s not found' % reference)
        return project

    def list_all(self):
        """Every image that is not deleted, whoever owns it."""
        with transaction() as session:
            return db_api.image_list(session)
