"""The built-in identity service, compatible with Keystone's token APIs.

Users, projects and tokens live in the Cyclades database.  ``/identity``
issues and checks tokens in Keystone's v3 and v2.0 shapes, so that the
``openstack`` client, openstacksdk, keystonemiddleware and kamaki can
authenticate against it.  ``api`` holds the rules, the other modules
the HTTP side.
"""
