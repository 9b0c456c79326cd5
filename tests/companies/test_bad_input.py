"""Bad input gets a clear message, never a 500, and nothing reaches Maventa that the portal
would then refuse (over-long values, formulas, NUL bytes, extra CSV cells, wrong keys)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies import services
from companies.models import Company
from maventa_portal.core.errors import Refused
from tests.companies.forms import COMPANY_FORM
from tests.factories import CompanyFactory

FORM = COMPANY_FORM
HEADER = "name,bid,country,email,address1,post_code,post_office,city\n"
ROW = "Rivi Oy,1234567-1,FI,a@example.com,Katu 1,00100,Helsinki,Helsinki"


@pytest.fixture(autouse=True)
def _rows_done_inline(sync_tasks):
    """The import's rows run as tasks; here they run before the import page answers."""


def _import(client, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("companies:import"),
        {"file": SimpleUploadedFile("c.csv", data, "text/csv")},
        follow=True,
    )


def test_replacing_with_a_wrong_key_says_so_and_keeps_the_old_key(
    operator_client, make_company, sandbox
):
    company = make_company()
    old = company.credential.encrypted_api_key

    response = operator_client.post(
        reverse("companies:replace_key", args=[company.pk]), {"api_key": "wrong"}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert "did not accept this company id and API key" in response.content.decode()
    company.credential.refresh_from_db()
    assert company.credential.encrypted_api_key == old


def test_csv_row_with_more_cells_than_the_header_is_refused_and_the_rest_go_on(
    operator_client, sandbox
):
    text = (
        HEADER
        + ROW
        + ",extra,cells\n"
        + ROW.replace("Rivi", "Toinen").replace("1234567-1", "0112038-9")
    )

    response = _import(operator_client, text)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "This row has 10 cells, more than the 8 columns of the header." in page
    assert list(Company.objects.values_list("name", flat=True)) == ["Toinen Oy"]


def test_csv_cell_with_a_nul_byte_is_refused_before_any_call(operator_client, sandbox):
    response = _import(operator_client, HEADER + ROW.replace("Rivi Oy", "Ri\x00vi Oy"))

    assert response.status_code == HTTPStatus.OK
    assert "NUL byte" in response.content.decode()
    assert sandbox.stats()["requests"] == {}
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"\xff\xfe not utf-8", "not a UTF-8 CSV file"),
        ("name,bid\n", "lacks the columns: country"),
        (HEADER + ROW.replace("Rivi Oy", "x" * 5000), "cannot be read as CSV"),
        (HEADER + ("\n" + ROW) * 1001, "more than 1000 rows"),
    ],
)
def test_unusable_csv_files_are_refused_as_a_whole(operator_client, sandbox, text, message):
    response = _import(operator_client, text)

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert sandbox.stats()["requests"] == {}


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_names_beginning_like_a_formula_are_refused_in_the_form(operator_client, sandbox, start):
    response = operator_client.post(
        reverse("companies:create"), {**FORM, "name": f"{start}HYPERLINK(1) Oy"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "spreadsheets would run it as a formula" in response.content.decode()
    assert sandbox.stats()["requests"] == {}


@pytest.mark.parametrize("column", ["name", "address1", "city", "post_office"])
def test_formula_cells_are_refused_in_the_csv(operator_client, sandbox, column):
    cells = dict(zip(HEADER.strip().split(","), ROW.split(","), strict=True))
    cells[column] = "=cmd|' /C calc'!A0"

    response = _import(operator_client, HEADER + ",".join(cells.values()))

    assert "spreadsheets would run it as a formula" in response.content.decode()
    assert sandbox.stats()["requests"] == {}


def test_email_longer_than_the_portal_stores_is_refused_before_maventa(sandbox):
    long_email = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "fi"

    with pytest.raises(Refused) as caught:
        services.create_company(**{**FORM, "email": long_email})

    assert "email" in caught.value.message_dict
    assert sandbox.stats()["requests"] == {}


def test_csv_name_longer_than_the_portal_stores_is_refused_before_maventa(operator_client, sandbox):
    response = _import(operator_client, HEADER + ROW.replace("Rivi Oy", "N" * 201))

    assert "name: Ensure this value has at most 200 characters" in response.content.decode()
    assert sandbox.stats()["requests"] == {}


def test_admin_form_refuses_a_formula_name(admin_client):
    company = CompanyFactory(name="Plain Oy")

    response = admin_client.post(
        reverse("admin:companies_company_change", args=[company.pk]),
        {
            "name": "=1+1",
            "email": company.email,
            "profiles-TOTAL_FORMS": "0",
            "profiles-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "spreadsheets would run it as a formula" in response.content.decode()
    company.refresh_from_db()
    assert company.name == "Plain Oy"


def test_linking_a_company_whose_name_at_maventa_is_a_formula_is_refused(sandbox):
    account = sandbox.create_company(name="=HYPERLINK(x)", bid="0112038-9", country="FI")

    with pytest.raises(Refused) as caught:
        services.link_company(maventa_id=account["company_id"], api_key=account["api_key"])

    assert "Correct the name at Maventa" in caught.value.staff_message
    assert not Company.objects.exists()


def test_link_form_with_a_nul_byte_in_the_key_answers_with_a_form_error(operator_client):
    response = operator_client.post(
        reverse("companies:link"),
        {"maventa_id": "74700284-d794-4fdd-a2ae-d72c3589f7a2", "api_key": "k\x00ey"},
    )

    assert response.status_code == HTTPStatus.OK
    assert "Null characters are not allowed" in response.content.decode()
