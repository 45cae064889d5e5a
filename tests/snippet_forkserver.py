"""Runs snippets as ``python <snippet>`` would, in processes forked from one that has imported the libraries.

Most of ``python snippet.py`` is importing langchain-core, openai and fastapi. This server imports
those once, then forks a process per run. The run gets its own environment, working folder,
``sys.argv``, ``sys.path[0]`` and standard streams (passed over the socket), imports the course's
own code afresh (none of it is imported here), and ends as the interpreter ends a script.

Protocol, on a Unix SOCK_SEQPACKET socket: the client sends one JSON message (``path``, ``cwd``,
``env``) with the run's stdin, stdout and stderr descriptors; the server answers with the run's
pid, then with its exit code once it has ended.

Usage: ``python tests/snippet_forkserver.py SOCKET``; it prints ``ready`` once it listens.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import runpy
import signal
import socket
import sys
import traceback

#: Imported before any fork: the libraries the snippets use, never the course's own modules.
PRELOADED = (
    "langchain_core.language_models",
    "langchain_core.output_parsers",
    "langchain_core.prompts",
    "langchain_core.runnables",
    "langchain_core.tracers.event_stream",
    "langchain_openai",
    "langchain_maritaca",
    "fastapi",
    "sse_starlette",
    "httpx",
    "uvicorn",
    "pydantic",
)
MAX_MESSAGE = 1 << 20


def main(socket_path: str) -> None:
    for name in PRELOADED:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(socket_path)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the server never waits: its children are reaped for it
    print("ready", flush=True)
    while True:
        connection, _ = listener.accept()
        message, fds, _, _ = socket.recv_fds(connection, MAX_MESSAGE, 3)
        if os.fork() == 0:
            listener.close()
            watch(connection, json.loads(message), fds)
        connection.close()
        for fd in fds:
            os.close(fd)


def watch(connection: socket.socket, request: dict, fds: list[int]) -> None:
    """In a first fork: start the run in a second one, tell its pid, then its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # for waitpid here, and for the run's own subprocesses
    pid = os.fork()
    if pid == 0:
        connection.close()
        run(request, fds)
    for fd in fds:
        os.close(fd)
    connection.send(str(pid).encode())
    _, status = os.waitpid(pid, 0)
    connection.send(str(os.waitstatus_to_exitcode(status)).encode())
    os._exit(0)


def run(request: dict, fds: list[int]) -> None:
    """Become ``python <path>``: its streams, environment, folder and argv; then exit as it would."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    path = os.path.abspath(request["path"])
    sys.argv = [request["path"]]
    sys.path[0] = os.path.dirname(path)
    encoding = os.environ.get("PYTHONIOENCODING", "utf-8")
    unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(open(0, "rb", closefd=False), encoding=encoding)
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        open(1, "wb", buffering=0 if unbuffered else -1, closefd=False), encoding=encoding, write_through=unbuffered
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        open(2, "wb", buffering=0, closefd=False), encoding=encoding, errors="backslashreplace", write_through=True
    )
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as error:  # what the interpreter prints for an uncaught exception
        frames = error.__traceback__
        while frames is not None and frames.tb_frame.f_code.co_filename != path:
            frames = frames.tb_next
        traceback.print_exception(type(error), error, frames or error.__traceback__)
        raise SystemExit(1) from None
    raise SystemExit(0)  # up through the server's frames, which hold nothing to clean up: a normal exit


if __name__ == "__main__":
    main(sys.argv[1])
