"""Offline, safe HTML pages: export of executed notebooks and the final sanitising pass.

Every page the report publishes goes through :func:`sanitize_html`, an
allow-list filter built on the standard library's :mod:`html.parser`: it
keeps the elements and attributes the package's own pages use (nbconvert's
lab template, pandas tables, the index) and drops everything else — every
``<script>`` (the report needs none), ``<iframe>``/``<object>``/``<embed>``/
``<form>``, ``on*`` event handlers, ``javascript:``/``vbscript:`` and
non-image ``data:`` URLs, ``<svg>``/``<math>`` and their elements (text kept), ``<base>``,
``<link>``, refreshing ``<meta>`` and any ``<img>`` that is not an embedded
``data:image/`` (the report embeds every figure). Text is re-escaped on output, so a
payload in a data file shows as text.
"""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["offline_html", "sanitize_html", "export_html", "cells_for_language", "safe_url", "ALLOWED_TAGS"]

_EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>\s*", re.IGNORECASE
)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*", re.IGNORECASE)
_MODULE_IMPORT = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']module[\"'][^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>\s*",
    re.IGNORECASE | re.DOTALL,
)
_CSS_IMPORT = re.compile(r"@import\s+url\(\s*[\"']?https?://[^)]*\)\s*;?", re.IGNORECASE)


def offline_html(text: str) -> str:
    """Drop every script, stylesheet or module import loaded from a URL.

    nbconvert's templates load require.js and MathJax from a CDN; the report
    must open offline, so those tags are removed (plots are embedded PNGs,
    so nothing the report shows depends on them).

    Examples
    --------
    >>> offline_html('<head><script src="https://cdn/x.js"></script><p>hi</p>')
    '<head><p>hi</p>'
    """
    text = _EXTERNAL_SCRIPT.sub("", text)
    text = _EXTERNAL_LINK.sub("", text)
    text = _MODULE_IMPORT.sub("", text)
    return _CSS_IMPORT.sub("", text)


#: Elements kept by :func:`sanitize_html` (all others are dropped, their text kept).
ALLOWED_TAGS = frozenset("""
html head body title meta style main nav header footer section article aside div span p br hr
h1 h2 h3 h4 h5 h6 a img figure figcaption table thead tbody tfoot tr th td caption colgroup col
ul ol li dl dt dd pre code blockquote em strong b i u s sub sup small mark del ins q cite abbr kbd samp var
time details summary label wbr
""".split())
#: Elements dropped together with everything inside them.
_DROP_WITH_CONTENT = frozenset("""
script iframe frame frameset object applet noscript noembed noframes template textarea xmp plaintext
""".split())
_VOID = frozenset("meta br hr img col wbr".split())
#: Attributes kept on any allowed element (plus aria-* and data-*).
_ATTRS = frozenset("""
class id title lang dir role tabindex style colspan rowspan scope headers align valign width height
alt href src name content charset datetime open start type
""".split())
_URL_ATTRS = frozenset({"href", "src"})
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_BAD_CSS = re.compile(r"(javascript|vbscript)\s*:|expression\s*\(|behavior\s*:|-moz-binding|@import|url\s*\(\s*['\"]?\s*(?!data:image/)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(value: str, attr: str = "href", tag: str = "a") -> bool:
    """True for relative URLs, ``#`` anchors, http(s)/mailto and (for ``img src``) embedded images.

    Examples
    --------
    >>> [safe_url(u) for u in ("index.html", "#x", "https://a.cn/b", "javascript:alert(1)", " java\\tscript:x")]
    [True, True, True, False, False]
    >>> safe_url("data:image/png;base64,iVBO", "src", "img"), safe_url("data:text/html,<b>", "href")
    (True, False)
    """
    compact = _CONTROL.sub("", html.unescape(value or ""))
    match = _SCHEME.match(compact)
    if match is None:
        return True
    scheme = match.group(1).lower()
    if scheme in ("http", "https", "mailto"):
        return True
    return scheme == "data" and tag == "img" and attr == "src" and bool(_IMAGE_DATA.match(compact))


def _embedded_image(attrs) -> bool:
    """True when an ``<img>`` shows an embedded image (the only kind the report's pages contain)."""
    src = next((v for k, v in attrs if k.lower() == "src"), None) or ""
    return safe_url(src, "src", "img") and _CONTROL.sub("", src).lower().startswith("data:image/")


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.drop_depth = 0
        self.drop_tag: str | None = None
        self.in_style = False
        self.removed: list[str] = []

    # -- helpers
    def _attrs(self, tag, attrs) -> str:
        kept = []
        for name, value in attrs:
            name = name.lower()
            value = "" if value is None else value
            ok = name in _ATTRS or name.startswith("aria-") or (name.startswith("data-") and not name.startswith("data-on"))
            if ok and name in _URL_ATTRS:
                ok = safe_url(value, name, tag)
            if ok and name == "style" and _BAD_CSS.search(value):
                ok = False
            if ok and tag == "meta" and name == "content" and any(k.lower() == "http-equiv" for k, _ in attrs):
                ok = False
            if ok and name == "type" and tag not in ("style", "ol", "li"):
                ok = False
            if not ok:
                self.removed.append(f"{tag}[{name}]")
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "a" and any(k.startswith(' href="') and _SCHEME.match(html.unescape(k[7:-1])) for k in kept):
            kept.append(' rel="noopener noreferrer"')
        return "".join(kept)

    # -- parser callbacks
    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if self.drop_depth:
            if tag == self.drop_tag:
                self.drop_depth += 1
            return
        if tag in _DROP_WITH_CONTENT:
            self.removed.append(tag)
            self.drop_depth, self.drop_tag = 1, tag
            return
        if tag not in ALLOWED_TAGS or (tag == "img" and not _embedded_image(attrs)):
            self.removed.append(tag)
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")
        if tag == "style":
            self.in_style = True

    def handle_startendtag(self, tag, attrs):
        tag = tag.lower()
        if self.drop_depth or tag in _DROP_WITH_CONTENT or tag not in ALLOWED_TAGS or (
                tag == "img" and not _embedded_image(attrs)):
            if not self.drop_depth:
                self.removed.append(tag)
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self.drop_depth:
            if tag == self.drop_tag:
                self.drop_depth -= 1
                if not self.drop_depth:
                    self.drop_tag = None
            return
        if tag in ALLOWED_TAGS and tag not in _VOID:
            self.out.append(f"</{tag}>")
            if tag == "style":
                self.in_style = False

    def handle_data(self, data):
        if self.drop_depth:
            return
        if self.in_style:
            self.out.append(_clean_css(data))
        else:
            self.out.append(html.escape(data, quote=False))

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")

    def handle_comment(self, data):  # comments (and IE conditional comments) dropped
        pass

    def handle_pi(self, data):
        self.removed.append("processing instruction")

    def unknown_decl(self, data):
        self.removed.append("declaration")


def _clean_css(css: str) -> str:
    """Neutralise script-bearing CSS (``expression()``, ``javascript:`` URLs, imports) and ``</``."""
    css = re.sub(r"(javascript|vbscript)\s*:", "blocked:", css, flags=re.IGNORECASE)
    css = re.sub(r"expression\s*\(", "blocked(", css, flags=re.IGNORECASE)
    css = re.sub(r"@import[^;]*;?", "", css, flags=re.IGNORECASE)
    return css.replace("</", "<\\/")


def sanitize_html(text: str, removed: list | None = None) -> str:
    """Keep only the elements and attributes the report's own pages use (see the module docstring).

    Parameters
    ----------
    text : str
        A complete HTML page or a fragment.
    removed : list, optional
        Receives one entry per dropped element or attribute (for tests and logs).

    Returns
    -------
    str

    Examples
    --------
    >>> sanitize_html('<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(4)></p>')
    '<p>a</p>'
    >>> sanitize_html('<a href="javascript:alert(1)">x</a> "&gt;<svg onload=alert(1)><b>t</b></svg>')
    '<a>x</a> "&gt;<b>t</b>'
    >>> sanitize_html('<td>&lt;script&gt;</td>')
    '<td>&lt;script&gt;</td>'
    """
    parser = _Sanitizer()
    parser.feed(text)
    parser.close()
    if removed is not None:
        removed.extend(parser.removed)
    return "".join(parser.out)


_NAV_CSS = ("<style>.pa-nav{padding:6px 12px;font-family:sans-serif;font-size:14px}"
            ".jp-OutputArea-output,.jp-RenderedHTMLCommon{overflow-x:auto;max-width:100%}"
            ".jp-RenderedHTMLCommon table{display:block;overflow-x:auto;max-width:100%}"
            "</style>")


_EXPORTER_LOCK = threading.Lock()
_EXPORTER = []


def _exporter():
    """The process's nbconvert ``HTMLExporter`` (lab template, images embedded), made on first use.

    A new exporter compiles its Jinja templates again: about 0.2 s of CPU per
    page, in the process that also drives the running notebooks. Callers hold
    ``_EXPORTER_LOCK`` (the exporter's options are set per page).
    """
    if not _EXPORTER:
        from nbconvert import HTMLExporter

        _EXPORTER.append(HTMLExporter(template_name="lab", embed_images=True))
    return _EXPORTER[0]


def warm_exporter() -> None:
    """Make the exporter and compile its templates (an empty notebook); errors are left to the real export."""
    try:
        import nbformat

        with _EXPORTER_LOCK:
            _exporter().from_notebook_node(nbformat.v4.new_notebook())
    except Exception:  # noqa: BLE001 (only a warm-up)
        pass


def cells_for_language(cells, lang: str) -> list:
    """The cells a page in ``lang`` shows: untagged cells and those tagged ``lang-<lang>``.

    The notebooks carry their explanations twice, an English markdown cell
    tagged ``lang-en`` followed by its Chinese twin tagged ``lang-zh``; a
    page shows one of them. Cells without a ``lang-*`` tag show in every language.

    Examples
    --------
    >>> import nbformat
    >>> cells = [nbformat.v4.new_markdown_cell("Hello", metadata={"tags": ["lang-en"]}),
    ...          nbformat.v4.new_markdown_cell("你好", metadata={"tags": ["lang-zh"]}),
    ...          nbformat.v4.new_code_cell("1 + 1")]
    >>> [c.source for c in cells_for_language(cells, "zh")]
    ['你好', '1 + 1']
    """
    wanted = f"{LANG_TAG_PREFIX}{lang}"
    return [c for c in cells
            if not any(t.startswith(LANG_TAG_PREFIX) and t != wanted for t in c.get("metadata", {}).get("tags", []))]


#: Tag prefix of language-specific cells (``lang-en``, ``lang-zh``).
LANG_TAG_PREFIX = "lang-"


def export_html(notebook: Path, target: Path, show_code: bool = False, title: str | None = None,
                back_link: str | None = None, back_text: str = "report index", lang: str = "en",
                scrub=None) -> Path:
    """Export an executed notebook to one self-contained, sanitised HTML file.

    Parameters
    ----------
    notebook : Path
        Executed ``.ipynb``.
    target : Path
        The ``.html`` to write.
    show_code : bool
        Show input cells (hidden by default; outputs and markdown are always shown).
    title : str, optional
        The page title.
    back_link : str, optional
        Relative URL of the report index; adds a link to it at the top of the page.
    back_text : str
        Text of that link.
    lang : str
        Language of the page: cells tagged for another language are left out
        (:func:`cells_for_language`), and the value of the page's ``lang``
        attribute (``"zh"`` becomes ``"zh-Hans"``, so browsers pick
        simplified-Chinese glyphs).
    scrub : callable, optional
        Applied to the page text before sanitising (the runner uses it to turn
        absolute build-folder paths into relative ones).

    Returns
    -------
    Path
        ``target``.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = cells_for_language(nb.cells, lang)
    with _EXPORTER_LOCK:  # one exporter, its options set per page
        exporter = _exporter()
        exporter.exclude_input = not show_code
        exporter.exclude_input_prompt = not show_code
        exporter.exclude_output_prompt = True
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or notebook.stem}})
    body = offline_html(body)
    body = re.sub(r"(<head\b[^>]*>)", lambda m: m.group(1) + '<meta name="viewport" '
                  'content="width=device-width, initial-scale=1">' + _NAV_CSS, body, count=1)
    if back_link:
        nav = (f'<nav class="pa-nav"><a href="{html.escape(back_link)}">&larr; '
               f'{html.escape(back_text)}</a></nav>')
        body = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    html_lang = "zh-Hans" if lang == "zh" else lang
    body = re.sub(r"<html\b[^>]*>", f'<html lang="{html_lang}">', body, count=1)
    if scrub is not None:
        body = scrub(body)
    target.write_text(sanitize_html(body), encoding="utf-8")
    return target
