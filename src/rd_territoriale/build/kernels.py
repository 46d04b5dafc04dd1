"""Report kernels forked from a warm template, so that a report pays only for its own analysis.

:class:`Template` starts the template process of
:mod:`rd_territoriale.build.template` with the kernel's own interpreter,
once per build. Papermill then runs each notebook on a
:func:`kernel_manager_class`: a Jupyter kernel manager whose kernel is
forked by the template instead of started from nothing. Everything else
(the connection file, the ports, the messages, interrupting, killing) is
``jupyter_client``'s own: the forked kernel is an ordinary ``ipykernel``.

When the template cannot be reached (it died, the kernel is not a Python
``ipykernel_launcher`` kernel, or the system is not Linux), the report
starts a fresh kernel as before: slower, never wrong. ``RD_TERRITORIALE_NOYAUX=neufs`` in the
environment asks for fresh kernels everywhere (to compare the two).

``RD_TERRITORIALE_GABARIT=<socket>`` names a template that is already running
(:class:`SharedTemplate`): every build then forks its kernels from it instead
of starting its own. The test suite starts one per process and builds some
forty times: each build would otherwise import pandas, statsmodels and seaborn
again in its template (about 3 s of processor time). Such a template is
never started, revived or stopped by a build, and a build interrupted by
Ctrl-C does not end the kernels it forked (they are not the build's
children): it is for whoever started the template, not for ``make reports``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import DottedObjectName, Type, default

from rd_territoriale.build.template import read_line

#: Set to ``neufs`` to start every report's kernel from nothing.
KERNELS_VARIABLE = "RD_TERRITORIALE_NOYAUX"
LAUNCHER = "ipykernel_launcher"
#: Seconds a report waits for its kernel (the template may still be importing).
FORK_TIMEOUT = 120.0
#: Times a build starts its template again after it died; then fresh kernels to the end.
REVIVALS = 3
#: The socket of a running template that every build uses (:class:`SharedTemplate`).
SHARED_VARIABLE = "RD_TERRITORIALE_GABARIT"

log = logging.getLogger(__name__)


def forking_wanted() -> bool:
    """Whether kernels are forked from a template: on Linux, unless ``RD_TERRITORIALE_NOYAUX=neufs``.

    Elsewhere a fresh kernel per report: Windows cannot fork, and macOS's
    system libraries are not safe to use in a child forked after import.
    """
    if not sys.platform.startswith("linux"):
        return False
    return os.environ.get(KERNELS_VARIABLE, "").strip().lower() not in {"neufs", "neuf", "fresh"}


def template_command(kernel_argv: list[str]) -> list[str] | None:
    """The command that starts the template, from the kernel spec's ``argv``.

    ``[python, *flags, "-m", "ipykernel_launcher", "-f", "{connection_file}"]``
    gives ``[python, *flags, "-m", "rd_territoriale.build.template"]``; any
    other kind of kernel gives ``None`` (it is started the usual way).
    """
    try:
        at = kernel_argv.index("-m")
    except ValueError:
        return None
    if at + 1 >= len(kernel_argv) or kernel_argv[at + 1] != LAUNCHER:
        return None
    return [*kernel_argv[:at], "-m", "rd_territoriale.build.template"]


class Template:
    """The template process of one build: started by :meth:`start`, ended by :meth:`stop`.

    Parameters
    ----------
    kernel_argv : list of str
        ``argv`` of the kernel spec (its interpreter and flags are used).
    cwd : pathlib.Path
        Working directory of the template: the notebooks' folder, where a
        fresh kernel would start (matplotlib reads a ``matplotlibrc`` there).
    """

    def __init__(self, kernel_argv: list[str], cwd: Path):
        self.command = template_command(kernel_argv)
        self.cwd = Path(cwd)
        self.folder: str | None = None
        self.process: subprocess.Popen | None = None
        self.revivals = 0

    @property
    def address(self) -> str | None:
        """The socket kernels are asked on, ``None`` when there is no template."""
        if self.folder is None or self.process is None or self.process.poll() is not None:
            return None
        return os.path.join(self.folder, "noyau.sock")

    def start(self) -> Template:
        """Start the template (it imports while the first reports are prepared)."""
        if self.process is not None or self.command is None or not forking_wanted():
            return self
        self.folder = tempfile.mkdtemp(prefix="rd-noyaux-")
        self._launch()
        return self

    def revive(self) -> None:
        """Start the template again, at the same address, if it died (a report may kill it).

        The build calls this after each report; the reports asked meanwhile
        started fresh kernels (see :class:`ForkProvisioner`). A template that
        keeps dying is started :data:`REVIVALS` times, then left dead: the
        remaining reports get fresh kernels.
        """
        if self.folder is None or self.process is None or self.process.poll() is None:
            return
        self.process.wait()
        if self.revivals >= REVIVALS:
            return
        self.revivals += 1
        log.info("Gabarit de noyau arrêté (code %s) : redémarrage.", self.process.returncode)
        self._launch()

    def _launch(self) -> None:
        assert self.folder is not None and self.command is not None
        address = os.path.join(self.folder, "noyau.sock")
        if os.path.exists(address):
            os.unlink(address)
        self.process = subprocess.Popen(
            [*self.command, address], cwd=self.cwd, stdin=subprocess.DEVNULL, close_fds=True
        )
        deadline = time.monotonic() + 30
        while not os.path.exists(address) and self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if not os.path.exists(address):
            log.info("Gabarit de noyau indisponible : chaque rapport démarre son propre noyau.")
            self.stop()

    def stop(self) -> None:
        """End the template and the kernels it forked that still run; remove its socket."""
        if self.process is not None:
            _end_tree(self.process.pid)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> Template:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class SharedTemplate:
    """A template someone else started and stops (``RD_TERRITORIALE_GABARIT``): used by a build, never owned.

    It has :class:`Template`'s interface for the build: :attr:`address`,
    :meth:`revive` and the context manager, which do nothing here. A template
    that died, or a socket that is gone, gives fresh kernels, as for a
    template of the build's own that cannot be reached.

    Parameters
    ----------
    address : str
        The socket the template listens on.
    """

    def __init__(self, address: str):
        self._address = address

    @classmethod
    def from_environment(cls) -> SharedTemplate | None:
        """The template named by ``RD_TERRITORIALE_GABARIT``, or ``None`` when it is not set."""
        address = os.environ.get(SHARED_VARIABLE, "").strip()
        return cls(address) if address else None

    @property
    def address(self) -> str | None:
        """The socket, ``None`` when it is gone or kernels are not forked."""
        return self._address if forking_wanted() and os.path.exists(self._address) else None

    def revive(self) -> None:
        """Nothing: whoever started the template keeps it."""

    def __enter__(self) -> SharedTemplate:
        return self

    def __exit__(self, *exc) -> None:
        return None


def _end_tree(pid: int) -> None:
    """Kill a process and its descendants (the template and its kernels)."""
    import psutil

    try:
        root = psutil.Process(pid)
        family = [*root.children(recursive=True), root]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass


def fork_kernel(address: str, argv: list[str], cwd: str, env: dict[str, str], timeout: float = FORK_TIMEOUT) -> int:
    """Ask the template at ``address`` for a kernel; return its process id.

    Raises
    ------
    OSError
        When the template cannot be reached or refuses.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(address)
        conn.sendall((json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n").encode("utf-8"))
        line = read_line(conn)
    try:
        answer = json.loads(line)
    except ValueError:
        raise OSError("le gabarit de noyau n'a pas répondu") from None
    if "pid" not in answer:
        raise OSError(f"le gabarit de noyau refuse : {answer.get('error', answer)}")
    return int(answer["pid"])


class ForkedProcess:
    """What ``jupyter_client`` expects of a kernel's ``Popen``, for a kernel forked by the template.

    The template, not this process, is the kernel's parent: the kernel's
    exit status is not known here, only whether it still runs.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # the pid was reused by another user's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """``LocalProvisioner`` whose kernel is forked by the template, or started as usual when it cannot be."""

    address: str | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        argv = _launcher_arguments(cmd)
        if self.address is None or argv is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = fork_kernel(self.address, argv, cwd, {str(k): str(v) for k, v in env.items()})
        except (OSError, ValueError) as exc:  # unreachable, refused, or an answer that is not ours
            log.info("Gabarit de noyau injoignable (%s) : noyau neuf pour ce rapport.", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid  # the child called setsid()
        self.cwd = cwd
        return self.connection_info

    async def wait(self) -> int | None:
        """Wait until the kernel is gone (checked every 10 ms: a killed kernel ends at once)."""
        import asyncio

        if self.process is None:
            return 0
        while self.process.poll() is None:
            await asyncio.sleep(0.01)
        status = self.process.returncode
        self.process = None
        return status


def _launcher_arguments(cmd: list[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` in a kernel command, ``None`` for another command."""
    for at in range(len(cmd) - 1):
        if cmd[at] == "-m" and cmd[at + 1] == LAUNCHER:
            return list(cmd[at + 2 :])
    return None


class ReadyClient(AsyncKernelClient):  # type: ignore[misc]
    """``AsyncKernelClient`` that knows the kernel is ready when its first ``kernel_info`` is done.

    ``jupyter_client`` waits for a ``kernel_info_reply``, then reads IOPub
    until 0.2 s pass without a message: a fixed 0.2 s per report. The
    kernel's answer on IOPub ends with the ``idle`` status of that very
    request; once it is read, nothing of the start-up is left to flush.
    The 0.2 s silence stays the limit when that status is never seen.
    """

    @default("context")
    def _context_default(self):
        import zmq
        import zmq.asyncio

        self._created_context = True
        context = zmq.asyncio.Context()
        # The client connects before the new kernel has bound its ports, and
        # zmq tries again only after 100 ms by default; 10 ms is enough.
        context.setsockopt(zmq.RECONNECT_IVL, 10)
        return context

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        from queue import Empty

        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # IOPub is connected when the request's busy status comes through
                    first = await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    first = None
                if first is not None:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        message = first
        while not _is_idle_after(message, request):
            try:
                message = await self.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                break


def _is_idle_after(message: dict, request: str) -> bool:
    return (
        message.get("msg_type") == "status"
        and message.get("content", {}).get("execution_state") == "idle"
        and message.get("parent_header", {}).get("msg_id") == request
    )


class FreshKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """``AsyncKernelManager`` with :class:`ReadyClient` (a fresh kernel per report)."""

    client_class = DottedObjectName("rd_territoriale.build.kernels.ReadyClient")
    client_factory = Type(default_value=ReadyClient, klass=AsyncKernelClient)

    async def _async_wait(self, pollinterval: float = 0.01) -> None:
        """Wait for the kernel's end, checking every 10 ms (``jupyter_client`` checks every 100 ms)."""
        await super()._async_wait(pollinterval=pollinterval)


class TemplateKernelManager(FreshKernelManager):  # type: ignore[misc]
    """Kernel manager whose kernels come from :attr:`template_address` (see :func:`kernel_manager_class`)."""

    template_address: str | None = None

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            provisioner.address = self.template_address
            self.provisioner = provisioner
        return await super()._async_pre_start_kernel(**kw)


def kernel_manager_class(address: str | None) -> type[AsyncKernelManager]:
    """The kernel manager class papermill should use: forking at ``address``, or the usual one."""
    if address is None:
        return FreshKernelManager
    return type("TemplateKernelManager", (TemplateKernelManager,), {"template_address": address})
