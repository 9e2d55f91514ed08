"""Limits the worker puts on itself before it runs any of the user's code.

What is isolated (Linux; other platforms get the process group and the wall-clock limit only):

- network: a new user + network namespace (``unshare``), where only a loopback interface that
  is down exists; where unprivileged namespaces are not allowed, a guard on Python's ``socket``
  refuses connections to anything but local addresses (C libraries can bypass that guard);
- CPU time: ``RLIMIT_CPU`` (all threads together), as a back-stop to the parent's wall clock;
- memory: ``RLIMIT_AS`` when no CUDA device is used (CUDA reserves terabytes of address space),
  set *after* the frameworks are imported, to their address space plus the budget; the parent
  also watches the resident memory of the whole process group and kills it past the budget;
- files: ``RLIMIT_FSIZE`` caps the size of a file the script writes, ``RLIMIT_CORE`` = 0;
- the working directory is a fresh temporary folder, removed afterwards.

Not isolated: the file system (the script can read and write wherever the user can), other
processes of the user, GPUs' shared state, and processes that leave the process group *and*
get re-parented (a double fork with ``setsid``).
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MAX_FILE_BYTES = 256 * 1024**2
_LOCAL_HOSTS = ("127.", "::1", "localhost", "0.0.0.0")


def isolate_network() -> str:
    """Cut the network off; returns how: 'namespace', 'socket-guard' or 'none'."""
    if sys.platform.startswith("linux") and _unshare_network():
        return "namespace"
    _guard_sockets()
    return "socket-guard"


def _unshare_network() -> bool:
    uid, gid = os.getuid(), os.getgid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return False
    except (OSError, AttributeError):
        return False
    # Map the user to itself, so files keep their owner inside the namespace.
    for name, content in (
        ("setgroups", "deny"),
        ("uid_map", f"{uid} {uid} 1"),
        ("gid_map", f"{gid} {gid} 1"),
    ):
        try:
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(content)
        except OSError:
            pass
    return True


def _guard_sockets() -> None:
    original: Callable[..., Any] = socket.socket.connect
    original_ex: Callable[..., Any] = socket.socket.connect_ex

    def allowed(address: Any) -> bool:
        if isinstance(address, tuple) and address:
            return str(address[0]).startswith(_LOCAL_HOSTS)
        return True  # Unix sockets

    def connect(self: socket.socket, address: Any) -> Any:
        if not allowed(address):
            raise ConnectionRefusedError(f"network access is disabled in the probe ({address!r})")
        return original(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not allowed(address):
            return 111  # ECONNREFUSED
        return original_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]


def limit_cpu_and_files(cpu_seconds: int) -> None:
    """CPU-time and file-size limits, no core files."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    for limit, value in (
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, MAX_FILE_BYTES),
        (resource.RLIMIT_CORE, 0),
    ):
        _lower(resource, limit, value)


def limit_address_space(budget_bytes: int) -> bool:
    """``RLIMIT_AS`` at the current address space plus ``budget_bytes`` (CPU-only runs)."""
    try:
        import resource
    except ImportError:
        return False
    current = virtual_memory_bytes()
    if current is None:
        return False
    return _lower(resource, resource.RLIMIT_AS, current + budget_bytes)


def _lower(resource: Any, limit: int, value: int) -> bool:
    _soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(limit, (value, hard))
    except (ValueError, OSError):
        return False
    return True


def virtual_memory_bytes() -> int | None:
    return _status_field("VmSize")


def resident_memory_bytes() -> int | None:
    return _status_field("VmRSS")


def peak_resident_memory_bytes() -> int | None:
    return _status_field("VmHWM")


def reset_peak_resident_memory() -> bool:
    """Linux resets VmHWM to the current RSS when '5' is written to clear_refs."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _status_field(name: str) -> int | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
