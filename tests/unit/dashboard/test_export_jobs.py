"""Export jobs: the store (folder and Redis), the job routes' checks and limits, and a real render worker.

Where a test needs jobs to stay queued it holds the render worker's lock itself (as a busy worker would), so no
worker starts and nothing renders; the end-to-end tests let the app start the real worker process.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.exports import jobs as jobs_mod
from dashboard.exports.jobs import FolderJobs, Job, RedisJobs, current, new_job_id
from dashboard.exports.orders import ExportOrder, parse_order
from dashboard.exports.worker import _worker_lock, run_job
from dashboard.users import Role
from geodata import Audience, open_dataset
from tests.accounts import add_test_users, csrf_of, log_in

HEADERS = {"X-Kaihua-Export": "1"}
RENDER_DEADLINE_S = 180  # a cold worker imports the app and starts a Chromium; CI machines are slow


def _job(user: str = "u1", **changes) -> Job:
    return Job(id=new_job_id(), owner="o", audience="public", user=user, order={"kind": "map.png"}, **changes)


@pytest.fixture(params=["folder", "redis"])
def store_pair(request, tmp_path):
    """Two handles on one store, as two processes would hold them."""
    if request.param == "folder":
        return FolderJobs(tmp_path / "jobs"), FolderJobs(tmp_path / "jobs")
    url = request.getfixturevalue("redis_url")
    return RedisJobs(url), RedisJobs(url)


def test_store_limits_claims_and_files(store_pair):
    one, other = store_pair
    first, second = _job("u1"), _job("u1")
    assert one.add(first) is None
    assert other.add(second) is None
    assert one.add(_job("u1")) == "user"  # PER_USER = 2 active jobs per person
    assert one.add(_job("u2"), total=2) == "busy"
    assert other.get(first.id) == first
    claimed = [one.claim(timeout=1), other.claim(timeout=1)]
    assert sorted(j.id for j in claimed) == sorted([first.id, second.id])  # each job to exactly one taker
    assert all(j.status == "rendering" for j in claimed)
    assert one.claim(timeout=0.3) is None
    done = claimed[0].with_(status="done", progress=100, finished=time.time())
    one.save(done)
    other.put_file(done.id, b"\x89PNG body")
    assert one.file(done.id) == b"\x89PNG body"
    assert one.add(_job("u1")) is None  # a finished job no longer counts against its person
    assert one.get("../../etc/passwd") is None and one.file("x" * 30) is None


def test_an_abandoned_job_fails_with_a_reason(store_pair):
    one, _ = store_pair
    job = _job()
    one.add(job)
    stale = one.claim(timeout=1).with_()
    stale = Job(**{**stale.__dict__, "updated": time.time() - jobs_mod.STALE_S - 1})
    one.save(stale)
    seen = current(one, one.get(job.id))
    assert seen.status == "failed" and "worker stopped" in seen.error
    assert one.get(job.id).status == "failed"


def test_the_folder_sweep_removes_old_files(tmp_path):
    store = FolderJobs(tmp_path / "jobs")
    old = _job(status="done", finished=time.time() - jobs_mod.KEEP_S - 1)
    fresh = _job(status="done", finished=time.time())
    for job in (old, fresh):
        store.save(job)
        store.put_file(job.id, b"x")
    store.sweep()
    assert store.get(old.id) is None and store.file(old.id) is None
    assert store.get(fresh.id) == fresh and store.file(fresh.id) == b"x"


def test_job_ids_are_long_and_random():
    ids = {new_job_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(i) >= 32 for i in ids)


def test_run_job_reports_its_progress_and_fails_with_the_reason(tmp_path):
    settings = Settings(state_dir=tmp_path)
    store = FolderJobs(tmp_path / "jobs")
    saved: list[Job] = []

    class Recording(FolderJobs):
        def save(self, job):
            saved.append(job)
            super().save(job)

    recording = Recording(tmp_path / "jobs")
    order = parse_order(open_dataset(), settings, "map.png", {"belt": "B02", "size": "1080p"}, Audience.PUBLIC)
    job = Job(**{**_job().__dict__, "order": order.to_json()})
    store.add(job)
    done = run_job(recording, store.claim(timeout=1), settings)
    assert done.status == "done" and done.mimetype == "image/png"
    stages = [j.stage for j in saved]
    assert stages[0] == "building" and "drawing" in stages and stages[-1] == "done"
    assert [j.progress for j in saved] == sorted(j.progress for j in saved)
    assert store.file(job.id)[:8] == b"\x89PNG\r\n\x1a\n"
    bad = ExportOrder.from_json({**order.to_json(), "args": {"size": "9x9"}})
    failing = Job(**{**_job().__dict__, "order": bad.to_json()})
    store.add(failing)
    failed = run_job(store, store.claim(timeout=1), settings)
    assert failed.status == "failed" and "size" in failed.error


# --- the routes ------------------------------------------------------------------------------------------


@pytest.fixture()
def held_app(tmp_path):
    """An app whose render worker is 'busy' (its lock held here): jobs stay queued."""
    settings = Settings(state_dir=tmp_path)
    app = create_app(settings)
    with _worker_lock(settings) as held:
        assert held is not None
        yield app, tmp_path / "jobs"


def _records(folder: Path) -> list[Path]:
    return list(folder.glob("*.json")) if folder.is_dir() else []


@pytest.mark.parametrize(("path", "status", "reason"), [
    ("/export/jobs/map.png?belt=B99", 400, "unknown belt"),
    ("/export/jobs/map.png?size=9x9", 400, "size"),
    ("/export/jobs/map.pdf?size=4k", 400, "paper size"),
    ("/export/jobs/map.png?measure=rating", 400, "ratings"),
    ("/export/jobs/county.pdf?year=1900", 400, "year"),
    ("/export/jobs/belt/B99.pdf", 404, "belt"),
    ("/export/jobs/belt/../../x.pdf", 404, ""),
    ("/export/jobs/data.csv", 404, "no such export"),
])
def test_bad_requests_are_refused_with_the_reason_and_queue_nothing(held_app, path, status, reason):
    app, folder = held_app
    client = app.server.test_client()
    direct = client.get(path.replace("/export/jobs/", "/export/"))
    resp = client.post(path, headers=HEADERS)
    assert resp.status_code == status
    if status == 400:
        assert direct.status_code == 400  # the direct route refuses the same request
        assert reason in resp.json["error"] and reason in direct.get_data(as_text=True)
    assert _records(folder) == []


def test_a_job_needs_the_page_header(held_app):
    app, folder = held_app
    resp = app.server.test_client().post("/export/jobs/map.png")
    assert resp.status_code == 400 and "X-Kaihua-Export" in resp.json["error"]
    assert _records(folder) == []


def test_one_person_may_have_two_jobs_waiting(held_app):
    app, folder = held_app
    client = app.server.test_client()
    sizes = ["1080p", "4k", "a4", "a3"]
    answers = [client.post(f"/export/jobs/map.png?size={s}", headers=HEADERS) for s in sizes]
    assert [a.status_code for a in answers] == [202, 202, 429, 429]
    assert int(answers[2].headers["Retry-After"]) > 0 and "2" in answers[2].json["error"]
    assert len(_records(folder)) == 2
    # A new session from the same address is the same person; another address is not.
    assert app.server.test_client().post("/export/jobs/map.png", headers=HEADERS).status_code == 429
    other = app.server.test_client().post("/export/jobs/map.png", headers=HEADERS,
                                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 202
    status = client.get(answers[0].json["status_url"])
    assert status.status_code == 200 and status.json["status"] == "queued"
    assert client.get(answers[0].json["status_url"] + "/file").status_code == 409


def _wait_done(client, status_url: str) -> dict:
    deadline = time.monotonic() + RENDER_DEADLINE_S
    while time.monotonic() < deadline:
        status = client.get(status_url).json
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)  # polling a condition, as the page does
    raise AssertionError(f"job not finished in {RENDER_DEADLINE_S} s: {status}")


def _png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(data)).size


@pytest.fixture(scope="module")
def shared_state(tmp_path_factory):
    state = tmp_path_factory.mktemp("jobs-state")
    add_test_users(state)
    return state


def test_a_staff_job_renders_and_only_its_session_reads_it(shared_state):
    """Two app instances on one state folder stand for two gunicorn workers: one queues, the other answers."""
    queueing, answering = create_app(Settings(state_dir=shared_state)), create_app(Settings(state_dir=shared_state))
    staff = queueing.server.test_client()
    log_in(staff, Role.STAFF)
    resp = staff.post("/export/jobs/map.png?belt=B05&measure=rating&size=1080p", headers=HEADERS)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    job = resp.json
    same_session = answering.server.test_client()
    same_session.set_cookie("kaihua_session", staff.get_cookie("kaihua_session").value)
    status = _wait_done(same_session, job["status_url"])
    assert status["status"] == "done", status
    assert status["progress"] == 100 and status["mimetype"] == "image/png"
    png = same_session.get(status["file_url"])
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert _png_size(png.data) == (1920, 1080)
    assert "attachment" in png.headers["Content-Disposition"]
    # The public never reads a staff export: not another browser, not the same one after logging out.
    public = answering.server.test_client()
    public.get("/")
    assert public.get(job["status_url"]).status_code == 404
    assert public.get(status["file_url"]).status_code == 404
    staff.post("/logout", data={"csrf_token": csrf_of(staff)})
    assert staff.get(job["status_url"]).status_code == 404
    assert staff.get(status["file_url"]).status_code == 404


def test_jobs_on_redis_render_and_are_read_by_another_server(tmp_path, redis_url):
    """Two app servers (own folders, one Redis, one secret key): one queues, the other answers."""
    key = "test-secret-key-shared-by-both-servers"
    queueing = create_app(Settings(state_dir=tmp_path / "a", redis_url=redis_url, secret_key=key))
    answering = create_app(Settings(state_dir=tmp_path / "b", redis_url=redis_url, secret_key=key))
    client = queueing.server.test_client()
    resp = client.post("/export/jobs/belt/B02.pdf?lang=en&year=2017", headers=HEADERS)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    assert not _records(tmp_path / "a" / "jobs")  # the job lives in Redis, not in the folder
    same_session = answering.server.test_client()
    same_session.set_cookie("kaihua_session", client.get_cookie("kaihua_session").value)
    status = _wait_done(same_session, resp.json["status_url"])
    assert status["status"] == "done", status
    pdf = same_session.get(status["file_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    stranger = answering.server.test_client()
    assert stranger.get(resp.json["status_url"]).status_code == 404
    assert stranger.get(status["file_url"]).status_code == 404
