"""How the OpenStack dialect shapes /limits: the Cyclades dialect's
absolute limits, plus the keys Nova 2.1 clients require for what this
service does not offer (security groups beyond the default one, key
pairs), which are 0.  There are no rate limits.
"""

from cyclades.api.compute.views import limits as cyclades_views

#: Nova's limits and usage of what is not offered here.
NOT_OFFERED = {
    'maxSecurityGroups': 0,
    'maxSecurityGroupRules': 0,
    'totalSecurityGroupsUsed': 0,
    'maxTotalKeypairs': 0,
}


def limits(limits, usage):
    body = cyclades_views.limits(limits, usage)
    body['limits']['absolute'].update(NOT_OFFERED)
    return body
