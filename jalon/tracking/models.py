"""Tracking: time spent (temps passé), locked weeks, risks, status reports and quotes (devis)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import PERSON_OF_OTHER_ORGANISATION, Organisation, require_same_organisation
from jalon.people.models import Person
from jalon.projects.models import Phase, Project, Task

CENT = Decimal("0.01")
QUARTER = Decimal("0.25")
SCALE_VALIDATORS = [
    MinValueValidator(1, _("La note va de 1 (faible) à 5 (très forte).")),
    MaxValueValidator(5, _("La note va de 1 (faible) à 5 (très forte).")),
]


def money(value: Decimal) -> Decimal:
    """Cents, rounded half up as on a French invoice."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class TimeEntry(models.Model):
    """Time a person spent on a task one day, in days (0.25 steps: a quarter day = 1 h 45)."""

    person = models.ForeignKey(Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="time_entries")
    task = models.ForeignKey(Task, verbose_name=_("tâche"), on_delete=models.CASCADE, related_name="time_entries")
    date = models.DateField(_("jour"))
    days = models.DecimalField(
        _("temps passé (j)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(QUARTER, _("Saisissez au moins 0,25 j.")),
                    MaxValueValidator(Decimal("1"), _("Une journée compte au plus 1 j."))],
    )
    comment = models.CharField(_("commentaire"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("temps passé")
        verbose_name_plural = _("temps passés")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["task", "date"]), models.Index(fields=["person", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "task", "date"], name="timeentry_one_per_day",
                                    violation_error_message=_("Ce temps est déjà saisi pour ce jour.")),
            models.CheckConstraint(condition=models.Q(days__gt=0) & models.Q(days__lte=1), name="timeentry_days_in_range",
                                   violation_error_message=_("Le temps passé va de 0,25 à 1 j par jour.")),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.task} — {self.date:%d/%m/%Y} : {self.days} j"

    def hours(self, hours_per_day: Decimal) -> Decimal:
        return (self.days * hours_per_day).quantize(CENT)


class TimesheetLock(models.Model):
    """A past ISO week closed to edits, for the whole organisation or one person."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="+",
                               null=True, blank=True, help_text=_("Vide : la semaine est verrouillée pour tout le monde."))
    iso_year = models.PositiveSmallIntegerField(_("année ISO"))
    iso_week = models.PositiveSmallIntegerField(_("semaine ISO"), validators=[MinValueValidator(1), MaxValueValidator(53)])
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verrouillée par"), on_delete=models.SET_NULL,
                                  related_name="+", null=True, blank=True)
    locked_at = models.DateTimeField(_("verrouillée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("semaine verrouillée")
        verbose_name_plural = _("semaines verrouillées")
        ordering = ["-iso_year", "-iso_week"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person", "iso_year", "iso_week"], name="timesheetlock_unique"),
        ]

    def __str__(self) -> str:
        return _("S%(week)02d %(year)d") % {"week": self.iso_week, "year": self.iso_year}


class Risk(models.Model):
    """A risk of the register: its criticality is probability × impact (1 to 25)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouvert")
        MITIGATED = "mitigated", _("Maîtrisé")
        OCCURRED = "occurred", _("Survenu")
        CLOSED = "closed", _("Clos")

    project = models.ForeignKey(Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risque"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    probability = models.PositiveSmallIntegerField(_("probabilité"), default=3, validators=SCALE_VALIDATORS)
    impact = models.PositiveSmallIntegerField(_("impact"), default=3, validators=SCALE_VALIDATORS)
    owner = models.ForeignKey(Person, verbose_name=_("porteur"), on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    mitigation = models.TextField(_("plan de réduction"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("risque")
        verbose_name_plural = _("risques")
        ordering = ["project", "status", "-probability", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.probability * self.impact

    @property
    def level(self) -> str:
        """low (1–5), medium (6–11), high (12–25): the usual 5 × 5 matrix bands."""
        return "high" if self.score >= 12 else "medium" if self.score >= 6 else "low"

    def clean(self) -> None:
        if self.owner_id and self.project_id:
            require_same_organisation("owner", self.owner, self.project.organisation_id, PERSON_OF_OTHER_ORGANISATION, "person")


class StatusReport(models.Model):
    """The weekly report (reporting) of a project. `snapshot` freezes the figures it shows, so a
    published report keeps telling what was true on its day."""

    class Weather(models.TextChoices):
        SUNNY = "sunny", _("Ensoleillé")
        CLOUDY = "cloudy", _("Nuageux")
        STORMY = "stormy", _("Orageux")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié au client")

    project = models.ForeignKey(Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="status_reports")
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    computed_weather = models.CharField(_("météo calculée"), max_length=10, choices=Weather.choices, default=Weather.SUNNY)
    weather_override = models.CharField(_("météo retenue"), max_length=10, choices=Weather.choices, blank=True,
                                        help_text=_("Vide : la météo calculée."))
    override_reason = models.TextField(_("raison du changement de météo"), blank=True)
    achievements = models.TextField(_("réalisé"), blank=True)
    next_steps = models.TextField(_("prochaines étapes"), blank=True)
    decisions = models.TextField(_("décisions attendues du client"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("publié par"), on_delete=models.SET_NULL,
                                     related_name="+", null=True, blank=True)
    snapshot = models.JSONField(_("chiffres"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rédigé par"), on_delete=models.SET_NULL,
                                   related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("rapport d'avancement")
        verbose_name_plural = _("rapports d'avancement")
        ordering = ["project", "-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="statusreport_period_order",
                                   violation_error_message=_("La fin de la période précède son début.")),
        ]

    def __str__(self) -> str:
        return _("Rapport du %(start)s au %(end)s") % {"start": f"{self.period_start:%d/%m/%Y}", "end": f"{self.period_end:%d/%m/%Y}"}

    @property
    def weather(self) -> str:
        return self.weather_override or self.computed_weather

    def get_weather_display(self) -> str:
        return str(self.Weather(self.weather).label)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        if self.weather_override and self.weather_override != self.computed_weather and not self.override_reason.strip():
            raise ValidationError({"override_reason": _("Dites pourquoi la météo retenue diffère de la météo calculée.")})
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("La fin de la période précède son début.")})


class QuoteCounter(models.Model):
    """The last quote number given by an organisation in a year; locked while a number is taken
    so that two quotes never share one and none is skipped."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="quotecounter_unique")]


class Quote(models.Model):
    """A quote (devis) sent to the client. Numbered D-YYYY-NNNN in sequence per organisation and
    year; never deleted once numbered (a refused quote stays, with its number)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SENT = "sent", _("Envoyé")
        ACCEPTED = "accepted", _("Accepté")
        REFUSED = "refused", _("Refusé")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="quotes")
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("numéro d'ordre"))
    number = models.CharField(_("numéro"), max_length=20)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    issue_date = models.DateField(_("date du devis"))
    validity_date = models.DateField(_("valable jusqu'au"))
    start_date = models.DateField(_("début des travaux"), null=True, blank=True)
    duration_text = models.CharField(_("durée estimée"), max_length=100, blank=True)
    discount_percent = models.DecimalField(
        _("remise (%)"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), _("La remise va de 0 à 100 %%.")),
                    MaxValueValidator(Decimal("100"), _("La remise va de 0 à 100 %%."))],
    )
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2, default=Decimal("20"),
                                   validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    vat_exempt = models.BooleanField(
        _("micro-entrepreneur (franchise en base de TVA)"), default=False,
        help_text=_("Ajoute la mention « TVA non applicable, art. 293 B du CGI » ; le taux doit être 0."),
    )
    payment_terms = models.TextField(_("conditions de paiement"), blank=True)
    notes = models.TextField(_("remarques"), blank=True)
    client_name = models.CharField(_("client"), max_length=200, blank=True)
    client_address = models.TextField(_("adresse du client"), blank=True)
    client_siret = models.CharField(_("SIRET du client"), max_length=14, blank=True)
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("établi par"), on_delete=models.SET_NULL,
                                   related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("devis")
        verbose_name_plural = _("devis")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "sequence"], name="quote_unique_sequence",
                                    violation_error_message=_("Ce numéro de devis est déjà pris.")),
            models.CheckConstraint(condition=models.Q(validity_date__gte=models.F("issue_date")), name="quote_valid_after_issue",
                                   violation_error_message=_("La date de validité précède la date du devis.")),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def format_number(year: int, sequence: int) -> str:
        return f"D-{year}-{sequence:04d}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def totals(self) -> QuoteTotals:
        return QuoteTotals.of(list(self.lines.all()), self.discount_percent, self.vat_rate)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.vat_exempt and self.vat_rate:
            errors["vat_rate"] = _("Un micro-entrepreneur en franchise de TVA facture à 0 %% (taux saisi : %(rate)s %%).") % {
                "rate": self.vat_rate}
        if self.issue_date and self.validity_date and self.validity_date < self.issue_date:
            errors["validity_date"] = _("La date de validité (%(v)s) précède la date du devis (%(d)s).") % {
                "v": f"{self.validity_date:%d/%m/%Y}", "d": f"{self.issue_date:%d/%m/%Y}"}
        if errors:
            raise ValidationError(errors)


class QuoteLine(models.Model):
    """A line of a quote: usually a phase's days for one role at its daily rate (TJM)."""

    quote = models.ForeignKey(Quote, verbose_name=_("devis"), on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField(_("ordre"), default=0)
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    label = models.CharField(_("désignation"), max_length=200)
    detail = models.CharField(_("détail"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantité (j)"), max_digits=8, decimal_places=2,
                                   validators=[MinValueValidator(Decimal("0"), _("La quantité ne peut pas être négative."))])
    unit_price = models.DecimalField(_("prix unitaire HT (€)"), max_digits=10, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"), _("Le prix ne peut pas être négatif."))])

    class Meta:
        verbose_name = _("ligne de devis")
        verbose_name_plural = _("lignes de devis")
        ordering = ["quote", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def total(self) -> Decimal:
        return money(self.quantity * self.unit_price)


class QuoteTotals:
    """HT before and after discount, VAT and TTC, each rounded to the cent once."""

    def __init__(self, subtotal: Decimal, discount: Decimal, vat_rate: Decimal, days: Decimal) -> None:
        self.subtotal = subtotal
        self.discount = discount
        self.net = subtotal - discount
        self.vat = money(self.net * vat_rate / 100)
        self.total = self.net + self.vat
        self.days = days

    @classmethod
    def of(cls, lines: list[QuoteLine], discount_percent: Decimal, vat_rate: Decimal) -> QuoteTotals:
        subtotal = sum((line.total for line in lines), Decimal("0"))
        return cls(subtotal, money(subtotal * discount_percent / 100), vat_rate, sum((line.quantity for line in lines), Decimal("0")))


def iso_week_monday(year: int, week: int) -> dt.date:
    """Monday of ISO week `week` of `year`; ValueError naming the week when it does not exist."""
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(_("La semaine S%(week)02d %(year)d n'existe pas.") % {"week": week, "year": year}) from None
