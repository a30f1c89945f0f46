"""What the vendored YASGUI (``static/vendor/yasgui/``) needs from this server's Content-Security-Policy.

The pages' policy allows no inline style. YASR's result table writes two fixed style sheets of
its column resizer into ``<style>`` elements; the editor page's policy allows exactly those two
by their SHA-256 hash (https://www.w3.org/TR/CSP3/#external-hash), and nothing else inline.
"""

from __future__ import annotations

import base64
import hashlib

from coprokg.server.http import SECURITY_HEADERS

# The resizer's sheet when a table is drawn, and the one it adds while a column is dragged.
RESIZER_STYLES = (
    " .grip-resizable{table-layout:fixed;} .grip-resizable > tbody > tr > td, .grip-resizable > tbody > tr > th"
    "{overflow:hidden} .grip-padding > tbody > tr > td, .grip-padding > tbody > tr > th{padding-left:0!important;"
    " padding-right:0!important;} .grip-container{ height:0px; position:relative;} .grip-handle{margin-left:-5px;"
    " position:absolute; z-index:5; } .grip-handle .grip-resizable{position:absolute;background-color:red;"
    "filter:alpha(opacity=1);opacity:0;width:10px;height:100%;cursor: col-resize;top:0px} .grip-lastgrip"
    "{position:absolute; width:1px; } .grip-drag{ border-left:1px dotted black;\t} .grip-flex{width:auto!important;}"
    " .grip-handle.grip-disabledgrip .grip-resizable{cursor:default; display:none;}",
    "*{cursor:col-resize!important}",
)


def style_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def editor_policy() -> str:
    """The site's policy with the resizer's two style sheets allowed by hash."""
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    allowed = " ".join(style_hash(text) for text in RESIZER_STYLES)
    return policy.replace("style-src 'self'", f"style-src 'self' {allowed}", 1)
