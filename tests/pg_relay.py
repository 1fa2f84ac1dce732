"""A TCP relay to the test PostgreSQL server: closing it is the server going away (stopped, or
the network cut); opening it again on the same port is the server coming back."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url


class Relay:
    """A TCP port on 127.0.0.1 relaying to the test server's Unix socket."""

    def __init__(self, socket_path: str, port: int = 0) -> None:
        self.socket_path, self.open_sockets = socket_path, []  # type: list[socket.socket]
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX)
            server.connect(self.socket_path)
            self.open_sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        """The server goes away: no new connection, every open one cut."""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() under way (Linux)
        except OSError:
            pass
        self.listener.close()
        for end in self.open_sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()




@pytest.fixture
def relayed(pg_url: str) -> Iterator[tuple[str, Relay, str]]:
    """(URL through the relay, the relay, the server's Unix socket) for a fresh test database."""
    url = make_url(pg_url)
    socket_path = f"{url.query['host']}/.s.PGSQL.{url.query['port']}"
    relay = Relay(socket_path)
    through = url.set(host="127.0.0.1", port=relay.port, query={}).render_as_string(hide_password=False)
    yield through, relay, socket_path
    relay.stop()
