#!/usr/bin/env python3
"""Prints the first free TCP port on 127.0.0.1 from the one given (for `make serve`)."""
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
for candidate in range(port, port + 100):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        break
else:
    sys.exit("no free port")
