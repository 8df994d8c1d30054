"""The team: collaborators, their skills and their absences."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import SKILL_OF_OTHER_ORGANISATION, Organisation, require_same_organisation

LEVEL_VALIDATORS = [
    MinValueValidator(1, _("Le niveau va de 1 à 5.")),
    MaxValueValidator(5, _("Le niveau va de 1 à 5.")),
]


class Skill(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="skills"
    )
    name = models.CharField(_("nom"), max_length=100)
    category = models.CharField(
        _("catégorie"), max_length=100, blank=True, help_text=_("Par exemple : Design, Développement, Marketing.")
    )

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="skill_unique_name_per_organisation",
                violation_error_message=_("Cette compétence existe déjà dans l'organisation."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A collaborator (collaborateur) who can be assigned to tasks; may be linked to a login."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        related_name="person",
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    job_title = models.CharField(
        _("métier"), max_length=100, blank=True, help_text=_("Par exemple : Graphiste, Développeur web.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    daily_rate = models.DecimalField(
        _("TJM vendu (€ HT)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), _("Le TJM ne peut pas être négatif."))],
    )
    daily_cost = models.DecimalField(
        _("coût journalier interne (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), _("Le coût journalier ne peut pas être négatif."))],
    )
    capacity = models.DecimalField(
        _("capacité"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[
            MinValueValidator(Decimal("0.1"), _("La capacité va de 0,1 (10 %%) à 1 (temps plein).")),
            MaxValueValidator(Decimal("1.0"), _("La capacité va de 0,1 (10 %%) à 1 (temps plein).")),
        ],
        help_text=_("Part de chaque jour ouvré : 1 = temps plein, 0,8 = 4 jours sur 5."),
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("collaborateur")
        verbose_name_plural = _("collaborateurs")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        if self.user_id is not None and self.organisation_id is not None:
            if self.user.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"user": _("Le compte « %(user)s » appartient à une autre organisation.") % {"user": self.user}}
                )


class PersonSkill(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("compétence"), on_delete=models.CASCADE, related_name="holders"
    )
    level = models.PositiveSmallIntegerField(
        _("niveau"), default=3, validators=LEVEL_VALIDATORS, help_text=_("1 = notions … 5 = expert.")
    )

    class Meta:
        verbose_name = _("compétence d'un collaborateur")
        verbose_name_plural = _("compétences des collaborateurs")
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "skill"],
                name="personskill_unique_pair",
                violation_error_message=_("Ce collaborateur a déjà cette compétence."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.skill} ({self.level}/5)"

    def clean(self) -> None:
        if self.person_id and self.skill_id:
            require_same_organisation("skill", self.skill, self.person.organisation_id, SKILL_OF_OTHER_ORGANISATION, "skill")


class Absence(models.Model):
    """Leave or unavailability, in whole days with optional half days at either end."""

    class Kind(models.TextChoices):
        PAID_LEAVE = "paid_leave", _("Congés payés")
        RTT = "rtt", _("RTT")
        SICK = "sick", _("Maladie")
        TRAINING = "training", _("Formation")
        OTHER = "other", _("Autre")

    person = models.ForeignKey(
        Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="absences"
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    kind = models.CharField(_("motif"), max_length=20, choices=Kind.choices, default=Kind.PAID_LEAVE)
    start_afternoon = models.BooleanField(
        _("commence l'après-midi"), default=False, help_text=_("Le premier jour, seul l'après-midi est posé.")
    )
    end_morning = models.BooleanField(
        _("finit à midi"), default=False, help_text=_("Le dernier jour, seul le matin est posé.")
    )
    note = models.CharField(_("commentaire"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="absence_end_after_start",
                violation_error_message=_("La fin de l'absence doit être le même jour que le début ou après."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()} du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self.end < self.start:
            raise ValidationError(
                {"end": _("La fin de l'absence (%(end)s) précède son début (%(start)s).")
                 % {"end": f"{self.end:%d/%m/%Y}", "start": f"{self.start:%d/%m/%Y}"}}
            )
        if self.end == self.start and self.start_afternoon and self.end_morning:
            raise ValidationError(
                _("Sur une seule journée, une absence ne peut pas à la fois commencer l'après-midi et finir à midi.")
            )
