"""Performance benchmark of the dashboard: ``python -m benchmarks [--quick] [--data FILE.gpkg] [--out FILE]``.

Modules: dashclient (a stand-in for dash-renderer that records real callback requests), interactions (the five
user actions), baseline (the naive go.Figure callback), server (in-process timing and the gunicorn process),
load (async viewers), browser (Playwright/Chromium), export (kaleido PNG), report (statistics and the table),
run (puts it together).
"""
