"""``python -m dashboard``: serve the app on KAIHUA_HOST:KAIHUA_PORT (default 127.0.0.1:8050)."""

from dashboard.app import create_app
from dashboard.config import Settings


def main() -> None:
    settings = Settings.from_env()
    create_app(settings).run(host=settings.host, port=settings.port, debug=settings.debug)


if __name__ == "__main__":
    main()
