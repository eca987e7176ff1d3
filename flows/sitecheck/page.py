"""A page's main text, title and first heading, in one pass over the markup.

Not BeautifulSoup: building its tree costs about 9 ms per 8 KB page on this kind of
machine, and a check needs no tree: the text of `<main>` (else `role=main`, else the body)
without scripts, styles, navigation, headers, footers, hidden elements or form controls.
Not the standard library's HTMLParser either, though the handlers below take its events:
its per-tag Python work made reading a page most of a site check's CPU (about 1.2 ms of
the 2 ms per page), so one regular expression cuts the markup into the same events (start tag, end tag, text; comments and declarations dropped; script and style
content taken whole, as HTMLParser does) and only the few attributes read are parsed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

SKIPPED = {"script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
           "nav", "header", "footer", "aside", "select", "button", "textarea", "head"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}
BLOCKS = {"address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
          "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
          "section", "table", "td", "th", "tr", "ul", "option", "caption", "summary",
          "details", "fieldset", "legend", "tbody", "thead"}
# Traces of a parking service or of a bot challenge in the markup (scripts included).
MARKS = {
    "parking": ("sedoparking", "parkingcrew", "bodis.com", "window.park", "afternic",
                "hugedomains", "dan.com/", "domainmarket", "parklogic"),
    "challenge": ("_cf_chl_opt", "cf-browser-verification", "_incapsula_resource",
                  "incapsula incident id", "sucuri website firewall"),
}
_HIDDEN = re.compile(r"display\s*:\s*none")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""",
                      re.IGNORECASE)


@dataclass
class Page:
    title: str = ""
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    html: bool = True
    marks: tuple[str, ...] = ()  # "parking", "challenge": found in the first 64 KB of markup


class _Text:
    """Handlers for the markup's events (_feed), keeping the text that matters."""

    def __init__(self):
        self.skipping: list[str] = []  # open elements whose content is left out
        self.main_depth = 0
        self.body: list[str] = []
        self.main: list[str] = []
        self.title: list[str] = []
        self.heading: list[str] | None = None
        self.first_heading = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in VOID:
            if not self.skipping:
                self._block(tag)
            return
        if self.skipping:
            if tag == "body" and "head" in self.skipping:  # </head> may be left out
                del self.skipping[self.skipping.index("head"):]
            else:
                self.skipping.append(tag)
                return
        named = dict(attrs) if attrs else {}
        if tag in SKIPPED or (named and ("hidden" in named or named.get("aria-hidden") == "true"
                                         or "none" in (named.get("style") or "")
                                         and _HIDDEN.search(named["style"]))):
            self.skipping.append(tag)
            return
        if tag == "main" or named.get("role") == "main":
            self.main_depth += 1
        if tag == "h1" and not self.first_heading:
            self.heading = []
        self._block(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skipping:
            if tag in self.skipping:  # close up to the matching element (sloppy markup)
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag == "h1" and self.heading is not None:
            self.first_heading = " ".join("".join(self.heading).split())
            self.heading = None
        if tag == "main" and self.main_depth:
            self.main_depth -= 1
        self._block(tag)

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.skipping:
            return
        self.body.append(data)
        if self.main_depth:
            self.main.append(data)
        if self.heading is not None:
            self.heading.append(data)

    def _block(self, tag):
        if tag in BLOCKS:
            self.body.append("\n")
            if self.main_depth:
                self.main.append("\n")


_TOKEN = re.compile(r"""<(?:
      !--.*?(?:--!?>|\Z)                            # comment (to the end if unclosed)
    | [!?][^>]*>                                     # doctype, CDATA, processing instruction
    | /\s*([a-zA-Z][^\s/>]*)[^>]*>                   # end tag: 1 name
    | ([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>  # start tag: 2 name, 3 attributes
    )""", re.DOTALL | re.VERBOSE)
_ATTRIBUTE = re.compile(r"""([^\s=/>][^\s=>]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
RAW_TEXT = ("script", "style")  # content is text up to the closing tag (HTMLParser's CDATA)


def _attributes(text: str) -> list[tuple[str, str | None]]:
    pairs = []
    for name, value in _ATTRIBUTE.findall(text):
        if name == "/":
            continue
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        pairs.append((name.lower(), unescape(value) if value else (value if value else None)))
    return pairs


def _feed(parser: _Text, text: str) -> None:
    """Send `text`'s events to the parser's handlers, as HTMLParser would."""
    at, end = 0, len(text)
    while at < end:
        found = _TOKEN.search(text, at)
        stop = found.start() if found else end
        if stop > at:
            data = text[at:stop]
            parser.handle_data(unescape(data) if "&" in data else data)
        if not found:
            return
        at = found.end()
        closing, opening, attributes = found.group(1, 2, 3)
        if closing:
            parser.handle_endtag(closing.lower())
        elif opening:
            tag = opening.lower()
            attributes = attributes.strip()
            self_closing = attributes.endswith("/")
            parser.handle_starttag(tag, _attributes(attributes) if attributes else [])
            if self_closing:
                parser.handle_endtag(tag)
            elif tag in RAW_TEXT:
                close = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(text, at)
                content = text[at:close.start() if close else end]
                if content:
                    parser.handle_data(content)
                parser.handle_endtag(tag)
                at = close.end() if close else end


def decode(body: bytes, header_charset: str | None) -> str:
    match = _CHARSET.search(body[:4096])
    for charset in (header_charset, match.group(1).decode("ascii") if match else None, "utf-8"):
        if charset:
            try:
                return body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    return body.decode("cp1252", errors="replace")  # older Quebec sites: Windows Latin-1


def read(body: bytes, content_type: str | None) -> Page:
    """The text of a response body. Not HTML or text: no lines (fingerprint the bytes)."""
    kind, _, params = (content_type or "text/html").partition(";")
    kind = kind.strip().lower()
    charset = None
    if "charset=" in params.lower():
        charset = params.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if kind == "text/plain":
        return Page(lines=_lines(decode(body, charset)), html=False)
    if kind not in ("text/html", "application/xhtml+xml", ""):
        return Page(html=False)
    text = decode(body, charset)
    parser = _Text()
    _feed(parser, text)
    chosen = parser.main if "".join(parser.main).strip() else parser.body
    return Page(title=" ".join("".join(parser.title).split()), heading=parser.first_heading,
                lines=_lines("".join(chosen)), marks=_marks(text[:65536].lower()))


def _marks(head: str) -> tuple[str, ...]:
    return tuple(name for name, needles in MARKS.items() if any(n in head for n in needles))


def _lines(text: str) -> list[str]:
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]
