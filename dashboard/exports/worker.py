"""The export render worker: a process of its own that takes queued export jobs and makes their files.

Why a separate process: a render is seconds of Python (building the figures, fixing the PDF text layer)
around a Chromium; inside a web worker it holds the GIL and slows every other user's callbacks. Here it holds
only this process's. One worker per machine and job folder (an exclusive ``flock`` on ``worker.lock``) keeps one
warm Chromium and warm per-dataset caches, so a second dossier costs the render alone. On Redis, each app
machine runs its worker and they share one queue (``BLPOP`` gives each job to one of them).

Nobody has to start it: the first job a web worker queues starts it (:func:`ensure_worker`, a detached
``python -m dashboard.exports.worker`` fed the app's settings on stdin); it exits after
:data:`IDLE_EXIT_S` without work, or as soon as it is idle once the process that started it has gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

IDLE_EXIT_S = 300
# Renders run at a lower CPU priority than the web workers (Chromium, its child, inherits it): on a busy
# machine the scheduler serves other users' callbacks first and the render takes the rest.
RENDER_NICENESS = 10
SPAWN_GRACE_S = 20  # a worker started this recently is still importing: do not start another
SWEEP_EVERY_S = 30


def _lock_path(settings) -> Path:
    return settings.state / "jobs" / "worker.lock"


@contextlib.contextmanager
def _worker_lock(settings):
    """The machine's worker lock, held for the life of the worker; None if another worker holds it."""
    path = _lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        try:
            yield fh
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def worker_running(settings) -> bool:
    with _worker_lock(settings) as held:
        return held is None


def ensure_worker(settings) -> None:
    """Start the render worker of this machine unless one runs (or was started a moment ago)."""
    marker = settings.state / "jobs" / "worker.started"
    try:
        if time.time() - marker.stat().st_mtime < SPAWN_GRACE_S:
            return
    except FileNotFoundError:
        pass
    if worker_running(settings):
        return
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.exports.worker", str(os.getpid())],
                            stdin=subprocess.PIPE, cwd=root, env=env, start_new_session=True)
    proc.stdin.write(pickle.dumps(settings))
    proc.stdin.close()


def run_job(store, job, settings):
    """Make ``job``'s file and store it; the job ends ``done`` or ``failed`` with a reason a person reads."""
    from dashboard.exports.orders import BadOrder, ExportOrder, produce
    from dashboard.exports.render import PROGRESS, ExportFailed, ExportUnavailable
    from geodata import open_dataset

    state = {"job": job}

    def progress(percent: int, stage: str) -> None:
        state["job"] = state["job"].with_(progress=max(state["job"].progress, percent), stage=stage)
        store.save(state["job"])

    token = PROGRESS.set(progress)
    try:
        progress(10, "building")
        made = produce(open_dataset(settings.data_path), settings, ExportOrder.from_json(job.order))
    except (BadOrder, ExportFailed, ExportUnavailable) as err:
        failed = state["job"].with_(status="failed", stage="failed", error=str(err), finished=time.time())
        store.save(failed)
        return failed
    except Exception:  # a bug must fail the job, not the worker; the reason goes to the log only
        log.exception("export job failed")
        failed = state["job"].with_(status="failed", stage="failed", finished=time.time(),
                                    error="the export could not be made (the server log has the reason)")
        store.save(failed)
        return failed
    finally:
        PROGRESS.reset(token)
    store.put_file(job.id, made.body)
    done = state["job"].with_(status="done", stage="done", progress=100, finished=time.time(),
                              mimetype=made.mimetype, ascii_name=made.ascii_name, name=made.name,
                              size=len(made.body))
    store.save(done)
    return done


def serve(settings, parent_pid: int | None = None, idle_exit_s: float = IDLE_EXIT_S) -> None:
    """Take and run jobs until idle for ``idle_exit_s`` (or idle with ``parent_pid`` gone)."""
    from dashboard.exports.jobs import jobs_of

    with _worker_lock(settings) as held:
        if held is None:
            return  # another worker serves this machine
        store = jobs_of(settings)
        idle_since = last_sweep = time.monotonic()
        while True:
            if time.monotonic() - last_sweep > SWEEP_EVERY_S:
                store.sweep()
                last_sweep = time.monotonic()
            job = store.claim(timeout=2)
            if job is not None:
                run_job(store, job, settings)
                idle_since = time.monotonic()
                continue
            orphaned = parent_pid is not None and not _alive(parent_pid)
            if orphaned or time.monotonic() - idle_since > idle_exit_s:
                return


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s export-worker %(levelname)s %(message)s")
    settings = pickle.loads(sys.stdin.buffer.read())  # from ensure_worker, the app's own Settings
    os.nice(RENDER_NICENESS)
    serve(settings, parent_pid=int(argv[0]) if argv else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
