"""Organisations (the agency, the freelancer's company) and the people who log in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import holidays
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = (_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"), _("dimanche"))

siret_validator = RegexValidator(
    r"^\d{14}$", _("Le SIRET compte exactement 14 chiffres, sans espace.")
)


def parse_weekdays(value: str) -> tuple[int, ...]:
    """'0,1,2,3,4' -> (0, 1, 2, 3, 4), Monday = 0 like `datetime.date.weekday()`.

    Raises ValidationError naming the bad item."""
    days: list[int] = []
    for item in (part.strip() for part in value.split(",")):
        if not item.isdigit() or not 0 <= int(item) <= 6:
            raise ValidationError(
                _("Jour ouvré invalide : « %(item)s » (attendu : des chiffres de 0 = lundi à 6 = dimanche, séparés par des virgules)."),
                code="invalid_weekday",
                params={"item": item},
            )
        if int(item) in days:
            raise ValidationError(
                _("Le jour %(day)s est répété dans les jours ouvrés."),
                code="duplicate_weekday",
                params={"day": WEEKDAY_NAMES[int(item)]},
            )
        days.append(int(item))
    return tuple(sorted(days))


def validate_weekdays(value: str) -> None:
    parse_weekdays(value)


@cache
def holiday_subdivisions(country: str) -> tuple[str, ...]:
    """Subdivision codes the `holidays` package knows for this country ('57' = Moselle...)."""
    supported = holidays.list_supported_countries()
    return tuple(supported.get(country, ()))


PERSON_OF_OTHER_ORGANISATION = _("« %(person)s » appartient à une autre organisation.")
SKILL_OF_OTHER_ORGANISATION = _("La compétence « %(skill)s » appartient à une autre organisation.")


def require_same_organisation(field: str, record: object, own_organisation_id: int, message: str, key: str) -> None:
    """Refuse a link to another organisation's record, naming it in the field's error.

    `message` holds one `%(key)s` placeholder; it is formatted by ValidationError, so it stays
    translatable in the reader's language."""
    if record.organisation_id != own_organisation_id:  # type: ignore[attr-defined]
        raise ValidationError({field: ValidationError(message, code="other_organisation", params={key: record})})


class Organisation(models.Model):
    """An agency, a company's digital team or a freelancer: owns clients, people and projects.

    Its settings define the working calendar every plan is computed on."""

    name = models.CharField(_("nom"), max_length=200)
    working_weekdays = models.CharField(
        _("jours ouvrés"),
        max_length=20,
        default="0,1,2,3,4",
        validators=[validate_weekdays],
        help_text=_("Numéros des jours travaillés, 0 = lundi … 6 = dimanche, séparés par des virgules."),
    )
    hours_per_day = models.DecimalField(
        _("heures par jour"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("7"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("12"))],
    )
    day_start = models.TimeField(_("début de journée"), default=dt.time(9, 0))
    day_end = models.TimeField(_("fin de journée"), default=dt.time(18, 0))
    lunch_start = models.TimeField(_("début de la pause déjeuner"), default=dt.time(12, 0))
    lunch_end = models.TimeField(_("fin de la pause déjeuner"), default=dt.time(14, 0))
    holiday_country = models.CharField(_("pays des jours fériés"), max_length=3, default="FR")
    holiday_subdivision = models.CharField(
        _("région des jours fériés"),
        max_length=10,
        blank=True,
        help_text=_("Vide pour le calendrier national ; « 57 », « 67 »/« 6AE » pour l'Alsace-Moselle, « 974 » pour La Réunion…"),
    )
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    vat_rate = models.DecimalField(
        _("taux de TVA (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    address = models.TextField(_("adresse"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    vat_number = models.CharField(_("n° de TVA intracommunautaire"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def weekdays(self) -> tuple[int, ...]:
        return parse_weekdays(self.working_weekdays)

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        self._check_holidays(errors)
        self._check_hours(errors)
        if errors:
            raise ValidationError(errors)

    def _check_holidays(self, errors: dict[str, list[ValidationError]]) -> None:
        # Alsace-Moselle's official code in ISO 3166-2 is 6AE; people also type 67 or 68.
        if self.holiday_subdivision in ("67", "68"):
            self.holiday_subdivision = "6AE"
        country = self.holiday_country.upper()
        if country not in holidays.list_supported_countries():
            errors.setdefault("holiday_country", []).append(ValidationError(
                _("Pays inconnu pour les jours fériés : « %(country)s »."),
                params={"country": self.holiday_country},
            ))
            return
        self.holiday_country = country
        known = holiday_subdivisions(country)
        if self.holiday_subdivision and self.holiday_subdivision not in known:
            errors.setdefault("holiday_subdivision", []).append(ValidationError(
                _("Région inconnue pour %(country)s : « %(sub)s ». Valeurs possibles : %(known)s."),
                params={"country": country, "sub": self.holiday_subdivision, "known": ", ".join(known)},
            ))

    def _check_hours(self, errors: dict[str, list[ValidationError]]) -> None:
        if None in (self.day_start, self.day_end, self.lunch_start, self.lunch_end):
            return
        if self.day_start >= self.day_end:
            errors.setdefault("day_end", []).append(
                ValidationError(_("La journée doit finir après son début."))
            )
        elif not self.day_start <= self.lunch_start <= self.lunch_end <= self.day_end:
            errors.setdefault("lunch_end", []).append(ValidationError(
                _("La pause déjeuner doit se situer dans la journée de travail et finir après son début.")
            ))


class User(AbstractUser):
    """A login. Staff users belong to an organisation; a client user also to one client."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrateur")
        MANAGER = "manager", _("Chef de projet")
        MEMBER = "member", _("Membre de l'équipe")
        CLIENT = "client", _("Client")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    client = models.ForeignKey(
        "projects.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Obligatoire pour un compte client : le client dont il voit les projets."),
    )
    language = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_client_user(self) -> bool:
        return self.role == self.Role.CLIENT

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.organisation_id is None and not self.is_superuser:
            errors["organisation"] = ValidationError(
                _("Un compte doit appartenir à une organisation (seul un super-utilisateur peut s'en passer).")
            )
        if self.role == self.Role.CLIENT and self.client_id is None:
            errors["client"] = ValidationError(_("Un compte de rôle Client doit être rattaché à un client."))
        elif self.role != self.Role.CLIENT and self.client_id is not None:
            errors["client"] = ValidationError(
                _("Seul un compte de rôle Client peut être rattaché à un client (rôle actuel : %(role)s)."),
                params={"role": self.get_role_display()},
            )
        elif self.client_id is not None and self.client.organisation_id != self.organisation_id:
            errors["client"] = ValidationError(
                _("Le client « %(client)s » appartient à une autre organisation."),
                params={"client": self.client},
            )
        if errors:
            raise ValidationError(errors)
