"""Local ports for tests that need a real refused connection or a server of their own."""

import socket
import threading


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released): connecting
    to it is refused, as with a stopped server, and a test's own server may take it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """A TCP server that takes every connection and never answers: a hung Redis or
    search engine (a stopped process whose port is still open, a full network buffer).
    ``connections`` counts who asked it."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()
