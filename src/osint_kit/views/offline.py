"""Self-contained map HTML that works with no network at all.

A folium map's HTML loads Leaflet, jQuery, Bootstrap, Font Awesome and the
awesome-markers plugin from CDNs.  :func:`offline_html` rewrites it:

* Leaflet 1.9.3 (JS + CSS) and jQuery 3.7.1 are inlined from the PyPI
  packages ``xstatic-leaflet`` and ``xstatic-jquery``.  They are the very
  files folium 0.20 references: their SHA-256 equals the Subresource
  Integrity hashes published for ``leaflet@1.9.3/dist/leaflet.js``,
  ``leaflet.css`` and ``code.jquery.com/jquery-3.7.1.min.js``
  (:data:`PUBLISHED_SRI`, checked by :func:`verify_assets`).
* Leaflet.markercluster (folium's MarkerCluster / FastMarkerCluster) is
  inlined from ``xstatic-leaflet-markercluster`` 1.4.1 (folium references
  1.1.0 on a CDN; the 1.x API is the same and 1.4.1 is the release made for
  Leaflet 1.x).
* Leaflet's CSS images and the default marker icon are inlined as data URIs,
  and ``L.Icon.Default`` is pointed at them (Leaflet otherwise guesses an
  ``images/`` path next to its CSS, which does not exist in one file).
* Bootstrap, Glyphicons, Font Awesome and awesome-markers are dropped: the
  kit's maps draw with ``L.circleMarker`` and plain HTML popups, which need
  none of them.  A map that uses ``folium.Icon`` (awesome-markers) cannot be
  made offline this way and raises :class:`~osint_kit.errors.OfflineError`.
* Any other external script or stylesheet, or a web tile layer (unless
  ``allow_tiles=True``), raises :class:`OfflineError` naming it, so the
  result never silently depends on the network.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from osint_kit.errors import OfflineError

__all__ = [
    "PUBLISHED_SRI",
    "asset_path",
    "verify_assets",
    "offline_html",
    "save_offline_html",
    "external_urls",
    "find_chromium",
    "open_in_chromium",
    "notebook_display",
]

#: Subresource-Integrity hashes published for the files folium 0.20 loads
#: (leafletjs.com download page / unpkg; code.jquery.com).
PUBLISHED_SRI = {
    "leaflet.js": "sha256-WBkoXOwTeyKclOHuWtc+i2uENFpDZ9YPdf5Hf+D7ewM=",
    "leaflet.css": "sha256-kLaT2GOSpHechhsozzB+flnD+zUyjE2LlfWPgU04xyI=",
    "jquery.min.js": "sha256-/JqT3SQfawRcv/BIHPThkBvs0OEvtFFmqPF/lYI/Cxo=",
}

# external URL (regex) -> local asset name, or None to drop
_SCRIPTS = [
    (r"/leaflet@1\.9\.3/dist/leaflet\.js$", "leaflet.js"),
    (r"/jquery-3\.7\.1\.min\.js$", "jquery.min.js"),
    (r"/leaflet\.markercluster(?:-src)?\.js$", "leaflet.markercluster.js"),
    (r"/bootstrap(?:\.bundle)?(?:\.min)?\.js$", None),
    (r"/leaflet\.awesome-markers(?:\.min)?\.js$", None),
]
_STYLES = [
    (r"/leaflet@1\.9\.3/dist/leaflet\.css$", "leaflet.css"),
    (r"/MarkerCluster\.css$", "MarkerCluster.css"),
    (r"/MarkerCluster\.Default\.css$", "MarkerCluster.Default.css"),
    (r"/bootstrap(?:\.min)?\.css$", None),
    (r"/bootstrap-glyphicons\.css$", None),
    (r"/fontawesome-free@[^/]+/css/all\.min\.css$", None),
    (r"/leaflet\.awesome-markers\.css$", None),
    (r"/leaflet\.awesome\.rotate\.min\.css$", None),
]

_SCRIPT_TAG = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_STYLE_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')


def asset_path(name: str) -> Path:
    """Local file of an inlined asset (from the xstatic packages)."""
    if name in {"leaflet.js", "leaflet.css"} or name.startswith("images/"):
        import xstatic.pkg.leaflet as pkg
    elif name == "jquery.min.js":
        import xstatic.pkg.jquery as pkg
    elif name.startswith(("leaflet.markercluster", "MarkerCluster")):
        try:
            import xstatic.pkg.leaflet_markercluster as pkg
        except ImportError as exc:  # pragma: no cover - dependency declared
            raise OfflineError(
                "marker clustering offline needs the package "
                "xstatic-leaflet-markercluster: pip install "
                "xstatic-leaflet-markercluster"
            ) from exc
    else:
        raise KeyError(name)
    return Path(pkg.BASE_DIR) / name


def _sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def verify_assets() -> dict[str, bool]:
    """Whether each packaged file is byte-identical to the published one."""
    return {name: _sri(asset_path(name).read_bytes()) == sri for name, sri in PUBLISHED_SRI.items()}


def _data_uri(path: Path) -> str:
    mime = "image/png" if path.suffix == ".png" else "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def _inline_css(name: str) -> str:
    path = asset_path(name)
    css = path.read_text(encoding="utf-8")

    def repl(match):
        ref = match.group(1).strip("'\"")
        if ref.startswith(("data:", "#")):
            return match.group(0)
        return f"url({_data_uri(path.parent / ref)})"

    return "<style>\n" + re.sub(r"url\(([^)]+)\)", repl, css) + "\n</style>"


def _inline_js(name: str) -> str:
    js = asset_path(name).read_text(encoding="utf-8").replace("</script", "<\\/script")
    out = "<script>\n" + js + "\n</script>"
    if name == "leaflet.js":
        images = asset_path("images/marker-icon.png").parent
        out += (
            "\n<script>/* osint-kit: Leaflet's default icon from data URIs, not images/ */\n"
            "L.Icon.Default.imagePath = '';\n"
            "L.Icon.Default.mergeOptions({"
            f"iconUrl: '{_data_uri(images / 'marker-icon.png')}', "
            f"iconRetinaUrl: '{_data_uri(images / 'marker-icon-2x.png')}', "
            f"shadowUrl: '{_data_uri(images / 'marker-shadow.png')}'}});\n</script>"
        )
    return out


def external_urls(html: str) -> list[str]:
    """http(s) URLs the page would *load* (scripts, stylesheets, images,
    CSS url(), tile templates) -- links a reader may click are not counted."""
    found = re.findall(r'<(?:script|img|iframe|source)[^>]+src="(https?:[^"]+)"', html)
    found += re.findall(r'<link[^>]+href="(https?:[^"]+)"', html)
    found += re.findall(r"url\(\s*['\"]?(https?:[^)'\"]+)", html)
    found += re.findall(r"L\.tileLayer\(\s*\"(https?:[^\"]+)\"", html)
    return found


def offline_html(m, *, allow_tiles: bool = False) -> str:
    """The map's complete HTML with every library inlined (see module doc)."""
    html = m.get_root().render()
    if "L.AwesomeMarkers" in html:
        raise OfflineError(
            "the map uses folium.Icon (awesome-markers, Font Awesome), which "
            "needs CDN files; use folium.CircleMarker or a DivIcon instead"
        )

    def swap(table, match, inline):
        url = match.group("url")
        for pattern, name in table:
            if re.search(pattern, url):
                return "" if name is None else inline(name)
        raise OfflineError(
            f"the map loads {url} and no offline copy is known; "
            "remove that plugin or add its files to osint_kit.views.offline"
        )

    html = _SCRIPT_TAG.sub(lambda mt: swap(_SCRIPTS, mt, _inline_js), html)
    html = _STYLE_TAG.sub(lambda mt: swap(_STYLES, mt, _inline_css), html)
    remaining = external_urls(html)
    tiles = [u for u in remaining if "{z}" in u or "{x}" in u]
    if tiles and not allow_tiles:
        raise OfflineError(
            f"the map has web tiles ({tiles[0]}); build it with tiles=None "
            "(the offline basemap) or pass allow_tiles=True"
        )
    others = [u for u in remaining if u not in tiles]
    if others:
        raise OfflineError(f"the map would still load {others[0]} from the network")
    return html


def notebook_display(m, *, height: int = 520, allow_tiles: bool = False):
    """Show a folium map in Jupyter *without* the network.

    Displaying ``m`` directly makes Jupyter load Leaflet and jQuery from CDNs,
    so on an air-gapped machine the cell stays blank.  This wraps
    :func:`offline_html` in an ``<iframe srcdoc>`` instead.  Returns an
    :class:`IPython.display.HTML` object (make it the last line of a cell).
    """
    import html as _html
    import warnings

    from IPython.display import HTML

    page = offline_html(m, allow_tiles=allow_tiles)
    with warnings.catch_warnings():  # IPython suggests IFrame(src=...): we need srcdoc
        warnings.simplefilter("ignore", UserWarning)
        return HTML(
            f'<iframe srcdoc="{_html.escape(page, quote=True)}" '
            f'style="width: 100%; height: {int(height)}px; border: 1px solid #ccc;" '
            'sandbox="allow-scripts allow-popups"></iframe>'
        )


def save_offline_html(m, path: str | Path, *, allow_tiles: bool = False) -> Path:
    """Write :func:`offline_html` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(offline_html(m, allow_tiles=allow_tiles), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- checking


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary, or None."""
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _exception_text(details: dict) -> str:
    """One line for a DevTools ``exceptionDetails``: the error's description
    (e.g. "SyntaxError: Invalid Unicode escape sequence") and where it was."""
    exc = details.get("exception") or {}
    what = exc.get("description") or details.get("text", "script error")
    return f"{what.splitlines()[0]} (line {details.get('lineNumber', 0) + 1})"


def open_in_chromium(
    path: str | Path,
    *,
    evaluate: str = "document.title",
    settle_seconds: float = 1.0,
    chromium: str | None = None,
    window: tuple[int, int] = (1200, 800),
    timeout: float = 60.0,
) -> dict:
    """Open a local HTML file in headless Chromium with the network cut and report.

    Chromium runs with a dead proxy (127.0.0.1:9), background networking,
    sync and component updates off, and a fresh temporary profile.  It is
    driven over the DevTools protocol (a websocket on the loopback
    interface, ``websocket-client``), which reports every request the *page*
    makes.

    Returns
    -------
    dict
        ``requests`` (URLs the page requested, in order), ``failed``
        (Network.loadingFailed events), ``errors`` (uncaught script errors,
        as text), ``dialogs`` (messages of alert/confirm/prompt dialogs the
        page opened, in any frame), ``value`` (result of the JavaScript
        ``evaluate`` after load + ``settle_seconds``), ``screenshot`` (PNG
        bytes).

    Raises
    ------
    OfflineError
        No Chromium binary, or it did not start.
    """
    import json
    import subprocess
    import tempfile
    import time
    import urllib.request

    import websocket

    binary = chromium or find_chromium()
    if binary is None:
        raise OfflineError(
            "no Chromium found: install the Debian package 'chromium' (apt-get install chromium)"
        )
    with tempfile.TemporaryDirectory(
        prefix="osint-kit-chromium-", ignore_cleanup_errors=True
    ) as profile:
        args = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            f"--window-size={window[0]},{window[1]}",
            "about:blank",
        ]
        # own process group, so the browser's helper processes end with it
        proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + timeout
            while not (port_file.exists() and port_file.read_text().strip()):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise OfflineError("Chromium did not start its DevTools endpoint")
                time.sleep(0.1)
            port = int(port_file.read_text().split()[0])
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            for _ in range(100):
                try:
                    targets = json.loads(
                        opener.open(f"http://127.0.0.1:{port}/json", timeout=5).read()
                    )
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise OfflineError("Chromium's DevTools endpoint did not answer")
            page = next(t for t in targets if t["type"] == "page")
            ws = websocket.create_connection(
                page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True
            )
            events: list[dict] = []
            counter = iter(range(1, 1_000_000))

            def call(method, **params):
                msg_id = next(counter)
                ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
                while True:
                    msg = json.loads(ws.recv())
                    if msg.get("id") == msg_id:
                        if "error" in msg:
                            raise OfflineError(f"DevTools {method}: {msg['error']}")
                        return msg.get("result", {})
                    events.append(msg)

            call("Network.enable")
            call("Page.enable")
            call("Runtime.enable")  # reports uncaught script errors (Runtime.exceptionThrown)
            call("Page.navigate", url=Path(path).resolve().as_uri())
            while not any(e.get("method") == "Page.loadEventFired" for e in events):
                if time.monotonic() > deadline:
                    raise OfflineError("the page did not finish loading")
                events.append(json.loads(ws.recv()))
            time.sleep(settle_seconds)
            value = call("Runtime.evaluate", expression=evaluate, returnByValue=True)["result"].get(
                "value"
            )
            shot = base64.b64decode(call("Page.captureScreenshot", format="png")["data"])
            ws.close()
        finally:
            import os
            import signal

            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
    return {
        "requests": [
            e["params"]["request"]["url"]
            for e in events
            if e.get("method") == "Network.requestWillBeSent"
        ],
        "failed": [e["params"] for e in events if e.get("method") == "Network.loadingFailed"],
        "errors": [
            _exception_text(e["params"]["exceptionDetails"])
            for e in events
            if e.get("method") == "Runtime.exceptionThrown"
        ],
        "dialogs": [
            e["params"].get("message", "")
            for e in events
            if e.get("method") == "Page.javascriptDialogOpening"
        ],
        "value": value,
        "screenshot": shot,
    }
