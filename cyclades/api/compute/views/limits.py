"""How the Cyclades dialect shapes limits, in OpenStack's names."""

from cyclades.api.compute import limits as limit_names
from cyclades import quota

#: Absolute limit → the resource it reports.
LIMITS = {
    'maxTotalInstances': quota.VM,
    'maxTotalCores': quota.TOTAL_CPU,
    'maxTotalRAMSize': quota.TOTAL_RAM,
    'maxTotalFloatingIps': quota.FLOATING_IP,
    'maxServerMeta': limit_names.SERVER_META,
    'maxImageMeta': limit_names.IMAGE_META,
    'maxPersonality': limit_names.PERSONALITY,
    'maxPersonalitySize': limit_names.PERSONALITY_SIZE,
}

#: Absolute usage → the resource it reports.
USAGE = {
    'totalInstancesUsed': quota.VM,
    'totalCoresUsed': quota.TOTAL_CPU,
    'totalRAMUsed': quota.TOTAL_RAM,
    'totalFloatingIpsUsed': quota.FLOATING_IP,
}


def limits(limits, usage):
    """The body of /limits; a limit that is not one shows as -1."""
    absolute = {name: max(limits[resource], -1)
                for name, resource in LIMITS.items()}
    absolute.update({name: usage.get(resource, 0)
                     for name, resource in USAGE.items()})
    return {'limits': {'absolute': absolute, 'rate': []}}
