import pytest
from django.core.exceptions import ValidationError

from companies.bids import normalise_bid


@pytest.mark.parametrize(
    ("bid", "country", "expected"),
    [
        ("1234567-1", "FI", "1234567-1"),
        ("12345671", "FI", "1234567-1"),
        ("FI12345671", "FI", "1234567-1"),
        (" 0112038-9 ", "FI", "0112038-9"),
        ("923609016", "NO", "923609016"),
        ("NO 923 609 016 MVA", "NO", "923609016"),
        ("556036-0793", "SE", "556036-0793"),
        ("5560360793", "SE", "556036-0793"),
        ("SE556036079301", "SE", "556036-0793"),
        ("12345678", "DK", "12345678"),
        ("NL123456789B01", "NL", "NL123456789B01"),
        ("DE123456789", "DE", "DE123456789"),
    ],
)
def test_valid_business_ids_are_normalised(bid, country, expected):
    assert normalise_bid(bid, country) == expected


@pytest.mark.parametrize(
    ("bid", "country", "message"),
    [
        ("1234567-2", "FI", "fails its check digit"),
        ("1234567", "FI", "looks like 1234567-8"),
        ("923609017", "NO", "fails its check digit"),
        ("92360901", "NO", "has 9 digits"),
        ("556036-0794", "SE", "fails its Luhn check digit"),
        ("55603607", "SE", "looks like 556000-0001"),
        ("12", "DK", "4 to 20 letters"),
        ("DE12345678<script>", "DE", "4 to 20 letters"),
        ("", "FI", "Enter the company's business id"),
    ],
)
def test_invalid_business_ids_are_refused_with_a_reason(bid, country, message):
    with pytest.raises(ValidationError) as caught:
        normalise_bid(bid, country)

    assert message in caught.value.messages[0]
