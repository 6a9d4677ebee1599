"""cyclades-compute: the daemon of one compute host."""

from cyclades import monkey_patch
monkey_patch.patch()

import sys  # noqa: E402

from cyclades.compute import service  # noqa: E402
from cyclades import config  # noqa: E402
from cyclades import server  # noqa: E402


def main(argv=None):
    config.parse_args(sys.argv[1:] if argv is None else argv,
                      description='Cyclades compute host daemon')
    server.exit_on_signals()
    compute = service.ComputeService()
    compute.start()
    try:
        server.wait_for_signal()
    finally:
        compute.stop()


if __name__ == '__main__':
    main()
