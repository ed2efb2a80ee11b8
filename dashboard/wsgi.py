"""WSGI entry: ``gunicorn dashboard.wsgi:server``."""

from dashboard.app import create_app
from dashboard.serving import warm

app = create_app()
warm(app)  # with preload_app, this runs once in the master, before the workers fork
server = app.server
