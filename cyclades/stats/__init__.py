"""Server load statistics: samples, the graphs drawn from them, links.

Compute daemons sample the load of their servers (``sampler``) into the
database (``samples``); the API hands out signed, expiring links
(``signing``) to PNG graphs (``graphs``) that it draws on request from
those samples (``api``).
"""
