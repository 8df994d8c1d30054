"""French typography: spaces that do not break, money, efforts, dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from jalon.reports.typography import (
    NBSP,
    NNBSP,
    format_date,
    format_datetime,
    format_days,
    format_money,
    format_number,
    format_percent,
    fr_text,
)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Attention: livraison lundi; merci!", f"Attention{NNBSP}: livraison lundi{NNBSP}; merci{NNBSP}!"),
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        ("«Bonjour»", f"«{NNBSP}Bonjour{NNBSP}»"),
        ("« Bonjour »", f"«{NNBSP}Bonjour{NNBSP}»"),
        ("(voir la note)!", f"(voir la note){NNBSP}!"),
        ("l'offre d'Agathe", "l’offre d’Agathe"),
    ],
)
def test_fr_text_puts_narrow_no_break_spaces_where_french_expects_them(typed: str, printed: str) -> None:
    assert fr_text(typed) == printed


@pytest.mark.parametrize("kept", ["https://boulangerie.example/?q=1&p=2", "réunion à 12:30", "a::b", "'cité'"])
def test_fr_text_leaves_urls_times_and_quotes_alone(kept: str) -> None:
    assert fr_text(kept) == kept


def test_fr_text_is_idempotent() -> None:
    once = fr_text("Objectifs : « vendre » ; budget ? oui !")
    assert fr_text(once) == once


def test_fr_text_names_a_wrong_type() -> None:
    with pytest.raises(TypeError, match="expects a str, got int"):
        fr_text(12)  # type: ignore[arg-type]


def test_money_groups_thousands_with_narrow_spaces_and_keeps_the_sign_apart() -> None:
    assert format_money(Decimal("1850")) == f"1{NNBSP}850,00{NBSP}€"
    assert format_money(Decimal("1234567.891")) == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"
    assert format_money(Decimal("-0.005")) == f"-0,01{NBSP}€"  # half-up, away from zero
    assert format_money(Decimal("999.995"), "USD") == f"1{NNBSP}000,00{NBSP}$"
    assert format_money(Decimal("12"), "SEK") == f"12,00{NBSP}SEK"


@pytest.mark.parametrize("bad", ["eur", "EURO", "€", ""])
def test_money_refuses_a_currency_that_is_not_an_iso_code(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        format_money(Decimal("1"), bad)


def test_money_refuses_floats_and_non_numbers() -> None:
    with pytest.raises(TypeError, match="not a float"):
        format_money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'douze' is not a number"):
        format_money("douze")
    with pytest.raises(ValueError, match="not a finite number"):
        format_money(Decimal("NaN"))


def test_days_drop_useless_zeros() -> None:
    assert format_days(Decimal("12.5")) == f"12,5{NBSP}j/h"
    assert format_days(Decimal("12.50")) == f"12,5{NBSP}j/h"
    assert format_days(Decimal("3")) == f"3{NBSP}j/h"
    assert format_days(Decimal("0.25")) == f"0,25{NBSP}j/h"
    assert format_days(Decimal("1250")) == f"1{NNBSP}250{NBSP}j/h"


def test_numbers_and_percentages() -> None:
    assert format_number(Decimal("1000"), 0) == f"1{NNBSP}000"
    assert format_number(999, 1) == "999,0"
    assert format_percent(40) == f"40{NBSP}%"
    assert format_percent(Decimal("12.5"), 1) == f"12,5{NBSP}%"
    with pytest.raises(ValueError, match="decimals must be >= 0"):
        format_number(1, -1)


def test_dates_read_day_month_year() -> None:
    assert format_date(date(2030, 2, 4)) == "04/02/2030"
    assert format_date(None) == ""
    assert format_datetime(datetime(2030, 2, 4, 9, 5)) == "04/02/2030 à 09:05"
    with pytest.raises(TypeError, match="expects a date, got str"):
        format_date("2030-02-04")  # type: ignore[arg-type]


def test_template_filters_format_and_stay_escaped() -> None:
    from django.template import Context, Template

    html = Template("{% load fr_typography %}{{ a|money }}|{{ d|days }}|{{ t|fr_text }}|{{ day|fr_date }}").render(
        Context({"a": Decimal("1850"), "d": Decimal("2.5"), "t": "<b>Note</b>: ok", "day": date(2030, 1, 7)})
    )
    assert html == f"1{NNBSP}850,00{NBSP}€|2,5{NBSP}j/h|&lt;b&gt;Note&lt;/b&gt;{NNBSP}: ok|07/01/2030"
