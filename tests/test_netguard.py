"""The test suite really runs with the network cut."""

import socket
import subprocess
import sys

import pytest


def test_outside_connection_is_refused_in_process():
    with pytest.raises(OSError, match="network access is cut"):
        socket.create_connection(("example.org", 80), timeout=1)


def test_child_processes_are_cut_too():
    # notebook kernels are child processes: they inherit the guard via PYTHONPATH
    code = (
        "import socket\ntry:\n    socket.getaddrinfo('example.org', 80)\n"
        "    print('open')\nexcept OSError as e:\n    print('cut')"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "cut"


def test_loopback_still_works():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    c = socket.create_connection(srv.getsockname(), timeout=1)
    c.close()
    srv.close()
