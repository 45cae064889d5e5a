"""``python -m coursekit.server [--host 127.0.0.1] [--port 8000] [--workers 1]``."""

from __future__ import annotations

import argparse
import sys

from coursekit.errors import MissingAPIKeyError
from coursekit.providers import UnknownProviderError
from coursekit.server.serve import run
from coursekit.server.settings import ServerConfigError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursekit.server", description="The day-3 streaming server.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--workers", type=int, default=1, help="processes sharing the port and one JWT secret (default: 1)")
    args = parser.parse_args(argv)
    try:
        run(args.host, args.port, args.workers)
    except (ServerConfigError, MissingAPIKeyError, UnknownProviderError) as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
