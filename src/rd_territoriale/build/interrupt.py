"""Stop a build cleanly on Ctrl-C (SIGINT) or SIGTERM: no new report, no orphan kernel, no partial page.

While the reports are being built, :func:`stop_on_signals` turns SIGINT and
SIGTERM into :class:`BuildInterrupted`. The build then cancels what has not
started, ends every process it started (its workers, and the Jupyter
kernels they launched, which run in their own session and would otherwise
survive), removes the temporary files of pages that were being written,
says in French what was built and what was not, and exits with 130
(SIGINT) or 143 (SIGTERM). Pages are only ever replaced atomically, and a
report's record is written only when it succeeded, so the next build does
exactly what is missing.

Workers ignore SIGINT (:func:`ignore_sigint`): a Ctrl-C in the terminal
reaches the whole process group, and the main process alone decides.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

#: Exit status of a build stopped by a signal: 128 + the signal's number.
EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}
SIGNAL_NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}


class BuildInterrupted(BaseException):
    """The build received SIGINT or SIGTERM (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS.get(self.signum, 128 + int(self.signum))

    @property
    def name(self) -> str:
        return SIGNAL_NAMES.get(self.signum, f"signal {int(self.signum)}")


@contextmanager
def stop_on_signals():
    """Within the block, SIGINT and SIGTERM raise :class:`BuildInterrupted` (once; later ones are ignored)."""
    fired = []

    def handler(signum, frame):
        if fired:
            return
        fired.append(signum)
        raise BuildInterrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def ignore_sigint() -> None:
    """Initializer of the build's worker processes: Ctrl-C is the main process's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def end_children(grace: float = 1.0) -> int:
    """End every process this one started, kernels included: SIGTERM, then SIGKILL after ``grace`` seconds.

    Returns
    -------
    int
        How many processes were ended.
    """
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return 0
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace)
    return len(children)


def remove_partial_files(folder: Path) -> list[Path]:
    """Remove the temporary files left by writes that were cut off (``.<name>.*.tmp``) in ``folder``."""
    removed = []
    if Path(folder).is_dir():
        for path in Path(folder).glob(".*.tmp"):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed
