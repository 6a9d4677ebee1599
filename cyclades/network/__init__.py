"""Networking: networks, their subnets, ports and the addresses ports
hold.

The API process owns all of it: addresses are handed out in the same
transaction that creates a server or a port, so that a request that
fails leaves nothing allocated.  ``api`` holds the rules the network
service applies to users' requests, ``connections`` the ports of
servers, ``ipam`` the allocation of addresses and ``macs`` the MAC
addresses of ports.
"""
