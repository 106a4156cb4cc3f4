from tests.browser.pages import axe_violations


def test_axe_reports_a_real_violation(phone):
    """Guards the accessibility checks: axe must find an unlabeled button and a
    missing alt text, or "no violations" elsewhere would mean nothing."""
    page = phone().new_page()
    page.set_content('<html lang="id"><body><main><img src="x.png"><button></button></main></body></html>')
    found = {violation["id"]: violation["impact"] for violation in axe_violations(page)}
    assert found.get("image-alt") == "critical" and found.get("button-name") == "critical"
