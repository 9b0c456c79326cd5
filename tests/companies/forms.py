"""Form data for companies tests: one valid Finnish company, as staff would fill it in."""

ADDRESS = {
    "email": "office@example.com",
    "address1": "Keskuskatu 1",
    "post_code": "00100",
    "post_office": "Helsinki",
    "city": "Helsinki",
}
COMPANY_FORM = {"name": "Hyvä Oy", "bid": "1234567-1", "country": "FI", **ADDRESS}
