"""Dropping a request: close the client's TCP connection without sending any response.

WSGI gives an application no handle on the socket, so it is dug out of the server's objects:
``gunicorn.socket`` when gunicorn serves, else the socket under ``wsgi.input``. Django's dev and
live servers wrap the socket file in a ``LimitedStream`` that keeps only its bound ``read``, so
the walk goes ``LimitedStream._read.__self__`` (a ``BufferedReader``) ``.raw`` (a ``SocketIO``)
``._sock``. ``shutdown`` rather than ``close``: the server still owns the file descriptor and
closes it itself; its later write fails with a broken pipe, which wsgiref ignores quietly.
"""

import logging
import socket
from typing import Any

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

_WALK = ("_read", "__self__", "stream", "_stream", "rfile", "raw", "_sock")


def client_socket(environ: dict[str, Any]) -> socket.socket | None:
    found = environ.get("gunicorn.socket")
    if isinstance(found, socket.socket):
        return found
    node: Any = environ.get("wsgi.input")
    for _ in range(10):
        if isinstance(node, socket.socket):
            return node
        node = next((getattr(node, a) for a in _WALK if getattr(node, a, None) is not None), None)
        if node is None:
            return None
    return None


def disable_nagle(environ: dict[str, Any]) -> None:
    """Sends each response write at once.

    WSGI servers write the headers and the body in two sends; with Nagle's algorithm on, the
    second waits for the client's delayed ACK (about 40 ms on Linux), which would make every
    sandbox call look 40 ms slower than Maventa's.
    """
    sock = client_socket(environ)
    if sock is not None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a test transport) or already closed


def drop_connection(request: HttpRequest) -> HttpResponse:
    sock = client_socket(request.META)
    if sock is None:
        # A server the walk does not know: answer something no client mistakes for success.
        logger.warning("sandbox could not find the client socket; answering 503 instead of a drop")
        return HttpResponse(status=503)
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # the client went first
    # Nobody can read this any more; it only lets the server finish its request cycle.
    return HttpResponse(status=204)
