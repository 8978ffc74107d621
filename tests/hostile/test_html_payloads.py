"""Hostile text in every field that reaches the kit's HTML maps (issue 9, item 1).

folium compiles the output of every popup and tooltip as a Jinja2 template
and puts it inside JavaScript template literals, which the browser parses as
HTML: source text must be inert in all three (osint_kit.views.htmltext).  These
property tests put arbitrary text (hypothesis) and known payloads into every
text field of a case and of an export's legs, render route_map and
point_map, and assert that each text is in the page exactly as
``htmltext.inert`` writes it (so the browser shows it as written), that
nothing else in the page changed (nothing was evaluated), and that a
payload reaching ``os`` had no side effect.

Generated inputs per run: 25 (route_map, about 1 s each: the map is built,
rendered and inlined) + 60 (point_map) + 300 (folium popup/tooltip round
trip) = 385, plus every payload of PAYLOADS at once in every route_map field.
"""

from __future__ import annotations

import ast
import copy
import html
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SENTINEL = Path(f"/tmp/osint-kit-pwned-{os.getpid()}")
PAYLOADS = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{# c #}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    f"{{{{ cycler.__init__.__globals__.os.popen('touch {SENTINEL}').read() }}}}",
    "{{ cycler.__init__.__globals__.os.environ.__setitem__('OSINT_KIT_PWNED', '1') }}",
    "{% raw %}x{% endraw %}",
    "${alert(1)}",
    "`",
    "``+alert(1)+``",
    "\\",
    "C:\\users\\x",
    "\\u00",
    "\\`${1}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "\"'><svg onload=alert(1)>",
    "{{",
    "{%",
    "}}",
    "{{ x",
    "%}",
    "#}",
    "{",
    "}",
    "a\nb\r\nc\rd",
    "&amp; &rarr; &#123;",
    "\x00",
]
TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=30),
    st.builds(str.__add__, st.sampled_from(PAYLOADS), st.text(max_size=8)),
)
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def shown(value: str) -> str:
    """What the browser shows for ``value``: itself, NUL as U+FFFD (HTML cannot carry NUL)."""
    return value.replace("\x00", "\ufffd")


def _no_side_effect():
    assert not SENTINEL.exists(), "a Jinja2 payload ran a shell command"
    assert "OSINT_KIT_PWNED" not in os.environ, "a Jinja2 payload changed the environment"


@lru_cache(maxsize=1)
def _base():
    import osint_kit
    from osint_kit.analysis.legs import case_legs

    case = osint_kit.load_case("ru-ir-missile-experts-2024")
    return case, case_legs(case).legs


# field number -> where it is put (all of them reach a popup or a tooltip)
FIELDS = [
    "place_id",
    "place name",
    "precision",
    "coord_origin",
    "source_url",
    "claim_id",
    "claim date",
    "claim text",
    "source_id",
    "reliability",
    "stance",
    "event_id",
    "event date",
    "event title",
    "record_id",
    "record_kind",
    "leg origin",
    "leg destination",
    "origin_name",
    "destination_name",
    "origin_precision",
    "Tehran place_id (legs)",
]
NOT_SHOWN = ["alt_names"]  # read, never drawn: put in as well, to show it breaks nothing


def hostile_case(t: str):
    """The bundled case and its legs with field k set to "«k»" + t + "»"."""
    case, legs = _base()
    # closed by "»": pandas 3 compares a str ending in NUL unequal to itself
    # ("a\x00" == "a\x00" is False), which would unlink an id from its rows
    v = {name: f"«{k}»{t}»" for k, name in enumerate(FIELDS)}
    c = copy.copy(case)
    places, claims = case.places.copy(), case.claims.copy()
    assertions, sources, events = case.assertions.copy(), case.sources.copy(), case.events.copy()
    lg = legs.copy()
    p02 = places["place_id"] == "P02"
    for col, name in [
        ("name", "place name"),
        ("precision", "precision"),
        ("coord_origin", "coord_origin"),
        ("source_url", "source_url"),
    ]:
        places.loc[p02, col] = v[name]
    places.loc[p02, "alt_names"] = t
    places.loc[p02, "place_id"] = v["place_id"]
    claims.loc[claims["place_id"] == "P02", "place_id"] = v["place_id"]
    c12 = claims["claim_id"] == "C12"
    claims.loc[c12, "date"] = v["claim date"]
    claims.loc[c12, "text"] = v["claim text"]
    claims.loc[c12, "claim_id"] = v["claim_id"]
    a12 = assertions["claim_id"] == "C12"
    assertions.loc[a12, "stance"] = v["stance"]
    assertions.loc[a12, "claim_id"] = v["claim_id"]
    # reuters_orig: asserts C12 and is the source of T3
    sources.loc[sources["source_id"] == "reuters_orig", "reliability"] = v["reliability"]
    for frame in (sources, assertions, lg):
        frame.loc[frame["source_id"] == "reuters_orig", "source_id"] = v["source_id"]
    first = events.index[events["place_id"].notna()][0]
    events.loc[first, ["event_id", "date", "title"]] = [
        v["event_id"],
        v["event date"],
        v["event title"],
    ]
    t3 = lg["record_id"] == "T3"
    lg.loc[t3, ["record_kind", "origin", "destination"]] = [
        v["record_kind"],
        v["leg origin"],
        v["leg destination"],
    ]
    lg.loc[t3, "record_id"] = v["record_id"]
    lg["origin_name"] = v["origin_name"]
    lg["destination_name"] = v["destination_name"]
    lg["origin_precision"] = v["origin_precision"]
    places.loc[places["place_id"] == "P11", "place_id"] = v["Tehran place_id (legs)"]
    lg.loc[lg["destination_place_id"] == "P11", "destination_place_id"] = v[
        "Tehran place_id (legs)"
    ]
    c.places, c.claims, c.assertions, c.sources, c.events = (
        places,
        claims,
        assertions,
        sources,
        events,
    )
    return c, lg, v


_NAMES = re.compile(r"_[0-9a-f]{32}")  # folium's random element ids


def _skeleton(page: str, values: dict) -> str:
    """The page with folium's ids normalised and each field's inert text cut out."""
    from osint_kit.views.htmltext import inert

    page = _NAMES.sub("_ID", page)
    for k, val in sorted(values.items(), key=lambda kv: -len(kv[1])):
        page = page.replace(inert(val), f"<<{k}>>")
    return page


def _decoded_fragments(page: str) -> list[str]:
    """Popup and tooltip contents as the browser reads them (HTML-decoded)."""
    found = re.findall(r"\$\(`(.*?)`\)\[0\]", page, re.DOTALL)
    found += re.findall(r"bindTooltip\(\s*`(.*?)`", page, re.DOTALL)
    return [html.unescape(f) for f in found]


@lru_cache(maxsize=1)
def _clean_skeleton():
    from osint_kit.views.maps import route_map

    case, legs, v = hostile_case("")
    return _skeleton(route_map(case, legs=legs, basemap=False).get_root().render(), v)


@settings(SETTINGS, max_examples=25)
@given(t=TEXT)
def test_route_map_shows_every_field_as_written(t):
    _check_route_map(t)


def test_route_map_with_every_payload_in_every_field():
    _check_route_map(" ".join(PAYLOADS))


def _check_route_map(t):
    from osint_kit.views.htmltext import inert
    from osint_kit.views.maps import route_map
    from osint_kit.views.offline import offline_html

    case, legs, v = hostile_case(t)
    m = route_map(case, legs=legs, basemap=False)  # no TemplateSyntaxError, whatever t is
    page = m.get_root().render()
    offline = offline_html(m)
    fragments = "\n".join(_decoded_fragments(page))
    for name, value in v.items():
        # in the page as inert text, and read back by the HTML parser as written
        assert inert(value) in page and inert(value) in offline, name
        assert html.unescape(inert(value)) == shown(value)
        assert shown(value) in fragments, name
    # nothing else in the page changed: no "49" from {{ 7*7 }}, no loop output,
    # no comment removed, no script or tag added
    assert _skeleton(page, v) == _clean_skeleton()
    _no_side_effect()


@settings(SETTINGS, max_examples=60)
@given(texts=st.lists(st.one_of(TEXT, st.none()), min_size=1, max_size=4), cluster=st.booleans())
def test_point_map_popups_are_inert(texts, cluster):
    import pandas as pd

    from osint_kit.views.htmltext import inert
    from osint_kit.views.maps import point_map

    n = len(texts)
    lat, lon = [40.0 + k for k in range(n)], [50.0 + k for k in range(n)]
    m = point_map(lat, lon, cluster=cluster, popup=pd.Series(texts, dtype="string"))
    page = m.get_root().render()
    if cluster:
        data = json.loads(re.search(r"var data = (\[.*?\]);\n", page, re.DOTALL).group(1))
        # every point, in order, with its inert text (or null: no popup)
        assert data == [
            [la, lo] + [None if t is None else inert(t)] for la, lo, t in zip(lat, lon, texts)
        ]
    else:
        # the fragments are decoded once already: a text that itself looks like a
        # character reference ("&amp;") must not be decoded twice
        got = [re.sub(r"^<div[^>]*>|</div>$", "", f) for f in _decoded_fragments(page)]
        assert got == [shown(t) for t in texts if t is not None]
    _no_side_effect()


@settings(max_examples=300, deadline=None)
@given(t=TEXT)
def test_folium_popup_and_tooltip_round_trip(t):
    """The real folium Popup and Tooltip (Jinja2 twice, then the JS literal)."""
    import folium

    from osint_kit.views.htmltext import InertHTML, popup, tooltip

    m = folium.Map(tiles=None)
    frag = InertHTML.build("<b>{t}</b>", t=t)
    folium.CircleMarker([1, 2], popup=popup(frag), tooltip=tooltip(frag)).add_to(m)
    page = m.get_root().render()
    decoded = _decoded_fragments(page)
    assert len(decoded) == 2
    assert all(f"<b>{shown(t)}</b>" in d for d in decoded)
    # inside the JS template literals: no ` to end them, no ${ to run, no \ to escape
    for raw in re.findall(r"\$\(`(.*?)`\)\[0\]", page, re.DOTALL):
        assert not re.search(r"[`\\]|\$\{", raw)
    _no_side_effect()


# ------------------------------------------------------------------ no bypass

SRC = Path(__file__).resolve().parents[2] / "src" / "osint_kit"
#: folium/branca classes that take HTML or template text
TEMPLATE_CLASSES = {
    "Popup",
    "Tooltip",
    "Element",
    "Html",
    "IFrame",
    "Template",
    "Div",
    "MacroElement",
    "JavascriptLink",
    "CssLink",
    "Figure",
    "DivIcon",
}


def _violations(tree: ast.AST, filename: str) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            names = [a.name for a in node.names]
            if any(m.split(".")[0] in {"jinja2", "branca", "markupsafe"} for m in mods):
                out.append(f"{filename}:{node.lineno} imports {mods}")
            if (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("folium")
                and set(names) & TEMPLATE_CLASSES
            ):
                out.append(f"{filename}:{node.lineno} imports {names} from folium")
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in TEMPLATE_CLASSES:
                out.append(f"{filename}:{node.lineno} constructs {name}")
            for kw in node.keywords:
                if kw.arg in {"popup", "tooltip", "html"}:
                    ok = (isinstance(kw.value, ast.Constant) and kw.value.value is None) or (
                        isinstance(kw.value, ast.Call)
                        and getattr(kw.value.func, "id", "") in {"popup", "tooltip", "make_popup"}
                    )
                    if isinstance(kw.value, ast.IfExp):  # x if cond else y: both sides
                        ok = all(
                            (isinstance(b, ast.Constant) and b.value is None)
                            or (
                                isinstance(b, ast.Call)
                                and getattr(b.func, "id", "") in {"popup", "tooltip", "make_popup"}
                            )
                            for b in (kw.value.body, kw.value.orelse)
                        )
                    if not ok:
                        out.append(
                            f"{filename}:{node.lineno} passes {kw.arg}= not built by "
                            "osint_kit.views.htmltext.popup/tooltip"
                        )
    return out


def test_folium_text_only_through_htmltext():
    # the class of bug, not the example: outside osint_kit/htmltext.py nothing
    # may build a folium Popup/Tooltip/Element/Html/..., pass popup=/tooltip=
    # that htmltext did not build, or use jinja2/branca directly
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "htmltext.py":
            continue
        found += _violations(ast.parse(path.read_text(encoding="utf-8")), path.name)
    assert found == []


def test_the_bypass_scan_sees_a_bypass():
    # the scan itself can fail: each of these is one violation
    bad = [
        "folium.Popup(text)",
        "Tooltip(x)",
        "folium.Element(s)",
        "folium.CircleMarker([0, 0], tooltip=name)",
        "folium.Marker(popup=f'{x}')",
        "import jinja2",
        "from branca.element import Element",
        "from folium import Popup",
    ]
    for src in bad:
        assert len(_violations(ast.parse(src), "x.py")) == 1, src
    assert (
        _violations(ast.parse("folium.CircleMarker(tooltip=tooltip(t), popup=None)"), "x.py") == []
    )
