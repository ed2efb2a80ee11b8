"""``python -m dashboard.exports batch ...``: see :mod:`dashboard.exports.batch`."""

import sys

from dashboard.exports.batch import main

sys.exit(main())
