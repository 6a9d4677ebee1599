"""View builders of the OpenStack dialect (``/compute/v2.1``).

They show exactly the fields of Nova's 2.1 microversion, since
OpenStack clients and Tempest reject any field their schemas do not
list.  The controllers are the Cyclades dialect's; only these modules
differ.
"""
