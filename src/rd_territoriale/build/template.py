"""The warm template of the report kernel: a process that forks one fresh kernel per report.

A new Jupyter kernel spends about 2 s of processor time before a report's
first line runs: the interpreter, IPython and ipykernel, then pandas,
seaborn, statsmodels and this package imported again. This process does
that work once per build, then waits on a Unix socket. For each report it
is asked for a kernel: it forks, and the child becomes an ordinary
``ipykernel`` on the connection file it was given, exactly as
``python -m ipykernel_launcher -f <file>`` would (same arguments, working
directory, environment, ``sys.path``; a new session, a fresh random state).

Each report thus gets a process of its own, born from a template that has
only imported modules and never ran a notebook: a report cannot leave a
trace in the next one (globals, ``rcParams``, warnings filters, caches,
working directory), because nothing of a child goes back to the template.
Forking (rather than reusing a kernel and resetting it) is what makes this
hold by construction; ``docs/architecture.md`` §10 gives the measures.

Run as ``python -m rd_territoriale.build.template <socket>`` by
:class:`rd_territoriale.build.kernels.Template`, with the kernel's own
interpreter and flags; it ends when its parent (the build) ends.

Protocol: one JSON line per connection, ``{"argv": [...], "cwd": ..., "env":
{...}}`` where ``argv`` are the arguments after ``-m ipykernel_launcher``;
the answer is one JSON line, ``{"pid": n}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from pathlib import Path

#: Imported once in the template, in this order: what every report imports
#: (kernel machinery first, then the libraries, then the package's layers).
WARM_MODULES = (
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # debugpy: half of a kernel's own start-up
    "IPython.core.history",
    "sqlite3",
    "pdb",
    "psutil",
    "mimetypes",
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "statsmodels.formula.api",
    "matplotlib.pyplot",
    "seaborn",
    "rd_territoriale.study.case",
    "rd_territoriale.analysis",
    "rd_territoriale.figures",
    "rd_territoriale.report",
)

#: Seconds between two checks that the build (the parent) is still there.
PARENT_CHECK = 1.0


def warm(modules=WARM_MODULES) -> list[str]:
    """Import ``modules``; return those that could not be (the child imports them itself)."""
    import importlib

    missing = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 — a module that fails here fails in the report, with its message
            missing.append(name)
    return missing


def serve(address: str) -> None:
    """Accept kernel requests on ``address`` until the parent process ends."""
    parent = os.getppid()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)  # before warming: requests wait in the backlog meanwhile
    server.listen(64)
    # The build asks, the kernels' parent reaps: children are never waited
    # for here, so the kernel ends without a zombie.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    warm()
    server.settimeout(PARENT_CHECK)
    while os.getppid() == parent:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(10)
            try:
                request = json.loads(read_line(conn))
                pid = os.fork()
            except Exception as exc:  # noqa: BLE001 — say why to the asker, keep serving
                _reply(conn, {"error": f"{type(exc).__name__}: {exc}"})
                continue
            if pid == 0:
                server.close()
                conn.close()
                _become_kernel(request)  # never returns
            _reply(conn, {"pid": pid})


def _become_kernel(request: dict) -> None:
    """In the forked child: start an ipykernel as ``python -m ipykernel_launcher`` would."""
    status = 1
    try:
        os.setsid()  # like jupyter_client's launch: Ctrl-C in the terminal is the build's
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # The kernel's parent is this template (not the build worker that
        # asked): ipykernel ends the kernel if it disappears.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        import ipykernel_launcher

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        _fresh_random_state()
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 — the child must never return into the template's loop
        pass  # the report says « Kernel died before replying » and is tried again (build/execute.py)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _fresh_random_state() -> None:
    """Seed the generators a new interpreter would seed from the system (``random`` reseeds itself on fork)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def read_line(conn: socket.socket) -> str:
    """One line of the protocol (JSON ended by a newline), as text; what came when the peer closes early."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8")


def _reply(conn: socket.socket, answer: dict) -> None:
    try:
        conn.sendall((json.dumps(answer) + "\n").encode("utf-8"))
    except OSError:
        pass  # the asker is gone; it will start a kernel of its own


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # As ipykernel_launcher does: the working directory is not on the path
    # while the kernel's modules load (IPython puts it back for the cells).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    # What ipykernel sets before any cell imports matplotlib (kernelapp.init_gui_pylab).
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    serve(argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
