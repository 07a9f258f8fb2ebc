"""Which installed font draws Chinese labels: a simplified-Chinese face, never a Japanese one first.

A font collection such as Noto Sans CJK holds one face per region (JP, KR, SC,
TC, HK) with the same character coverage but regional glyph forms; the face
listed first is often the Japanese one. :func:`cjk_font` ranks the installed
faces: simplified-Chinese faces first, then other Chinese (TC/HK) ones, then
faces without a region, and Japanese or Korean faces only when nothing else
covers Chinese. Nothing here imports more than matplotlib's font manager.
"""

from __future__ import annotations

import functools
import re
import warnings

__all__ = ["cjk_font", "rank_cjk_fonts", "CJK_FAMILIES", "warn_no_cjk_font"]

#: Families that cover Chinese, by family prefix.
CJK_FAMILIES = ("Noto Sans CJK", "Noto Serif CJK", "Source Han Sans", "Source Han Serif", "WenQuanYi",
                "SimHei", "SimSun", "Microsoft YaHei", "PingFang", "Heiti", "AR PL", "Droid Sans Fallback",
                "Sarasa", "LXGW", "Noto Sans SC", "Noto Serif SC", "Hiragino Sans GB", "STHeiti")
_SC = re.compile(r"(\bSC\b|\bCN\b|\bGB\b|YaHei|SimHei|SimSun|WenQuanYi|PingFang SC|LXGW|Heiti SC|STHeiti)")
_OTHER_ZH = re.compile(r"(\bTC\b|\bHK\b|\bTW\b)")
_JA_KO = re.compile(r"(\bJP\b|\bKR\b|\bK\b|\bJ\b)")


def rank_cjk_fonts(names) -> list[str]:
    """The CJK faces among ``names``, best for simplified Chinese first.

    Examples
    --------
    >>> rank_cjk_fonts(["DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK SC",
    ...                 "Noto Sans Mono CJK SC", "Noto Serif CJK SC"])
    ['Noto Sans CJK SC', 'Noto Serif CJK SC', 'Noto Sans Mono CJK SC', 'Noto Sans CJK TC', 'Noto Sans CJK JP']
    >>> rank_cjk_fonts(["Noto Sans CJK JP", "WenQuanYi Zen Hei"])
    ['WenQuanYi Zen Hei', 'Noto Sans CJK JP']
    >>> rank_cjk_fonts(["DejaVu Sans"])
    []
    """
    def is_cjk(name):
        return any(name.startswith(f) or f in name for f in CJK_FAMILIES) or "CJK" in name

    def key(name):
        region = 0 if _SC.search(name) else 1 if _OTHER_ZH.search(name) else 3 if _JA_KO.search(name) else 2
        return (region, "Mono" in name, "Serif" in name, name)

    return sorted({n for n in names if is_cjk(n)}, key=key)


@functools.lru_cache(maxsize=1)
def cjk_font():
    """Name of the installed font to draw Chinese with, or None when no installed font covers Chinese.

    Examples
    --------
    >>> name = cjk_font()
    >>> name is None or not any(r in name for r in (" JP", " KR")) or rank_cjk_fonts([name]) == [name]
    True
    """
    from matplotlib import font_manager

    ranked = rank_cjk_fonts(f.name for f in font_manager.fontManager.ttflist)
    return ranked[0] if ranked else None


_MESSAGE = "no CJK font installed; Chinese chart labels fall back to English"
# Said once per process, wherever it comes from (not once per chart).
warnings.filterwarnings("once", message=re.escape(_MESSAGE), category=UserWarning)


def warn_no_cjk_font(stacklevel: int = 3) -> None:
    """Warn (once per process: a ``"once"`` filter is registered) that Chinese labels fall back to English."""
    warnings.warn(_MESSAGE + " (install a Chinese font, e.g. the Debian package fonts-noto-cjk)", UserWarning,
                  stacklevel=stacklevel)
