"""The HTML comparison report in headless chromium: its layout at a given width, and screenshots.

``python tests/support/report_page.py REPORT.html SHOT.png`` writes the screenshot the README
shows (what ``python3 dev.py compare`` runs after writing the report).
"""

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import its sibling as the tests do
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support import chrome

DESKTOP = (1440, 1000)
PHONE = (390, 844)
# What the page looks like, read in the browser: the page's own width against the window's,
# every concept section, and each code column's box against its row's.
LAYOUT = """
const page = document.documentElement;
const box = (element) => {
  const r = element.getBoundingClientRect();
  return {left: r.left, right: r.right, width: r.width};
};
return {
  innerWidth: window.innerWidth,
  scrollWidth: page.scrollWidth,
  bodyScrollWidth: document.body.scrollWidth,
  sections: [...document.querySelectorAll("section.concept")].map((section) => {
    const row = section.querySelector(".columns");
    return {
      id: section.id,
      title: section.querySelector("h3").textContent,
      row: box(row),
      rowScrolls: row.scrollWidth > row.clientWidth,
      columns: [...row.querySelectorAll(".col")].map((col) => {
        const pre = col.querySelector("pre");
        return {
          framework: col.querySelector("h4").textContent,
          visible: col.offsetParent !== null,
          box: box(col),
          code: pre ? box(pre) : null,
          lines: col.querySelectorAll(".linenos").length,
        };
      }),
    };
  }),
};
"""


def open_report(driver, path, size):
    width, height = size
    driver.set_window_size(width, height)
    driver.get(Path(path).resolve().as_uri())
    # The window's outer size includes the browser's frame: fit the page's own viewport.
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
    return driver.execute_script(LAYOUT)


def screenshot(driver, path, png, size=DESKTOP, anchor="login-view"):
    """A screenshot of the report at ``size``, scrolled to one concept's section."""
    open_report(driver, path, size)
    if anchor:
        driver.get(Path(path).resolve().as_uri() + f"#{anchor}")
    driver.save_screenshot(str(png))
    return png


def main(argv):
    report, png = argv
    missing = chrome.chromium_missing()
    if missing:
        sys.exit(f"no screenshot of {report}: {missing}")
    driver = chrome.start()
    try:
        screenshot(driver, report, png)
    finally:
        chrome.stop(driver)
    print(f"wrote {png}")


if __name__ == "__main__":
    main(sys.argv[1:])
