"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py app:server`` (what run.sh
``--production`` and the README run). Command-line flags override any of these.

Why these: a sync worker serves one connection at a time, so two clients that send half their
headers and stop held both workers and froze the service. Here each worker runs THREADS
threads (``gthread``): a new connection waits for its first bytes in the worker's event loop,
not in a thread, and a connection that goes quiet mid-request for STALL_TIMEOUT_S is closed
(:class:`StallBoundedWorker`), so a handful of stalled clients cannot hold every thread. A
client trickling a byte every few seconds still holds one thread; that is why the app is
deployed behind a reverse proxy that buffers whole requests before passing them on (nginx
``proxy_request_buffering on``, the default; see the README).
"""

from __future__ import annotations

import socket

from gunicorn.workers.gthread import ThreadWorker

STALL_TIMEOUT_S = 5.0  # the longest a connection may go quiet inside a request before it is closed
THREADS = 32  # per worker: a stalled connection holds a thread (at most STALL_TIMEOUT_S a read), not the worker

bind = "127.0.0.1:8050"
workers = 2
threads = THREADS
# Data (about 150 MB of read-only arrays) is loaded and checked once, then shared by the workers
# copy-on-write; a missing or changed artifact stops gunicorn with one sentence.
preload_app = True
timeout = 30  # a worker whose main loop stops answering this long is restarted
graceful_timeout = 10
keepalive = 5  # seconds an idle kept-alive connection waits in the event loop (no thread)
worker_connections = 200  # connections a worker holds open at once, idle ones included
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
control_socket_disable = True


class _StallBoundedSocket(socket.socket):
    """A client socket whose blocking reads and writes give up after STALL_TIMEOUT_S of silence.

    gthread puts a connection's socket in blocking mode (no timeout) for the thread that serves
    it; here "blocking" means "blocking for at most STALL_TIMEOUT_S", and a read that times out
    reads as the client going away (gunicorn then closes the connection with a debug line rather
    than logging a traceback).
    """

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(STALL_TIMEOUT_S)
        else:
            super().setblocking(False)

    def recv(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().recv(*args, **kwargs)
        except TimeoutError:
            return b""

    def recv_into(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().recv_into(*args, **kwargs)
        except TimeoutError:
            return 0


class StallBoundedWorker(ThreadWorker):
    """gunicorn's threaded worker with :class:`_StallBoundedSocket` client sockets."""

    def enqueue_req(self, conn):  # type: ignore[no-untyped-def]
        if type(conn.sock) is socket.socket:
            conn.sock.__class__ = _StallBoundedSocket
        super().enqueue_req(conn)


worker_class = StallBoundedWorker


def pre_fork(server, worker):  # type: ignore[no-untyped-def]
    """Move everything the preloaded app allocated out of the garbage collector's sight before
    forking: a collection in a worker would otherwise write to every shared object's header and
    copy its page (gc.freeze), so the data stays shared between the workers."""
    import gc

    gc.collect()
    gc.freeze()
