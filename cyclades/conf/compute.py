"""Options of compute hosts and of scheduling servers onto them."""

from oslo_config import cfg

compute_group = cfg.OptGroup(
    'compute', title='Compute',
    help='The compute daemon, its hypervisor driver and host selection.')

compute_opts = [
    cfg.StrOpt(
        'driver',
        default='fake',
        help='Hypervisor driver, by its entry point name in '
             'cyclades.compute.drivers. "fake" keeps servers in memory '
             'and suits tests and demos.'),
    cfg.StrOpt(
        'host',
        help='Name under which this compute daemon registers. Defaults '
             'to [DEFAULT] host.'),
    cfg.IntOpt(
        'report_interval',
        default=10,
        min=1,
        help='Seconds between two heartbeats of a compute daemon.'),
    cfg.IntOpt(
        'service_down_time',
        default=60,
        min=1,
        help='Seconds without a heartbeat after which a compute host '
             'counts as down and gets no new servers. Keep it several '
             'times report_interval.'),
    cfg.FloatOpt(
        'periodic_interval',
        default=10.0,
        min=0.01,
        help='Seconds between two runs of the periodic tasks of a '
             'compute daemon: confirming resizes whose window has '
             'passed and clearing tasks that hosts which went down '
             'left pending.'),
    cfg.IntOpt(
        'resize_confirm_window',
        default=3600,
        min=0,
        help='Seconds a resized server waits in VERIFY_RESIZE for its '
             'owner to confirm or revert before the compute daemon '
             'confirms it. 0 never confirms automatically.'),
    cfg.IntOpt(
        'task_timeout',
        default=600,
        min=0,
        help='Seconds a task (a reboot, a resize...) may stay pending on '
             'a compute host that is down (see service_down_time) before '
             'another compute daemon gives up on it: the server returns '
             'to the state of its power or, when it may be half changed, '
             'to ERROR, with a diagnostics entry.'),
    cfg.FloatOpt(
        'cpu_allocation_ratio',
        default=4.0,
        min=0.1,
        help='Virtual CPUs a host may give out per physical one.'),
    cfg.FloatOpt(
        'ram_allocation_ratio',
        default=1.0,
        min=0.1,
        help='RAM a host may give out per MiB it has.'),
]

fake_driver_group = cfg.OptGroup(
    'fake_driver', title='Fake driver',
    help='The in-memory hypervisor used by tests and the demo.')

fake_driver_opts = [
    cfg.FloatOpt(
        'build_time',
        default=1.0,
        min=0,
        help='Seconds the fake driver takes to build a server, so that '
             'clients can see the BUILD state.'),
    cfg.FloatOpt(
        'action_time',
        default=0.5,
        min=0,
        help='Seconds the fake driver takes for any other operation.'),
    cfg.IntOpt(
        'vcpus',
        default=1024,
        min=1,
        help='Physical CPUs the fake host reports.'),
    cfg.IntOpt(
        'memory_mb',
        default=1024 * 1024,
        min=1,
        help='RAM in MiB the fake host reports.'),
    cfg.IntOpt(
        'disk_gb',
        default=64 * 1024,
        min=1,
        help='Disk in GiB the fake host reports.'),
    cfg.ListOpt(
        'fail_on',
        default=[],
        help='Operations that fail, for testing how errors are '
             'reported: spawn, destroy, power_on, power_off, reboot, '
             'resize, get_console, set_password, snapshot.'),
]


def register_opts(conf):
    conf.register_group(compute_group)
    conf.register_opts(compute_opts, group=compute_group)
    conf.register_group(fake_driver_group)
    conf.register_opts(fake_driver_opts, group=fake_driver_group)


def list_opts():
    return {compute_group: compute_opts,
            fake_driver_group: fake_driver_opts}
