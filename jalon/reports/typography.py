"""French typography for documents: spaces that never break where a French reader expects them
not to, money as `1 850,00 €`, efforts as `12,5 j/h`, dates as dd/mm/yyyy.

Rules followed (Imprimerie nationale, CLDR `fr`):
- a narrow no-break space (U+202F) before `; : ! ?`, after `«` and before `»`;
- thousands grouped by narrow no-break spaces, a comma before decimals;
- a no-break space (U+00A0) between an amount and its unit (`€`, `j/h`, `%`);
- the typographic apostrophe (’) inside words.
These helpers take and return plain text: escaping belongs to the template that shows it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"  # espace insécable

# ISO 4217 code -> the sign a French reader expects after the amount; other codes print as is.
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "CAD": "$ CA", "XPF": "F CFP"}

# A space (any kind) or nothing before a high punctuation mark, provided the mark ends a word:
# ":" and ";" must be followed by a space or the end, so that "12:30" and "https://" stay intact;
# "!" and "?" may also be followed by closing marks ("?!", "?)", "!»"), but not by a letter ("?q=").
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f\t]*([:;])(?=\s|$)")
_BEFORE_BANG = re.compile(r"(?<=[^\s!?])[ \u00a0\u202f\t]*([!?]+)(?=[\s)\]».,;:\"']|$)")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f\t]*")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f\t]*»")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")  # l'offre -> l’offre; quoted 'words' are left alone


def fr_text(text: str) -> str:
    """`text` with French spacing around high punctuation and guillemets."""
    if not isinstance(text, str):
        raise TypeError(f"fr_text expects a str, got {type(text).__name__}: {text!r}")
    text = _BEFORE_COLON.sub(NNBSP + r"\1", text)
    text = _BEFORE_BANG.sub(NNBSP + r"\1", text)
    text = _APOSTROPHE.sub("’", text)
    text = _AFTER_OPENING.sub("«" + NNBSP, text)
    return _BEFORE_CLOSING.sub(NNBSP + "»", text)


def format_date(value: date | None) -> str:
    """dd/mm/yyyy; an empty string for no date. A datetime prints its (already local) date."""
    if value is None:
        return ""
    if not isinstance(value, date):
        raise TypeError(f"format_date expects a date, got {type(value).__name__}: {value!r}")
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime) -> str:
    """dd/mm/yyyy à HH:MM, for a datetime already converted to the reader's time zone."""
    return gettext("%(date)s à %(time)s") % {"date": format_date(value), "time": f"{value.hour:02d}:{value.minute:02d}"}


def _to_decimal(value: Decimal | int | float | str, what: str) -> Decimal:
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValueError(f"{what}: {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what}: {value!r} is not a finite number")
    return number


def format_number(value: Decimal | int | float | str, decimals: int = 2, *, trim: bool = False) -> str:
    """`value` rounded half-up to `decimals` places, French style: `12 345,50`.

    With `trim`, trailing zeros of the decimal part go away (`12,50` -> `12,5`, `12,00` -> `12`)."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    number = _to_decimal(value, "format_number").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    if trim:
        fraction = fraction.rstrip("0")
    return sign + NNBSP.join(groups) + ("," + fraction if fraction else "")


def format_money(amount: Decimal | int | str, currency: str = "EUR") -> str:
    """`1 850,00 €`: two decimals, the currency sign after a no-break space."""
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise ValueError(f"currency must be an ISO 4217 code such as 'EUR', got {currency!r}")
    if isinstance(amount, float):
        # Binary floats cannot hold cents exactly: money must arrive as Decimal.
        raise TypeError(f"format_money expects a Decimal, not a float: {amount!r}")
    return f"{format_number(amount, 2)}{NBSP}{CURRENCY_SIGNS.get(currency, currency)}"


def format_days(days: Decimal | int | str) -> str:
    """An effort in person-days: `12,5 j/h`, `3 j/h`, `0,25 j/h` (at most two decimals)."""
    if isinstance(days, float):
        raise TypeError(f"format_days expects a Decimal, not a float: {days!r}")
    unit = gettext("j/h")
    return f"{format_number(days, 2, trim=True)}{NBSP}{unit}"


def format_percent(value: Decimal | int | float, decimals: int = 0) -> str:
    """`40 %`, with a no-break space before the sign."""
    return f"{format_number(value, decimals, trim=True)}{NBSP}%"
