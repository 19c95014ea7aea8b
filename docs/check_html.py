"""Check the built HTML docs: a figure in every tutorial, nothing loaded from the network.

Run after the Sphinx build (tox -e docs does)::

    python docs/check_html.py <html dir>

Fails (exit status 1, one line per problem) when

* a tutorial page (``tutorials/*.html`` except the index) holds no ``<img>``: its figures were not
  captured (for instance because a non-interactive matplotlib backend was set for the kernel);
* any page loads a script, a stylesheet or MathJax from a network address (``http:``, ``https:``
  or ``//``): the docs must read offline, formulas included.

Prints the number of images of each tutorial page.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

NETWORK = ("http:", "https:", "//")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images = 0
        self.remote: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images += 1
        url = None
        if tag == "script":
            url = a.get("src")
        elif tag == "link" and {"stylesheet", "preload", "modulepreload"} & set((a.get("rel") or "").split()):
            url = a.get("href")
        if url and url.strip().lower().startswith(NETWORK):
            self.remote.append(f"<{tag}> {url}")

    def handle_data(self, data):
        # MathJax configured to fetch its components from a CDN shows up in inline scripts
        if "cdn.jsdelivr.net" in data or "mathjax.org" in data:
            self.remote.append("inline script refers to a MathJax CDN")


def check(html_dir: Path) -> tuple[dict[str, int], list[str]]:
    """(images per tutorial page, problems) for the build in ``html_dir``."""
    problems: list[str] = []
    images: dict[str, int] = {}
    pages = sorted(html_dir.rglob("*.html"))
    if not pages:
        return images, [f"{html_dir}: no HTML pages (was the docs build run?)"]
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        rel = page.relative_to(html_dir).as_posix()
        problems += [f"{rel}: loads {r} from the network" for r in parser.remote]
        if rel.startswith("tutorials/") and page.name != "index.html":
            images[rel] = parser.images
            if parser.images == 0:
                problems.append(f"{rel}: no <img> (the tutorial's figures were not captured)")
    if not images:
        problems.append(f"{html_dir}: no tutorial pages under tutorials/")
    if not (html_dir / "_static" / "mathjax").is_dir():
        problems.append(f"{html_dir}/_static/mathjax: MathJax is not bundled")
    return images, problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python docs/check_html.py <html dir>", file=sys.stderr)
        return 2
    images, problems = check(Path(argv[0]))
    for page, n in images.items():
        print(f"{n:4d} images  {page}")
    for p in problems:
        print(f"check_html: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
