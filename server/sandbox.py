"""Worker processes without a network: defence that does not depend on reading the query.

A query or update worker calls :func:`cut_network` first thing: unshare(2) with
``CLONE_NEWUSER | CLONE_NEWNET`` (what ``unshare -rn`` does) moves it into a network
namespace of its own that holds only a loopback interface, and that one down. Every
connect() then fails, to 127.0.0.1 as to anywhere else, so a SERVICE or LOAD that got past
the check in :mod:`coprokg.server.safety` still reaches nothing. Files stay readable and
writable as before (the user namespace maps nothing, the kernel checks the same user).

https://man7.org/linux/man-pages/man2/unshare.2.html

Where the kernel refuses (not Linux, unprivileged user namespaces disabled, a seccomp
profile), the worker runs with the network of the server: the server logs a warning once
at start and /health reports ``"network_isolation": false``; the check in safety.py is
then the only barrier.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def cut_network() -> str | None:
    """Move this (single-threaded) process into an empty network namespace. None when done,
    else why it could not be done."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError) as error:
        return f"unshare(2) is not available: {error}"
    if unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return f"unshare(CLONE_NEWUSER | CLONE_NEWNET) failed: {os.strerror(ctypes.get_errno())}"
    return None
