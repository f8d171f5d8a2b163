"""The interactive API docs (/docs, Swagger UI) in a real browser, under a strict content policy:
the operations are shown and can be tried, and the browser refuses nothing on the way."""

from __future__ import annotations

import pytest

# Every refusal of the policy, as the page itself learns of it (registered before its scripts run).
_WATCH = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(event.effectiveDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # no SQL that could differ
def test_the_api_docs_work_under_a_strict_content_policy(live_site, browser):
    context = browser.new_context()
    context.add_init_script(_WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    response = page.goto(f"{live_site.url}/docs")
    assert response is not None and response.status == 200
    policy = {d.split()[0]: d.split()[1:] for d in response.headers["content-security-policy"].split("; ")}
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], policy
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]

    # The operations are shown, and one can be tried: the request goes out and its answer comes back.
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 30
    notes = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/notes']")).first
    notes.locator(".opblock-summary").click()
    notes.get_by_role("button", name="Try it out").click()
    notes.get_by_role("button", name="Execute").click()
    status = notes.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"

    refused = page.evaluate("window.__refused")
    context.close()
    assert refused == [], refused
    assert not [
        line for line in console if "Content Security Policy" in line or line.startswith(("error", "pageerror"))
    ], console
