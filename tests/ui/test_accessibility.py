"""Every main page in Chromium, checked by axe-core (vendored in tests/ui/vendor/axe-core/):
no serious or critical violation of the WCAG rules it tests (labels, contrast, landmarks,
names of links and controls...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_browser import browser  # noqa: F401  (fixture: Chromium)
from tests.ui.test_workbench import JURY_PAPER

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = ["/", "/editor", "/queries", "/queries/case-studies", "/matrix", "/papers", JURY_PAPER,
         "/coproduction/concept/citizens-jury", "/concepts", "/charts", "/search?q=jury", "/ontology", "/no-such-page"]


@pytest.fixture(scope="module")
def checked(browser, served):  # noqa: F811
    """A page that may have axe-core injected (the page's own security policy would refuse it)."""
    context = browser.new_context(base_url=served, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(checked, path):
    response = checked.goto(path)
    assert response.status == (404 if path == "/no-such-page" else 200), path
    checked.add_script_tag(path=str(AXE))
    result = checked.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]][:5])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(map(str, serious))
    assert result["passes"], "axe-core ran its rules"
