/* Start loading dcc's lazy Graph before the layout arrives, so that the map mounts with the page's first render.
 *
 * dcc.Graph renders its plot through a React.lazy behind a Suspense boundary. The lazy's load starts only when
 * the Graph is first rendered, and under React 18 (dash-renderer's createRoot) the boundary's retry is a
 * low-priority render that the initial callbacks' updates keep pre-empting: measured here, the map stayed a
 * placeholder for about 0.7 s after its code had arrived (README "Performance"). This script sees
 * dcc arrive (it is evaluated after this file, see the page's script order), finds the lazy in the element
 * tree Graph renders, and starts it, so that the layout's first render finds it resolved and never suspends.
 *
 * It reads React internals (a lazy's _init and _payload, stable through React 18.3): anything unexpected and
 * it does nothing, and the page works as before (only later). window.__kbLazyWarm says what it did:
 * a browser test checks it, so a dcc or React upgrade that changes the shape is caught.
 */
(function () {
    'use strict';
    var LAZY = typeof Symbol === 'function' ? Symbol.for('react.lazy') : null;
    var NAME = 'dash_core_components';
    window.__kbLazyWarm = {started: [], skipped: null};

    // The lazy elements in the first levels of an element tree (children and the fallback are props).
    function lazies(node, depth, found) {
        if (!node || typeof node !== 'object' || depth > 4) {
            return found;
        }
        if (Array.isArray(node)) {
            node.forEach(function (n) { lazies(n, depth + 1, found); });
            return found;
        }
        if (node.type && node.type.$$typeof === LAZY) {
            found.push(node.type);
        }
        if (node.props) {
            lazies(node.props.children, depth + 1, found);
        }
        return found;
    }

    // Graph (a class) renders a memo'd function component, which renders Suspense around the lazy.
    function graphLazies(Graph) {
        var el = Graph.prototype.render.call({props: {}, state: {prependData: [], extendData: []},
                                              clearState: function () {}});
        var inner = el && el.type && el.type.type;  // React.memo(fn).type is fn
        if (typeof inner !== 'function') {
            return [];
        }
        return lazies(inner(el.props), 0, []);
    }

    function start(lazy) {
        try {
            lazy._init(lazy._payload);  // throws the pending promise the first time: the load has started
        } catch (pending) {
            if (!pending || typeof pending.then !== 'function') {
                throw pending;
            }
        }
    }

    function warm(dcc) {
        try {
            var found = dcc && dcc.Graph && dcc.Graph.prototype && dcc.Graph.prototype.render
                ? graphLazies(dcc.Graph) : [];
            if (!found.length || typeof found[0]._init !== 'function' || !found[0]._payload) {
                window.__kbLazyWarm.skipped = 'no lazy found in Graph';
                return;
            }
            found.forEach(start);
            window.__kbLazyWarm.started.push('Graph');
        } catch (err) {
            window.__kbLazyWarm.skipped = String(err && err.message || err);
        }
    }

    if (window[NAME]) {
        warm(window[NAME]);
        return;
    }
    var value;
    Object.defineProperty(window, NAME, {
        configurable: true,
        enumerable: true,
        get: function () { return value; },
        set: function (v) {
            value = v;
            Object.defineProperty(window, NAME, {configurable: true, enumerable: true, writable: true, value: v});
            warm(v);
        },
    });
}());
