"""What the client says and decides: feedback, change requests, validations of spec versions and
deliverables. A validation is a record of a decision: written once, never changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jalon.portal import history  # noqa: F401  (registers the history of other apps' models)

IMMUTABLE_MESSAGE = _(
    "Une décision enregistrée ne peut plus être modifiée ni supprimée : elle fait foi de qui a "
    "décidé quoi et quand."
)


class ImmutableRecordError(ValidationError):
    """Raised when something tries to change or delete a recorded decision."""


class Feedback(models.Model):
    """A remark sent by the client on a project (retour client)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projet"), on_delete=models.CASCADE, related_name="client_feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, related_name="+", null=True
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("retour client")
        verbose_name_plural = _("retours client")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Retour de %(author)s du %(date)s") % {"author": self.author, "date": f"{self.created_at:%d/%m/%Y}"}


class ChangeRequest(models.Model):
    """A change request (demande de changement) filed by the client and triaged by the PM.

    Accepting it creates tasks and re-plans the project; the effect on the plan is kept here as
    it was measured at that moment (previous and new end date, extra days, extra cost)."""

    class Status(models.TextChoices):
        NEW = "new", _("À traiter")
        ACCEPTED = "accepted", _("Acceptée")
        REJECTED = "rejected", _("Refusée")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projet"), on_delete=models.CASCADE, related_name="change_requests"
    )
    title = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandée par"), on_delete=models.SET_NULL, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.NEW)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    triaged_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    previous_end_date = models.DateField(_("fin prévue avant"), null=True, blank=True)
    new_end_date = models.DateField(_("fin prévue après"), null=True, blank=True)
    extra_days = models.IntegerField(
        _("jours ouvrés de décalage"), null=True, blank=True, help_text=_("Décalage de la fin du projet.")
    )
    extra_effort_days = models.DecimalField(_("charge ajoutée (j/h)"), max_digits=8, decimal_places=2, null=True, blank=True)
    extra_cost = models.DecimalField(_("coût ajouté (€ HT)"), max_digits=12, decimal_places=2, null=True, blank=True)
    plan_run = models.ForeignKey(
        "planning.PlanRun",
        verbose_name=_("calcul de planning"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_tasks = models.ManyToManyField(
        "projects.Task", verbose_name=_("tâches créées"), related_name="change_requests", blank=True
    )
    history = HistoricalRecords(verbose_name=_("historique de demande de changement"))

    class Meta:
        verbose_name = _("demande de changement")
        verbose_name_plural = _("demandes de changement")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.NEW

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Indiquez le motif du refus : le client le lira.")})


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Validé")
    REJECTED = "rejected", _("Refusé")


class ImmutableRecord(models.Model):
    """Who decided, when, what and why; refused on update and delete (see IMMUTABLE_MESSAGE)."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("décidé par"), on_delete=models.SET_NULL, related_name="+", null=True
    )
    # The name as it was at decision time: the record stays readable if the login is deleted.
    decided_by_name = models.CharField(_("nom du décideur"), max_length=300)
    decided_at = models.DateTimeField(_("décidé le"))
    decision = models.CharField(_("décision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not a side effect: the record of a client's decision must never move.
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ImmutableRecordError(IMMUTABLE_MESSAGE, code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError(IMMUTABLE_MESSAGE, code="immutable")


class SpecValidation(ImmutableRecord):
    """The client's decision on a submitted version of the cahier des charges."""

    version = models.ForeignKey(
        "specs.SpecVersion", verbose_name=_("version"), on_delete=models.CASCADE, related_name="client_decisions"
    )
    history = HistoricalRecords(verbose_name=_("historique de validation de cahier des charges"))

    class Meta:
        verbose_name = _("validation de cahier des charges")
        verbose_name_plural = _("validations de cahier des charges")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version.spec.project} v{self.version.number} — {self.get_decision_display()}"


class DeliverableValidation(ImmutableRecord):
    """The client's decision on a delivered deliverable (recette)."""

    deliverable = models.ForeignKey(
        "projects.Deliverable", verbose_name=_("livrable"), on_delete=models.CASCADE, related_name="client_decisions"
    )
    history = HistoricalRecords(verbose_name=_("historique de validation de livrable"))

    class Meta:
        verbose_name = _("validation de livrable")
        verbose_name_plural = _("validations de livrables")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.deliverable} — {self.get_decision_display()}"
