"""A tiny stand-in for dash-renderer: it turns a user action into the exact callback requests the browser sends.

It reads the app's own ``/_dash-layout`` and ``/_dash-dependencies`` (so it follows the app as it changes, and
works on any dataset), keeps the value of every component prop, and on an action ("map.clickData = ...") builds
the ``/_dash-update-component`` bodies of every server callback the change fires, follows their outputs to the
callbacks those fire in turn, and records each request and its response. The recorded bodies are what the
benchmark replays: in-process through Flask's test client and over HTTP by the load client.

Only what this app uses is modelled: plain and ``ALL`` wildcard IDs, multi-outputs, ``allow_duplicate``
outputs, ``dash.Patch`` responses (kept, not applied: no callback reads the map figure) and new components
arriving in ``children``. Clientside callbacks are skipped (they cost the server nothing).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

UPDATE = "/_dash-update-component"  # where dash-renderer POSTs a callback's request

# post(body) -> (HTTP status, decoded JSON response or None)
Post = Callable[[dict], tuple[int, dict | None]]


def stringify_id(ident: object) -> str:
    """Dash's string form of a component ID (dict IDs: sorted keys, compact JSON)."""
    if isinstance(ident, dict):
        return json.dumps(ident, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(ident)


def parse_outputs(output: str) -> list[tuple[str, str]]:
    """``"..a.b...c.d.."`` or ``"a.b@hash"`` -> [(id, prop), ...]."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        ident, _, prop = part.split("@", 1)[0].rpartition(".")
        out.append((ident, prop))
    return out


def _wildcard(ident: str) -> dict | None:
    if not ident.startswith("{"):
        return None
    spec = json.loads(ident)
    return spec if any(v == ["ALL"] for v in spec.values()) else None


def _matches(spec: dict, ident: object) -> bool:
    return (isinstance(ident, dict) and ident.keys() == spec.keys()
            and all(v == ["ALL"] or ident[k] == v for k, v in spec.items()))


@dataclass
class Request:
    """One recorded callback request: what was sent and what came back."""

    name: str  # the callback's output string, shortened
    body: dict
    status: int
    response: dict | None


class DashClient:
    """Component props plus the app's callback graph; :meth:`act` plays one user action."""

    def __init__(self, layout: dict, dependencies: list[dict], post: Post) -> None:
        self.props: dict[str, dict] = {}  # stringified id -> props
        self.ids: dict[str, object] = {}  # stringified id -> the id itself
        self.deps = [d for d in dependencies if not d.get("clientside_function")]
        self.post = post
        self._collect(layout)

    def _collect(self, node: object) -> None:
        """Record every component (with an ID) in ``node`` and its children."""
        if isinstance(node, list):
            for child in node:
                self._collect(child)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if "id" in props:
                key = stringify_id(props["id"])
                self.ids[key] = props["id"]
                self.props[key] = dict(props)
            self._collect(props.get("children"))

    def _expand(self, ident: str) -> list[str]:
        spec = _wildcard(ident)
        if spec is None:
            return [ident]
        return [k for k, v in self.ids.items() if _matches(spec, v)]

    def _value(self, key: str, prop: str) -> object:
        return self.props.get(key, {}).get(prop)

    def _specs(self, specs: list[dict]) -> list:
        out: list = []
        for spec in specs:
            keys = self._expand(spec["id"])
            items = [{"id": self.ids.get(k, k), "property": spec["property"], "value": self._value(k, spec["property"])}
                     for k in keys]
            out.append(items if _wildcard(spec["id"]) else items[0])
        return out

    def body_for(self, dep: dict, changed: list[str]) -> dict:
        """The request body dash-renderer sends for ``dep`` after ``changed`` ("id.prop") changed."""
        outputs = []
        for ident, prop in parse_outputs(dep["output"]):
            group = [{"id": self.ids.get(k, k), "property": prop} for k in self._expand(ident)]
            outputs.append(group if _wildcard(ident) else group[0])
        return {"output": dep["output"], "outputs": outputs if dep["output"].startswith("..") else outputs[0],
                "inputs": self._specs(dep["inputs"]), "state": self._specs(dep["state"]),
                "changedPropIds": changed}

    def _fired_by(self, changed: dict[str, frozenset]) -> list[tuple[dict, list[str], frozenset]]:
        """The callbacks ``changed`` ("id.prop" -> the callbacks that led to it) fires, with their inputs hit
        and their predecessors. As dash-renderer does, a callback is not fired again by a change it led to
        itself (a callback may write one of its own inputs)."""
        fired = []
        for dep in self.deps:
            hits = [f"{k}.{i['property']}" for i in dep["inputs"] for k in self._expand(i["id"])
                    if f"{k}.{i['property']}" in changed]
            predecessors = frozenset().union(*(changed[h] for h in hits))
            if hits and dep["output"] not in predecessors:
                fired.append((dep, hits, predecessors))
        return fired

    def _apply(self, response: dict) -> set[str]:
        changed = set()
        for key, props in response.get("response", {}).items():
            for prop, value in props.items():
                self.props.setdefault(key, {})[prop] = value
                changed.add(f"{key}.{prop}")
                if prop == "children":
                    self._collect(value)
        return changed

    def follow(self, response: dict, dep: dict, predecessors: frozenset, next_changed: dict) -> None:
        """Apply ``dep``'s ``response`` and add what it changed, with the callbacks that led to it, to
        ``next_changed``."""
        for hit in self._apply(response):
            next_changed[hit] = next_changed.get(hit, frozenset()) | predecessors | {dep["output"]}

    def act(self, ident: object, prop: str, value: object, max_rounds: int = 6) -> list[Request]:
        """Set ``ident.prop = value`` as the user would and run every server callback that follows."""
        key = stringify_id(ident)
        self.props.setdefault(key, {})[prop] = value
        changed: dict[str, frozenset] = {f"{key}.{prop}": frozenset()}
        recorded: list[Request] = []
        for _ in range(max_rounds):
            next_changed: dict[str, frozenset] = {}
            for dep, hits, predecessors in self._fired_by(changed):
                body = self.body_for(dep, hits)
                status, response = self.post(body)
                recorded.append(Request(short_name(dep["output"]), body, status, response))
                if status == 200 and response:
                    self.follow(response, dep, predecessors, next_changed)
            if not next_changed:
                break
            changed = next_changed
        return recorded


def short_name(output: str) -> str:
    """A readable name for a callback: its first output without the duplicate-output hash."""
    ident, prop = parse_outputs(output)[0]
    return f"{ident}.{prop}"
