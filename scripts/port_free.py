"""Exit with a hint when the port `make run` wants is taken, before anything else runs."""

import socket
import sys

port = int(sys.argv[1])
with socket.socket() as probe:
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
    try:
        probe.bind(("127.0.0.1", port))
    except OSError:
        sys.exit(f"Port {port} is already in use. Serve on another one: make run PORT={port + 1}")
