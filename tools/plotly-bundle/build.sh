#!/bin/sh
# Rebuild assets/vendor/plotly-kaihua.min.js (see README "Performance"): plotly.js 4.1.1 -- the version Dash
# 4.4.1 / plotly 7.1.0 ship -- with only bar, scatter, scatterpolar, scattergeo and choropleth. Needs npm.
# Options follow plotly.js's own esbuild-config.js, minus its plugins: GLSL and inlined CSS are only for the WebGL
# and MapLibre traces, left out here (maplibre's stylesheet is dropped with --loader:.css=empty).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${PLOTLY_BUNDLE_WORK:-$here/.build}
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
cd "$work"
npm ci --no-audit --no-fund --ignore-scripts --silent
version=$(node -p "require('plotly.js/package.json').version")
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
  --define:global=window --define:define.amd=false --alias:stream=stream-browserify --legal-comments=eof --loader:.css=empty \
  --banner:js="/*! plotly.js v$version (Kaihua Belts bundle: bar, scatter, scatterpolar, scattergeo, choropleth) | (c) Plotly, Inc. | MIT licence | built by tools/plotly-bundle/build.sh */" \
  --outfile="$here/../../assets/vendor/plotly-kaihua.min.js" --log-level=warning
cp node_modules/plotly.js/LICENSE "$here/../../assets/vendor/LICENSE-plotly.js.txt"
