"""gunicorn settings for production serving (``make serve``)."""

import os

bind = f"{os.environ.get('KAIHUA_HOST', '127.0.0.1')}:{os.environ.get('KAIHUA_PORT', '8050')}"
workers = int(os.environ.get("KAIHUA_WORKERS", "2"))
threads = int(os.environ.get("KAIHUA_THREADS", "4"))
worker_class = "gthread"
preload_app = True  # load the dataset and build the figure once, before forking
timeout = 60
accesslog = None  # no request log by default: URLs may carry selections
