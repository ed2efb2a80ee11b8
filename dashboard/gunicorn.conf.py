"""gunicorn settings for production serving (``make serve``). Measured in README "Performance"."""

import os

bind = f"{os.environ.get('KAIHUA_HOST', '127.0.0.1')}:{os.environ.get('KAIHUA_PORT', '8050')}"
workers = int(os.environ.get("KAIHUA_WORKERS", "2"))
# Threads let a worker keep answering while another request waits on a slow client; callbacks are short and
# CPU-bound (the GIL), so more processes, not more threads, is how to use more cores.
threads = int(os.environ.get("KAIHUA_THREADS", "4"))
worker_class = "gthread"
# Load the dataset, build the figure and warm the caches once (dashboard/wsgi.py), before forking: the
# workers share those pages copy-on-write and none pays the first-request cost.
preload_app = True
timeout = 60
graceful_timeout = 20
keepalive = 5  # the browser reuses its connection for the callback requests of one interaction
# Restart a worker now and then (re-forked from the warm master, so cheaply) to bound any slow growth.
max_requests = 5000
max_requests_jitter = 500
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat file off disk
accesslog = None  # no request log by default: URLs may carry selections


def post_fork(server, worker):  # noqa: ARG001 (gunicorn's hook signature)
    """A worker must not share the master's database connections (opened while preloading: the session key,
    users): each worker opens its own pool. Redis clients reconnect after a fork by themselves (redis-py)."""
    from geodata.db import dispose_all

    dispose_all()
