"""/charts: the SVG pictures and the tables they are drawn from, on the literature fixture."""

from __future__ import annotations

import re

from tests.server.conftest import app_holding_only


def test_model_types_by_year_as_bars_and_table(make_app):
    app = app_holding_only(make_app, "literature.ttl", "https://w3id.org/coproduction/graph/load/literature")
    html = app.test_client().get("/charts", headers={"Accept": "text/html"}).get_data(as_text=True)
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="\d+" height="([\d.]+)" fill="#\w+"><title>([^<]+)</title>', html)
    assert sorted(title for _, title in bars) == [
        "1996, public service model: 1", "2007, public service model: 1", "2015, practice-oriented model: 1"]
    assert {float(height) for height, _ in bars} == {200.0}, "one work a year: every bar as tall as the tallest"
    table = html[html.index('id="table-models"'):html.index("</table>", html.index('id="table-models"'))]
    assert table.count("<tr>") == 1 + (2015 - 1996 + 1), "every year from the first to the last"
    assert "<th scope=\"row\">2007</th><td>0</td><td>1</td>" in table
    assert 'id="chart-evidence"' in html
