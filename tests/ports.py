"""Local ports for tests that need a real refused connection or a server of their own."""

import socket


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released): connecting
    to it is refused, as with a stopped server, and a test's own server may take it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
