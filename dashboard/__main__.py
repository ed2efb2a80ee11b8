"""``python -m dashboard``: serve the app, or manage users and read the audit log (see dashboard/cli.py)."""

import sys

from dashboard.cli import main

if __name__ == "__main__":
    sys.exit(main())
