"""The saved offline route map, opened in a real headless Chromium with the network cut.

Chromium runs with a dead proxy (127.0.0.1:9), background networking off and
a fresh profile; the page is driven over the DevTools protocol (a local
websocket), which reports every request the *page* makes
(Network.requestWillBeSent).  The test asserts that the map drew (Leaflet
SVG paths for the arcs and markers, the legend, the "inferred" label, a
screenshot containing the route colour) and that every request the page made
was to file: or data: URLs -- none to the network.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
ROUTE_RGB = (0xB2, 0x18, 0x2B)  # osint_kit.maps.COLORS["flight"]


def _open_devtools(profile: Path, timeout: float = 20.0):
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={profile}", "--remote-debugging-port=0",
            "--window-size=1200,800", "about:blank"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while not port_file.exists() or not port_file.read_text().strip():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("Chromium did not start its DevTools endpoint")
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    # local DevTools endpoint on the loopback interface (not the network)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(50):
        try:
            targets = json.loads(opener.open(f"http://127.0.0.1:{port}/json", timeout=5).read())
            break
        except OSError:
            time.sleep(0.1)
    page = next(t for t in targets if t["type"] == "page")
    return proc, page["webSocketDebuggerUrl"]


class _CDP:
    def __init__(self, url):
        import websocket

        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("method") == method for e in self.events):
                return
            self.ws.settimeout(max(deadline - time.monotonic(), 0.1))
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression,
                         returnByValue=True)["result"].get("value")


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory):
    import osint_kit
    from osint_kit.maps import route_map
    from osint_kit.offline import save_offline_html

    case = osint_kit.load_case("ru-ir-missile-experts-2024")
    path = tmp_path_factory.mktemp("map") / "route_map_offline.html"
    return save_offline_html(route_map(case), path)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary (install Debian package "
                                             "'chromium'); the offline map cannot be opened")
def test_offline_map_draws_in_chromium_without_network(offline_map, tmp_path):
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")
    proc, ws_url = _open_devtools(tmp_path / "profile")
    try:
        cdp = _CDP(ws_url)
        cdp.call("Network.enable")
        cdp.call("Page.enable")
        cdp.call("Page.navigate", url=offline_map.as_uri())
        cdp.wait_for("Page.loadEventFired")
        time.sleep(1.0)  # let Leaflet finish fitBounds and draw
        counts = cdp.evaluate("""({
            paths: document.querySelectorAll('path.leaflet-interactive').length,
            route: document.querySelectorAll('path[stroke="#b2182b"]').length,
            dashed: document.querySelectorAll('path[stroke="#b2182b"][stroke-dasharray]').length,
            legend: !!document.getElementById('osint-kit-legend'),
            tooltips: Array.from(document.querySelectorAll('.leaflet-tooltip'))
                           .map(t => t.textContent.trim()),
            layers: Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
                         .map(l => l.textContent.trim()),
            leaflet: typeof L !== 'undefined' && L.version,
            jquery: typeof jQuery !== 'undefined' && jQuery.fn.jquery,
        })""")
        shot = base64.b64decode(cdp.call("Page.captureScreenshot", format="png")["data"])
        requests = [e["params"]["request"]["url"] for e in cdp.events
                    if e.get("method") == "Network.requestWillBeSent"]
        failed = [e["params"] for e in cdp.events if e.get("method") == "Network.loadingFailed"]
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert counts["leaflet"] == "1.9.3" and counts["jquery"] == "3.7.1"
    # 1 evidenced route + 1 inferred leg in the route colour; the inferred one dashed
    assert counts["route"] == 2 and counts["dashed"] == 1
    assert counts["paths"] >= 2 + 8  # arcs + place markers (+ uncertainty circles)
    assert counts["legend"]
    assert "inferred" in counts["tooltips"]  # the permanent label on the dashed leg
    assert counts["layers"] == ["Context (basemap, airports)", "Flights (records)",
                                "Claims & events"]
    # no request left the machine
    offline = [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
    assert offline == [], f"the page requested {offline}"
    assert failed == []
    # a non-blank screenshot with the route colour in it
    from PIL import Image

    img = Image.open(io.BytesIO(shot)).convert("RGB")
    colours = img.getcolors(maxcolors=1_000_000)
    assert len(colours) > 20  # not a blank page
    near_route = sum(n for n, (r, g, b) in colours
                     if abs(r - ROUTE_RGB[0]) < 25 and abs(g - ROUTE_RGB[1]) < 25
                     and abs(b - ROUTE_RGB[2]) < 25)
    assert near_route > 200  # pixels of the drawn arcs
