"""Screenshots of the pages of a running ris3hub, in English and Italian, for a person to look at.

    .venv/bin/python tests/web/screenshots.py --base-url http://127.0.0.1:8000 --out test-artifacts/shots

Opens the home page, the lists, a region, the first organisation, network and project the lists
link to, in headless Chromium (Debian's /usr/bin/chromium), and writes one PNG a page and language.
Not a test: it only reports pages that fail to answer or maps that are not drawn.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
FIXED = {
    "home": "/",
    "home-funding": "/?map=funding",
    "search": "/search/?q=bologna",
    "about": "/about/",
    "organisations": "/organisations/?country=IT",
    "projects": "/projects/",
    "regions": "/regions/?country=IT&level=2",
    "region-nuts2": "/regions/ITH5/",
    "region-nuts3": "/regions/ITH55/",
    "region-country": "/regions/IT/",
}


def first_link(page, base_url: str, list_path: str, prefix: str) -> str | None:
    page.goto(base_url + list_path)
    link = page.locator(f"table a[href^='{prefix}']").first
    return link.get_attribute("href") if link.count() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("test-artifacts/shots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--languages", default="en,it")
    parser.add_argument("--page", action="append", default=[], metavar="NAME=PATH",
                        help="another page to shoot, e.g. network=/organisations/12/network/")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.base_url.rstrip("/")
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        pages = dict(FIXED)
        organisation = first_link(page, base, "/organisations/?kind=technopole", "/organisations/") or first_link(
            page, base, "/organisations/?sort=-project_count", "/organisations/")
        if organisation:
            pages["organisation"] = organisation
        network = first_link(page, base, "/organisations/?kind=platform", "/organisations/")
        if network:
            pages["network"] = network + "network/"
        project = first_link(page, base, "/projects/?sort=-eu_contribution", "/projects/")
        if project:
            pages["project"] = project
        for extra in args.page:
            name, _, path = extra.partition("=")
            pages[name] = path
        for language in args.languages.split(","):
            page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            for name, path in pages.items():
                response = page.goto(base + path)
                if response is None or response.status != 200:
                    problems.append(f"{path}: HTTP {response.status if response else 'no answer'}")
                    continue
                for figure in page.locator("[data-figure]").all():
                    try:
                        figure.locator("svg").first.wait_for(timeout=10000)
                    except PlaywrightTimeout as error:
                        problems.append(f"{path}: figure {figure.get_attribute('id')} not drawn ({error})")
                target = args.out / f"{name}-{language}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
        browser.close()
    for problem in problems:
        print("problem:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
