"""Offline, safe HTML pages: export of executed notebooks and the final sanitising pass.

:func:`export_html` renders an executed notebook with the nbconvert template
``templates/nbconvert/plananalysis_page`` (it extends nbconvert's ``lab``
template: no script from a CDN, a link back to the index, the page's
language). Every page the report publishes then goes through
:func:`sanitize_html`, an allow-list filter on :mod:`nh3` (the Rust
``ammonia`` sanitiser; the allow-list is the configuration below): it keeps
the elements and attributes the package's own pages use (nbconvert's lab
template, pandas tables, the index) and drops everything else — every
``<script>`` (the report needs none), ``<iframe>``/``<object>``/``<embed>``/
``<form>``, ``on*`` event handlers, ``javascript:``/``vbscript:`` and
non-image ``data:`` URLs, ``<svg>``/``<math>`` and their elements (text kept), ``<base>``,
``<link>``, ``http-equiv`` and any ``<img>`` that is not an embedded
``data:image/`` (the report embeds every figure). Text is re-escaped on output, so a
payload in a data file shows as text.
"""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path

__all__ = ["offline_html", "sanitize_html", "export_html", "cells_for_language", "safe_url", "ALLOWED_TAGS",
           "ALLOWED_ATTRIBUTES", "URL_SCHEMES", "TEMPLATES"]

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

    For HTML made elsewhere: the report's own pages get none (their nbconvert
    template leaves out require.js, MathJax and Mermaid, and
    :func:`sanitize_html` drops every script and ``@import``).

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
title meta style main nav header footer section article aside div span p br hr
h1 h2 h3 h4 h5 h6 a img figure figcaption table thead tbody tfoot tr th td caption colgroup col
ul ol li dl dt dd pre code blockquote em strong b i u s sub sup small mark del ins q cite abbr kbd samp var
time details summary label wbr
""".split())
#: Elements dropped together with everything inside them.
DROP_WITH_CONTENT = frozenset("""
script iframe frame frameset object applet noscript noembed noframes template textarea xmp plaintext
""".split())
#: Attributes kept on any allowed element (plus ``aria-*`` and ``data-*``).
ALLOWED_ATTRIBUTES = frozenset("""
class id title lang dir role tabindex style colspan rowspan scope headers align valign width height
alt href src name content charset datetime open start type rel
""".split())
#: URL schemes kept (``data:`` only as an embedded image, see :func:`safe_url`).
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})
#: Attributes of the page's ``<html>`` and ``<body>`` elements that are kept.
_ROOT_ATTRIBUTES = frozenset({"lang", "dir", "class", "id"})

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_BAD_CSS = re.compile(r"(javascript|vbscript)\s*:|expression\s*\(|behavior\s*:|-moz-binding|@import|"
                      r"url\s*\(\s*['\"]?\s*(?!data:image/)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_DOCUMENT = re.compile(r"^\s*(?:<!DOCTYPE[^>]*>)?\s*<html\b([^>]*)>(.*?)(?:</html>\s*)?$",
                       re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<head\b[^>]*>(.*?)</head>", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body\b([^>]*)>(.*)</body>", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.IGNORECASE | re.DOTALL)
_IMG_NOT_EMBEDDED = re.compile(r"<img\b(?![^>]*\ssrc=\"data:image/)[^>]*>", re.IGNORECASE)


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


def _attribute_filter(tag: str, attr: str, value: str):
    """nh3's per-attribute check: unsafe URLs, script-bearing inline CSS and stray ``type`` attributes go."""
    if attr in ("href", "src") and not safe_url(value, attr, tag):
        return None
    if attr == "style" and _BAD_CSS.search(value):
        return None
    if attr == "type" and tag not in ("style", "ol", "li"):
        return None
    if attr.startswith("data-on"):
        return None
    return value


#: The :func:`nh3.clean` configuration: the allow-list above, nothing else.
NH3_OPTIONS = dict(
    tags=set(ALLOWED_TAGS), clean_content_tags=set(DROP_WITH_CONTENT), attributes={"*": set(ALLOWED_ATTRIBUTES)},
    generic_attribute_prefixes={"data-", "aria-"}, attribute_filter=_attribute_filter, url_schemes=set(URL_SCHEMES),
    link_rel=None, strip_comments=True,
)


def _nh3(text: str) -> str:
    import nh3

    return nh3.clean(text, **NH3_OPTIONS)


def _clean_css(css: str) -> str:
    """Neutralise script-bearing CSS (``expression()``, ``javascript:`` URLs, imports) and ``</``."""
    css = re.sub(r"(javascript|vbscript)\s*:", "blocked:", css, flags=re.IGNORECASE)
    css = re.sub(r"expression\s*\(", "blocked(", css, flags=re.IGNORECASE)
    css = re.sub(r"@import[^;]*;?", "", css, flags=re.IGNORECASE)
    return css.replace("</", "<\\/")


def _clean_fragment(text: str) -> str:
    text = _nh3(text)
    text = _IMG_NOT_EMBEDDED.sub("", text)  # the report embeds every figure: any other image is not ours
    return _STYLE.sub(lambda m: m.group(1) + _clean_css(m.group(2)) + m.group(3), text)


def _root_attributes(attrs: str, tag: str) -> str:
    """The kept attributes of ``<html>``/``<body>``, checked by the same cleaner on a stand-in element."""
    kept = _nh3(f"<span {attrs}></span>") if attrs.strip() else "<span></span>"
    match = re.match(r"<span([^>]*)></span>$", kept)
    parts = re.findall(r'\s([\w:.-]+)="[^"]*"', match.group(1)) if match else []
    return "".join(re.search(rf'\s{re.escape(n)}="[^"]*"', match.group(1)).group(0) for n in parts
                   if n in _ROOT_ATTRIBUTES or n.startswith("data-"))


def sanitize_html(text: str) -> str:
    """Keep only the elements and attributes the report's own pages use (see the module docstring).

    A whole page (``<html>...``) keeps its ``<html lang>``, ``<head>`` and
    ``<body>`` skeleton; everything inside the head and the body goes
    through the :mod:`nh3` allow-list (:data:`ALLOWED_TAGS`,
    :data:`ALLOWED_ATTRIBUTES`, :data:`URL_SCHEMES`).

    Parameters
    ----------
    text : str
        A complete HTML page or a fragment.

    Returns
    -------
    str

    Examples
    --------
    >>> sanitize_html('<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(4)></p>')
    '<p>a</p>'
    >>> sanitize_html('<a href="javascript:alert(1)">x</a> "&gt;<svg onload=alert(1)><b>t</b></svg>')
    '<a>x</a> "&gt;<b>t</b>'
    >>> sanitize_html('<p>&lt;script&gt;</p>')  # text from a data file stays text
    '<p>&lt;script&gt;</p>'
    """
    doc = _DOCUMENT.match(text)
    if doc is None:
        return _clean_fragment(text)
    inner = doc.group(2)
    head = _HEAD.search(inner)
    body = _BODY.search(inner)
    head_html = _clean_fragment(head.group(1)) if head else ""
    if body:
        body_attrs, body_html = _root_attributes(body.group(1), "body"), _clean_fragment(body.group(2))
    else:
        rest = inner[head.end():] if head else inner
        body_attrs, body_html = "", _clean_fragment(rest)
    return (f"<!DOCTYPE html>\n<html{_root_attributes(doc.group(1), 'html')}>\n<head>{head_html}</head>\n"
            f"<body{body_attrs}>{body_html}</body>\n</html>\n")


#: The report's templates: ``index.html.j2`` and the nbconvert template ``nbconvert/plananalysis_page``.
TEMPLATES = Path(__file__).parent / "templates"
#: The nbconvert template of a page (extends nbconvert's ``lab`` template).
PAGE_TEMPLATE = "plananalysis_page"

_EXPORTER_LOCK = threading.Lock()
_EXPORTER = []


def _exporter():
    """The process's nbconvert ``HTMLExporter`` (:data:`PAGE_TEMPLATE`, images embedded), made on first use.

    A new exporter compiles its Jinja templates again: about 0.2 s of CPU per
    page, in the process that also drives the running notebooks. Callers hold
    ``_EXPORTER_LOCK`` (the exporter's options are set per page).
    """
    if not _EXPORTER:
        from nbconvert import HTMLExporter

        _EXPORTER.append(HTMLExporter(template_name=PAGE_TEMPLATE, embed_images=True,
                                      extra_template_basedirs=[str(TEMPLATES / "nbconvert")]))
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
    resources = {"metadata": {"name": title or notebook.stem}, "back_link": back_link or "",
                 "back_text": back_text, "page_lang": "zh-Hans" if lang == "zh" else lang}
    with _EXPORTER_LOCK:  # one exporter, its options set per page
        exporter = _exporter()
        exporter.exclude_input = not show_code
        exporter.exclude_input_prompt = not show_code
        exporter.exclude_output_prompt = True
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    if scrub is not None:
        body = scrub(body)
    target.write_text(sanitize_html(body), encoding="utf-8")
    return target
