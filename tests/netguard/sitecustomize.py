"""Cut the network for test processes (and the notebook kernels they start).

Loaded automatically by Python when this folder is on PYTHONPATH and
``OSINT_KIT_NO_NETWORK=1``: any connection or name look-up to a host other
than loopback raises ``OSError``, so a test or notebook that needs the
internet fails loudly instead of passing only where a network happens to be.
"""

from __future__ import annotations

import os
import socket

_LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")


def _is_local(host) -> bool:
    return isinstance(host, str) and (host.startswith(_LOOPBACK) or host == "")


def install() -> None:
    if getattr(socket, "_osint_kit_guard", False):
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            raise OSError(f"network access is cut in tests (tried {address[0]!r})")

    def connect(self, address):
        _check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_local(host if isinstance(host, str) else host.decode()):
            raise socket.gaierror(f"network access is cut in tests (look-up of {host!r})")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    socket._osint_kit_guard = True


if os.environ.get("OSINT_KIT_NO_NETWORK") == "1":
    install()
