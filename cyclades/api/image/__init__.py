"""The image service: a read-only subset of the Glance v2 API.

It serves the images the compute API knows, shaped the way Glance shapes
them, so that openstacksdk, the ``openstack`` client and Nova-style
tooling can discover the service, list images and resolve an image by
name or id.  Writes go through the compute API (snapshots, metadata).
"""
