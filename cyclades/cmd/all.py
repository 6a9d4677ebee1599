"""cyclades-all: the API and a compute host in one process.

This is the embedded mode: with the default memory:// transport the two
talk inside the process, so nothing but this command needs to run.
"""

from cyclades import monkey_patch
monkey_patch.patch()

import sys  # noqa: E402

from cyclades.api import app  # noqa: E402
from cyclades.compute import service  # noqa: E402
from cyclades import config  # noqa: E402
from cyclades import server  # noqa: E402


def main(argv=None):
    config.parse_args(sys.argv[1:] if argv is None else argv,
                      description='Cyclades API and compute host in one '
                                  'process')
    server.exit_on_signals()
    compute = service.ComputeService()
    compute.start()
    try:
        # One worker: forked workers could not reach an in-process
        # message transport.
        server.WSGIServer(app.load_app(), workers=1).run()
    finally:
        compute.stop()


if __name__ == '__main__':
    main()
