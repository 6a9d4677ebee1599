"""cyclades-api: the REST API server."""

from cyclades import monkey_patch
monkey_patch.patch()

import sys  # noqa: E402

from cyclades.api import app  # noqa: E402
from cyclades import config  # noqa: E402
from cyclades import server  # noqa: E402


def main(argv=None):
    config.parse_args(sys.argv[1:] if argv is None else argv,
                      description='Cyclades API server')
    server.exit_on_signals()
    server.WSGIServer(app.load_app()).run()


if __name__ == '__main__':
    main()
