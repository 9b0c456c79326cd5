"""Documents (orders and the like) and their files (API.md "Documents", FIELDS.md 6)."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.exchange_helpers import DOCUMENTS, sample

pytestmark = pytest.mark.sandbox

ORDER = "peppol-bis3-order.xml"
# The order's seller, a Peppol participant receiving orders (the sandbox's directory).
SELLER_EIA = "0037:003727812340"


@pytest.fixture
def token(sandbox, company) -> str:
    # The default scopes (global) cover documents and files (FIELDS.md section 1).
    return company_token(sandbox, company)


def send(sandbox, token, files=None, **fields):
    files = files if files is not None else {"file": ("order.xml", sample(ORDER), "text/xml")}
    return ax_call(sandbox, "POST", DOCUMENTS, token, files=files, data=fields)


def sent(sandbox, token, **fields) -> dict:
    response = send(sandbox, token, **fields)
    assert response.status_code == HTTPStatus.CREATED, response.text
    return response.json()


def get(sandbox, token, document_id: str, **params) -> dict:
    response = ax_call(sandbox, "GET", f"{DOCUMENTS}/{document_id}", token, params=params)
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()


def test_send_reads_type_number_and_recipient_from_the_file(sandbox, token):
    body = sent(sandbox, token)

    assert body["status"] == "PROCESSING"
    assert (body["type"], body["number"]) == ("ORDER", "PO-2025-031")
    assert body["source_format"] == "PEPPOLBIS30"
    assert body["recipient"]["eia"] == SELLER_EIA
    assert body["recipient"]["name"] == "Toimistotarvike Lahtinen Oy"
    assert body["process_identifier"] == "urn:fdc:peppol.eu:poacc:bis:order_only:3"
    assert body["document_identifier"].endswith("##urn:fdc:peppol.eu:poacc:trns:order:3::2.1")
    assert body["last_event"]["code"] == "PROCESSING"
    [file] = body["files"]
    assert (file["filename"], file["type"], file["file_format"]) == (
        "order.xml",
        "PRIMARY_FILE",
        "PEPPOLBIS30",
    )


def test_delivered_at_the_next_read(sandbox, token, company):
    created = sent(sandbox, token)

    moved = get(sandbox, token, created["id"])

    assert moved["status"] == "DELIVERED"
    assert moved["delivered_at"]
    names = [e["event"] for e in sandbox.events(company["company_id"])]
    assert names == ["DOCUMENTS.ORDER.DELIVERED"]


def test_several_files_with_their_types(sandbox, token):
    files = {
        "files[0][file]": ("order.xml", sample(ORDER), "application/xml"),
        "files[1][file]": ("terms.pdf", b"%PDF-1.4 terms", "application/pdf"),
    }

    body = sent(sandbox, token, files=files, **{"files[1][file_type]": "ATTACHMENT"})

    assert [(f["filename"], f["type"]) for f in body["files"]] == [
        ("order.xml", "PRIMARY_FILE"),
        ("terms.pdf", "ATTACHMENT"),
    ]


def test_reference_reuses_an_earlier_documents_file(sandbox, token):
    earlier = sent(sandbox, token)
    files = {"files[0][file]": ("order.xml", sample(ORDER), "application/xml")}
    fields = {
        "references[0][reference_id]": earlier["id"],
        "references[0][reference_id_type]": "document_id",
    }

    body = sent(sandbox, token, files=files, **fields)

    assert [f["type"] for f in body["files"]] == ["PRIMARY_FILE", "ATTACHMENT"]


def test_duplicate_transmission_id_is_422(sandbox, token):
    sent(sandbox, token, transmission_id="T-1")

    response = send(sandbox, token, transmission_id="T-1")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "document_duplicate_transmission_id"


def test_a_file_without_recipient_needs_one_given(sandbox, token):
    files = {"file": ("voucher.pdf", b"%PDF-1.4 a receipt", "application/pdf")}

    missing = send(sandbox, token, files=files, type="VOUCHER")
    no_operator = send(sandbox, token, files=files, type="VOUCHER", recipient_eia="0192:111111111")
    given = send(
        sandbox,
        token,
        files=files,
        type="VOUCHER",
        recipient_eia="0192:111111111",
        recipient_operator="EVRY",
    )

    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert "recipient_eia" in missing.json()["details"][0]
    assert "recipient_operator" in no_operator.json()["details"][0]
    assert given.status_code == HTTPStatus.CREATED
    assert given.json()["type"] == "VOUCHER"


def test_a_recipient_that_does_not_take_the_type_fails_the_delivery(sandbox, token):
    # As Oy Koivukuja 5 receives invoices only.
    created = sent(sandbox, token, recipient_eia="0037:003710601555", type="DESPATCH_ADVICE")

    moved = get(sandbox, token, created["id"])

    assert moved["status"] == "FAILED"
    assert "does not receive DESPATCH_ADVICE" in moved["last_event"]["message"]


@pytest.mark.parametrize(
    ("files", "fields", "named"),
    [
        ({}, {"type": "ORDER"}, "file"),
        (None, {"type": "LETTER"}, "type"),
        (None, {"files[0][file_type]": "MAIN"}, "file_type"),
        (None, {"transmission_at": "tomorrow"}, "transmission_at"),
        # Found on PostgreSQL, which refuses to store what SQLite stores: a 500 before.
        (None, {"recipient_country": "FIN"}, "recipient_country"),
        (None, {"recipient_operator": "x" * 65}, "recipient_operator"),
    ],
)
def test_bad_sends_are_refused(sandbox, token, files, fields, named):
    if files == {}:
        files = {"type": (None, "ORDER")}
    response = send(sandbox, token, files=files, **fields)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert any(named in line for line in response.json()["details"])


def test_fields_limit_the_answer(sandbox, token):
    response = ax_call(
        sandbox,
        "POST",
        DOCUMENTS,
        token,
        params={"fields[]": ["id", "status"]},
        files={"file": ("order.xml", sample(ORDER), "text/xml")},
    )

    assert set(response.json()) == {"id", "status"}


class TestList:
    @pytest.fixture
    def three(self, sandbox, token, company) -> list[dict]:
        orders = sandbox.incoming(company["company_id"], count=2, document_type="ORDER")
        return [*orders, sent(sandbox, token, transmission_id="T-9")]

    def ids(self, sandbox, token, **params) -> list[str]:
        response = ax_call(sandbox, "GET", DOCUMENTS, token, params=params)
        assert response.status_code == HTTPStatus.OK, response.text
        return [d["id"] for d in response.json()]

    def test_newest_first_by_default_with_paging_headers(self, sandbox, token, three):
        response = ax_call(sandbox, "GET", DOCUMENTS, token, params={"per_page": 2})

        assert [d["id"] for d in response.json()] == [three[2]["id"], three[1]["id"]]
        assert response.headers["X-Total"] == "3"
        assert response.headers["X-Next-Page"] == "2"

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"direction": "RECEIVED"}, [1, 0]),
            ({"direction": "INCOMING"}, [1, 0]),
            ({"direction": "OUTGOING"}, [2]),
            ({"sort[]": "created_at"}, [0, 1, 2]),
            ({"status[]": "PROCESSING"}, []),
            ({"type[]": ["VOUCHER"]}, []),
        ],
    )
    def test_filters(self, sandbox, token, three, params, expected):
        assert self.ids(sandbox, token, **params) == [three[i]["id"] for i in expected]

    def test_query_matches_id_number_or_reference(self, sandbox, token, three):
        assert self.ids(sandbox, token, query=three[0]["number"]) == [three[0]["id"]]
        assert self.ids(sandbox, token, query=three[1]["id"]) == [three[1]["id"]]

    def test_received_at_window(self, sandbox, token, three):
        since = three[1]["received_at"]

        assert self.ids(sandbox, token, received_at_start=since) == [three[1]["id"]]

    @pytest.mark.parametrize(
        "params",
        [{"direction": "UP"}, {"sort[]": "-size"}, {"status[]": "LOST"}, {"per_page": 500}],
    )
    def test_bad_filters_are_refused(self, sandbox, token, params):
        response = ax_call(sandbox, "GET", DOCUMENTS, token, params=params)

        assert response.status_code == HTTPStatus.BAD_REQUEST


class TestConfirmation:
    def patch(self, sandbox, token, document_id: str, status: str = "CONFIRMED_DELIVERY"):
        path = f"{DOCUMENTS}/{document_id}"
        return ax_call(sandbox, "PATCH", path, token, json={"status": status})

    def test_a_received_order_is_confirmed(self, sandbox, token, company):
        order = sandbox.incoming(company["company_id"], count=1, document_type="ORDER")[0]

        response = self.patch(sandbox, token, order["id"])

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert get(sandbox, token, order["id"])["status"] == "CONFIRMED_DELIVERY"
        again = self.patch(sandbox, token, order["id"])
        assert again.status_code == HTTPStatus.CONFLICT
        assert again.json()["code"] == "document_in_invalid_state"

    def test_not_delivered_yet_is_409(self, sandbox, token):
        sandbox.set_exchange(document_delivery_seconds=3600)
        created = sent(sandbox, token)

        response = self.patch(sandbox, token, created["id"])

        assert response.status_code == HTTPStatus.CONFLICT

    def test_the_webhook_spelling_is_accepted(self, sandbox, token, company):
        order = sandbox.incoming(company["company_id"], count=1, document_type="ORDER")[0]

        assert self.patch(sandbox, token, order["id"], "DELIVERY_CONFIRMED").status_code == 204

    def test_other_statuses_are_refused(self, sandbox, token, company):
        order = sandbox.incoming(company["company_id"], count=1, document_type="ORDER")[0]

        assert self.patch(sandbox, token, order["id"], "DELIVERED").status_code == 400

    def test_between_sandbox_companies_the_sender_hears_of_it(self, sandbox, token, company):
        sandbox.set_lifecycle(profile_activation_seconds=0)
        seller = sandbox.create_company(name="Myyjä Oy", bid="7654321-2", country="FI")
        seller_token = company_token(sandbox, seller)
        for network, profiles in (("VISMA", ["INVOICE_AND_CREDIT_NOTE"]), ("PEPPOL", ["ORDER"])):
            body = {"network": network, "profiles": profiles}
            if network == "PEPPOL":
                body["profile_version"] = "PEPPOLBIS30"
            created = ax_call(sandbox, "POST", "/v1/company/profiles", seller_token, json=body)
            assert created.status_code == HTTPStatus.CREATED, created.text
        sandbox.tick()
        original = sent(sandbox, token, recipient_eia="0216:003776543212")

        sandbox.tick()
        [received] = ax_call(sandbox, "GET", DOCUMENTS, seller_token).json()
        self.patch(sandbox, seller_token, received["id"])

        assert received["status"] == "DELIVERED"
        assert received["sender"]["name"] == "Testi Oy"
        assert get(sandbox, token, original["id"])["status"] == "CONFIRMED_DELIVERY"
        names = [e["event"] for e in sandbox.events(company["company_id"])]
        assert names == ["DOCUMENTS.ORDER.DELIVERED", "DOCUMENTS.ORDER.DELIVERY_CONFIRMED"]
        seller_events = [e["event"] for e in sandbox.events(seller["company_id"])]
        assert "DOCUMENTS.ORDER.RECEIVED" in seller_events


def test_events_answer_the_latest_event(sandbox, token):
    created = sent(sandbox, token)
    get(sandbox, token, created["id"])

    response = ax_call(sandbox, "GET", f"{DOCUMENTS}/{created['id']}/events", token)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["code"] == "DELIVERED"
    assert response.json()["created_at"].endswith("Z")


def test_files_of_a_document_and_their_content(sandbox, token):
    created = sent(sandbox, token)

    listed = ax_call(sandbox, "GET", "/v1/files", token, params={"document_id": created["id"]})
    content = ax_call(sandbox, "GET", f"/v1/files/{listed.json()['id']}", token)

    assert listed.status_code == HTTPStatus.OK
    assert listed.json()["href"].endswith(f"/v1/files/{listed.json()['id']}")
    assert content.content == sample(ORDER)


def test_files_need_a_document_id(sandbox, token):
    response = ax_call(sandbox, "GET", "/v1/files", token)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_another_companys_documents_and_files_are_not_found(sandbox, token):
    created = sent(sandbox, token)
    other = company_token(
        sandbox, sandbox.create_company(name="Muu Oy", bid="2002000-9", country="FI")
    )
    file_id = created["files"][0]["id"]

    for path in (f"{DOCUMENTS}/{created['id']}", f"/v1/files/{file_id}"):
        assert ax_call(sandbox, "GET", path, other).status_code == HTTPStatus.NOT_FOUND
    files = ax_call(sandbox, "GET", "/v1/files", other, params={"document_id": created["id"]})
    assert files.status_code == HTTPStatus.NOT_FOUND
