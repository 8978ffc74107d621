"""Text from a source, an export or a case, made inert for the kit's HTML.

Every text the kit puts on a folium map passes through three engines before
a reader sees it:

1. **Jinja2** -- folium renders each popup and tooltip with a template and
   then wraps the *output* in ``branca.element.Element(output)``, which
   compiles that output as a new Jinja2 template when the page is rendered.
   Source text is therefore Jinja2 *template source*: ``{{ 7*7 }}`` would
   show as 49, ``{{ cycler.__init__.__globals__.os.popen('id').read() }}``
   would run a shell command in the analyst's Python, and an unbalanced
   ``{{`` would stop the map with ``TemplateSyntaxError``.
2. **JavaScript template literals** -- folium puts popup and tooltip HTML
   inside ```...``` in a ``<script>``: ``${...}`` would run, a backtick would
   end the string, a backslash would start an escape (``C:\\users`` is a
   syntax error that stops the whole map).
3. **HTML** -- the string is parsed as HTML (``$(`...`)``, ``bindTooltip``,
   ``innerHTML``), in element content and in quoted attribute values.

:func:`inert` turns any text into a string that means nothing to any of the
three and that the browser shows as the original characters:

* ``& < > " '`` become ``&amp; &lt; &gt; &quot; &#x27;`` (HTML: no tag, no
  attribute, no end of a quoted attribute; ``</script>`` cannot close the
  script it sits in);
* ``` ` $ \\ `` become ``&#96; &#36; &#92;`` (JavaScript template literal:
  no end of string, no ``${`` substitution, no escape sequence);
* ``{ } % #`` become ``&#123; &#125; &#37; &#35;`` (Jinja2, below);
* line feed and carriage return become ``&#10; &#13;`` (folium replaces
  ``\\n`` in popups by a space and Jinja2 rewrites ``\\r`` to ``\\n``: as
  references both reach the page unchanged);
* NUL and lone surrogates, which an HTML page cannot carry (the parser drops
  NUL; UTF-8 cannot encode a surrogate, so writing the file would fail),
  become ``&#65533;``, shown as the replacement character U+FFFD -- visible,
  never silently dropped.

Every other character is left as it is (so normal text, accents, Cyrillic,
Persian, right-to-left marks, look the same in the HTML source).

**Why no Jinja2 construct can survive.**  Jinja2 (as folium and branca use
it: the default ``Environment``, whose ``line_statement_prefix`` and
``line_comment_prefix`` are ``None``) recognises exactly three openers,
``{{``, ``{%`` and ``{#``; everything else is literal data, copied to the
output unchanged.  All three begin with ``{``, and the output of
:func:`inert` contains no ``{`` (nor ``}``).  So no tag can *start* inside
the text.  A tag could still start at the seam if the kit's own markup ended
in ``{`` right before the text and the text began with ``{``, ``%`` or
``#``: that is why ``%`` and ``#`` are replaced too -- the output begins with
neither (a reference begins with ``&``), and the ``#`` inside ``&#NN;``
always follows ``&``, never ``{``.  Raw blocks (``{% raw %}``) need a ``{``
as well.  The characters ``{`` ``}`` ``%`` ``#`` are all shown correctly as
numeric character references, so nothing the reader sees changes.

**Making it hard to bypass.**  The kit builds folium popups, tooltips and
page elements only through :func:`popup`, :func:`tooltip` and
:func:`kit_markup`.  :func:`popup` and :func:`tooltip` accept only an
:class:`InertHTML` (built with :meth:`InertHTML.build`, which runs every
value that is not a number, a timestamp or another :class:`InertHTML`
through :func:`inert`), and check the final string once more: no ``{``,
``}``, backtick, ``$`` or backslash may reach folium, whoever wrote it.
``tests/hostile/test_html_payloads.py`` scans ``src/osint_kit`` and fails on
any ``folium.Popup`` / ``Tooltip`` / ``Element`` / ``Html`` / ``IFrame`` /
``Template`` construction, any ``popup=`` / ``tooltip=`` argument and any
``jinja2`` / ``branca`` import outside this module.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re

__all__ = ["InertHTML", "inert", "kit_markup", "popup", "tooltip"]

_TABLE = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&#x27;",
    ord("`"): "&#96;",
    ord("$"): "&#36;",
    ord("\\"): "&#92;",
    ord("{"): "&#123;",
    ord("}"): "&#125;",
    ord("%"): "&#37;",
    ord("#"): "&#35;",
    ord("\n"): "&#10;",
    ord("\r"): "&#13;",
    0: "&#65533;",
}
_TABLE.update({cp: "&#65533;" for cp in range(0xD800, 0xE000)})  # lone surrogates

#: characters that must never reach folium in a popup or tooltip string
_FORBIDDEN = re.compile(r"[{}`$\\]")
#: Jinja2 openers, a JavaScript substitution, script and event-handler markup:
#: never in the kit's own page elements
_FORBIDDEN_MARKUP = re.compile(r"\{[{%#]|\$\{|`|<\s*script|\son\w+\s*=|javascript:", re.IGNORECASE)


def inert(text) -> str:
    """``str(text)`` made inert in HTML, JavaScript template literals and Jinja2.

    See the module docstring for the characters replaced and why that is
    enough.  ``html.unescape(inert(s)) == s`` for every ``s`` without NUL or
    a lone surrogate (those come back as U+FFFD).
    """
    return str(text).translate(_TABLE)


_PASS = (numbers.Number, _dt.date, _dt.time)  # formatted by the template's spec, not text


def _part(value):
    if isinstance(value, InertHTML):
        return str(value)
    if isinstance(value, _PASS) and not isinstance(value, bool):
        return value
    return inert(value)


class InertHTML(str):
    """HTML written by the kit in which every source text is :func:`inert`.

    Build it with :meth:`build` (a kit-written ``str.format`` template and
    the values to put in it); ``+`` and :meth:`join` make plain strings
    inert before joining, so an :class:`InertHTML` never holds raw source
    text.
    """

    __slots__ = ()

    @classmethod
    def build(cls, template: str, /, **values) -> InertHTML:
        """``template.format(**values)`` with each value made inert.

        Numbers, dates and timestamps keep their format spec (``{km:,.0f}``,
        ``{day:%Y-%m-%d}``); an :class:`InertHTML` is inserted as it is;
        everything else goes through :func:`inert`.
        """
        return cls(template.format(**{k: _part(v) for k, v in values.items()}))

    def __add__(self, other) -> InertHTML:
        return InertHTML(str(self) + str(_part(other)))

    def __radd__(self, other) -> InertHTML:
        return InertHTML(str(_part(other)) + str(self))

    def join(self, parts) -> InertHTML:
        return InertHTML(str(self).join(str(_part(p)) for p in parts))


def _checked(html, what: str) -> str:
    if not isinstance(html, InertHTML):
        raise TypeError(
            f"{what} takes an InertHTML (osint_kit.views.htmltext.InertHTML.build), "
            f"not {type(html).__name__}: source text must go through "
            "osint_kit.views.htmltext.inert before it reaches folium"
        )
    bad = _FORBIDDEN.search(html)
    if bad:
        raise ValueError(
            f"{what}: the character {bad.group()!r} would reach folium's "
            "Jinja2/JavaScript templates; write it as a character reference "
            "in the kit's markup"
        )
    return str(html)


def popup(html: InertHTML, *, max_width: int | str = 360):
    """The kit's only way to make a :class:`folium.Popup` (content checked inert)."""
    import folium

    return folium.Popup(_checked(html, "popup"), max_width=max_width)


def tooltip(
    html: InertHTML,
    *,
    permanent: bool = False,
    direction: str | None = None,
    style: str | None = None,
):
    """The kit's only way to make a :class:`folium.Tooltip` (content checked inert)."""
    import folium

    if style is not None and not re.fullmatch(r"[\w\s:;.,#%()-]*", style):
        raise ValueError(f"tooltip style {style!r}: only plain CSS declarations")
    kwargs: dict = {"permanent": True} if permanent else {}  # folium's default otherwise
    if direction is not None:
        kwargs["direction"] = direction
    return folium.Tooltip(_checked(html, "tooltip"), style=style, **kwargs)


def kit_markup(html: str):
    """A :class:`folium.Element` of the kit's own markup (legend, page CSS).

    Never for source text (use :meth:`InertHTML.build` in a popup or
    tooltip).  Refuses, whoever wrote it, a Jinja2 opener (``{{ {% {#``), a
    JavaScript ``${``, a backtick, a ``<script``, an ``on...=`` event
    attribute and ``javascript:``.
    """
    import folium

    bad = _FORBIDDEN_MARKUP.search(str(html))
    if bad:
        raise ValueError(
            f"kit_markup: {bad.group()!r} must not be in a page element "
            "(template engines and scripts would act on it)"
        )
    return folium.Element(str(html))
