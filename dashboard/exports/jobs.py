"""Export jobs in shared storage: a folder by default, Redis when ``REDIS_URL`` is set.

A job is a checked :class:`~dashboard.exports.orders.ExportOrder` with an unguessable id, its owner (a hash of
the session's export token: only that session, at that audience, may read it), the person it counts against
(signed-in user, else client address, for the per-user limit), its status (``queued`` -> ``rendering`` ->
``done`` | ``failed`` with a reason) and progress. Every gunicorn worker and app server reads the same store, so
any of them answers the status of a job another one queued and the render worker (``worker.py``, a process of
its own) runs. Nothing of a job lives in one process's memory.

Folder layout (``<state>/jobs/``): ``<id>.json`` (the record, replaced atomically), ``<id>.bin`` (the finished
file), ``<id>.claim`` (created exclusively by the worker that takes the job). Redis: ``kaihua:exports:job:<id>``
(the record), ``...:file:<id>``, the list ``...:queue`` and a set of active ids per person; every key expires.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Protocol

from geodata.store import write_atomic

JOB_ID_BYTES = 24  # 192 random bits, URL-safe: ids cannot be guessed or enumerated
KEEP_S = 15 * 60  # a finished job and its file are kept this long, then swept
STALE_S = 5 * 60  # a rendering job its worker has not touched for this long failed (the worker died)
QUEUED_MAX_S = 10 * 60  # a job nobody started in this long failed (no worker could run)
PER_USER = 2  # queued + rendering jobs one person may have at once
QUEUE_MAX = 40  # queued + rendering jobs in all; beyond, the server is busy
ACTIVE = ("queued", "rendering")


def new_job_id() -> str:
    return secrets.token_urlsafe(JOB_ID_BYTES)


def valid_job_id(value: object) -> bool:
    return (isinstance(value, str) and 20 <= len(value) <= 64
            and all(c.isalnum() or c in "-_" for c in value))


@dataclass(frozen=True)
class Job:
    """One export job as stored (plain JSON)."""

    id: str
    owner: str  # sha256 of the owning session's export token, with the audience it was made at
    audience: str
    user: str  # whom the per-user limit counts (user name or client address)
    order: dict
    lang: str = "zh"  # of the page that asked: the status messages' language
    status: str = "queued"
    progress: int = 0  # 0-100
    stage: str = "queued"
    error: str | None = None
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    mimetype: str | None = None
    ascii_name: str | None = None
    name: str | None = None
    size: int | None = None

    def with_(self, **changes) -> Job:
        return replace(self, updated=time.time(), **changes)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Job | None:
        try:
            data = json.loads(text)
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except (ValueError, TypeError, KeyError):
            return None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def expired(self, now: float) -> bool:
        """Whether the sweep removes this job now, or (for an active one) fails it as abandoned."""
        if self.status == "queued":
            return now - self.created > QUEUED_MAX_S
        if self.status == "rendering":
            return now - self.updated > STALE_S
        return now - (self.finished or self.updated) > KEEP_S


def abandoned(job: Job) -> Job:
    reason = "no export worker started the job" if job.status == "queued" else "the export worker stopped"
    return job.with_(status="failed", stage="failed", error=reason, finished=time.time())


class JobStore(Protocol):
    def add(self, job: Job, per_user: int = PER_USER, total: int = QUEUE_MAX) -> str | None:
        """Queue ``job`` unless its person has ``per_user`` active jobs ("user") or the queue ``total``
        ("busy"): None when queued, else which limit refused it."""

    def get(self, job_id: str) -> Job | None: ...

    def save(self, job: Job) -> None: ...

    def put_file(self, job_id: str, body: bytes) -> None: ...

    def file(self, job_id: str) -> bytes | None: ...

    def claim(self, timeout: float) -> Job | None:
        """The oldest queued job, now marked rendering by this caller (at most one caller gets each), or None
        after ``timeout`` seconds."""

    def sweep(self) -> None:
        """Remove finished jobs older than :data:`KEEP_S`; fail abandoned ones."""


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, sync_dir=False)  # a job's record is cheap to lose in a crash: no folder fsync


class FolderJobs:
    """Jobs as files in ``folder`` (one machine: every worker process of every app on it shares them)."""

    POLL_S = 0.1

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _record(self, job_id: str) -> Path:
        if not valid_job_id(job_id):
            raise ValueError("invalid job id")
        return self.folder / f"{job_id}.json"

    @contextlib.contextmanager
    def _locked(self):
        """Whole-store lock across processes (counting and adding must not interleave)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _all(self) -> list[Job]:
        jobs = []
        for path in self.folder.glob("*.json"):
            try:
                job = Job.from_json(path.read_bytes())
            except FileNotFoundError:
                continue
            if job is not None:
                jobs.append(job)
        return jobs

    def add(self, job: Job, per_user: int = PER_USER, total: int = QUEUE_MAX) -> str | None:
        with self._locked():
            active = [j for j in self._all() if j.active and not j.expired(time.time())]
            if sum(j.user == job.user for j in active) >= per_user:
                return "user"
            if len(active) >= total:
                return "busy"
            _write_atomic(self._record(job.id), job.to_json().encode())
        return None

    def get(self, job_id: str) -> Job | None:
        try:
            return Job.from_json(self._record(job_id).read_bytes())
        except (FileNotFoundError, ValueError):
            return None

    def save(self, job: Job) -> None:
        _write_atomic(self._record(job.id), job.to_json().encode())

    def put_file(self, job_id: str, body: bytes) -> None:
        self._record(job_id)  # checks the id
        _write_atomic(self.folder / f"{job_id}.bin", body)

    def file(self, job_id: str) -> bytes | None:
        try:
            self._record(job_id)
            return (self.folder / f"{job_id}.bin").read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def _try_claim(self, job: Job) -> Job | None:
        try:
            fd = os.open(self.folder / f"{job.id}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return None
        os.close(fd)
        claimed = job.with_(status="rendering", stage="starting", progress=5, started=time.time())
        self.save(claimed)
        return claimed

    def claim(self, timeout: float) -> Job | None:
        deadline = time.monotonic() + timeout
        while True:
            if self.folder.is_dir():
                for job in sorted((j for j in self._all() if j.status == "queued"), key=lambda j: j.created):
                    if (claimed := self._try_claim(job)) is not None:
                        return claimed
            if time.monotonic() >= deadline:
                return None
            time.sleep(self.POLL_S)  # a cheap folder listing; the worker's only wait

    def sweep(self) -> None:
        if not self.folder.is_dir():
            return
        now = time.time()
        for job in self._all():
            if not job.expired(now):
                continue
            if job.active:
                self.save(abandoned(job))
                continue
            for suffix in (".bin", ".claim", ".json"):
                (self.folder / f"{job.id}{suffix}").unlink(missing_ok=True)
        for tmp in self.folder.glob(".tmp-*"):  # left by a process killed mid-write
            with contextlib.suppress(FileNotFoundError):
                if now - tmp.stat().st_mtime > STALE_S:
                    tmp.unlink()


class RedisJobs:
    """Jobs in Redis (``REDIS_URL``): shared by every worker of every app server; each key expires."""

    PREFIX = "kaihua:exports:"
    RECORD_TTL = QUEUED_MAX_S + STALE_S + KEEP_S

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)

    def _key(self, kind: str, job_id: str) -> str:
        if not valid_job_id(job_id):
            raise ValueError("invalid job id")
        return f"{self.PREFIX}{kind}:{job_id}"

    def _user_key(self, user: str) -> str:
        return f"{self.PREFIX}user:{user}"

    def add(self, job: Job, per_user: int = PER_USER, total: int = QUEUE_MAX) -> str | None:
        user_key = self._user_key(job.user)
        # Members whose job finished or expired no longer count.
        for member in self.client.smembers(user_key):
            other = self.get(member.decode())
            if other is None or not other.active or other.expired(time.time()):
                self.client.srem(user_key, member)
        # Add first, then count: two requests racing can both be refused, never both let through.
        self.client.sadd(user_key, job.id)
        self.client.expire(user_key, self.RECORD_TTL)
        if self.client.scard(user_key) > per_user:
            self.client.srem(user_key, job.id)
            return "user"
        if self.client.llen(f"{self.PREFIX}queue") >= total:
            self.client.srem(user_key, job.id)
            return "busy"
        self.save(job)
        self.client.rpush(f"{self.PREFIX}queue", job.id)
        return None

    def get(self, job_id: str) -> Job | None:
        try:
            raw = self.client.get(self._key("job", job_id))
        except ValueError:
            return None
        return Job.from_json(raw) if raw is not None else None

    def save(self, job: Job) -> None:
        self.client.set(self._key("job", job.id), job.to_json(), ex=self.RECORD_TTL)
        if not job.active:
            self.client.srem(self._user_key(job.user), job.id)

    def put_file(self, job_id: str, body: bytes) -> None:
        self.client.set(self._key("file", job_id), body, ex=KEEP_S)

    def file(self, job_id: str) -> bytes | None:
        try:
            return self.client.get(self._key("file", job_id))
        except ValueError:
            return None

    def claim(self, timeout: float) -> Job | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            popped = self.client.blpop([f"{self.PREFIX}queue"], timeout=max(1, int(left)))
            if popped is None:
                return None
            job = self.get(popped[1].decode())
            if job is not None and job.status == "queued" and not job.expired(time.time()):
                claimed = job.with_(status="rendering", stage="starting", progress=5, started=time.time())
                self.save(claimed)
                return claimed
        return None

    def sweep(self) -> None:
        """Keys expire by themselves; a rendering job whose worker died is failed when read (see
        :func:`current`)."""


def current(store: JobStore, job: Job) -> Job:
    """``job``, failed if it was abandoned (its worker died or none ever started it)."""
    if job.active and job.expired(time.time()):
        failed = abandoned(job)
        store.save(failed)
        return failed
    return job


def open_jobs(folder: Path, redis_url: str | None = None) -> JobStore:
    """The job store: Redis when ``redis_url`` is given, else ``folder``."""
    return RedisJobs(redis_url) if redis_url else FolderJobs(folder)


def jobs_of(settings) -> JobStore:
    return open_jobs(settings.state / "jobs", settings.redis_url)
