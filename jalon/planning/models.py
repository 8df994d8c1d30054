"""Baselines (plannings de référence): frozen copies of a project's planned dates."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Baseline(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projet"), on_delete=models.CASCADE, related_name="baselines"
    )
    name = models.CharField(_("nom"), max_length=200)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("planning de référence")
        verbose_name_plural = _("plannings de référence")
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return f"{self.project} — {self.name}"


class BaselineTask(models.Model):
    """One task's dates in a baseline. The name is copied so the baseline survives the task."""

    baseline = models.ForeignKey(Baseline, verbose_name=_("référence"), on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey(
        "projects.Task",
        verbose_name=_("tâche"),
        on_delete=models.SET_NULL,
        related_name="baseline_entries",
        null=True,
        blank=True,
    )
    task_name = models.CharField(_("nom de la tâche"), max_length=200)
    start = models.DateField(_("début"))
    finish = models.DateField(_("fin"))
    effort_days = models.DecimalField(
        _("charge (j/h)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), _("La charge ne peut pas être négative."))],
    )

    class Meta:
        verbose_name = _("tâche de référence")
        verbose_name_plural = _("tâches de référence")
        ordering = ["baseline", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "task"],
                name="baselinetask_unique_pair",
                violation_error_message=_("Cette tâche figure déjà dans la référence."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.start:%d/%m/%Y} → {self.finish:%d/%m/%Y})"

    def clean(self) -> None:
        if self.start and self.finish and self.finish < self.start:
            raise ValidationError({"finish": _("La fin précède le début.")})
        if self.task_id and self.baseline_id and self.task.project_id != self.baseline.project_id:
            raise ValidationError({"task": _("La tâche appartient à un autre projet que la référence.")})


class PlanRun(models.Model):
    """One press of Planifier or Optimiser: what was planned together, how, and what came out.

    `reasons` are the French sentences shown to the manager (missed deadlines, infeasibilities);
    `comparison` holds, for an optimisation, the heuristic's figures it started from."""

    class Method(models.TextChoices):
        HEURISTIC = "heuristic", _("Planification rapide")
        OPTIMIZE = "optimize", _("Optimisation")

    class Outcome(models.TextChoices):
        SAVED = "saved", _("Planning enregistré")
        INFEASIBLE = "infeasible", _("Planification impossible")
        INVALID = "invalid", _("Planning refusé par le contrôle")
        STALE = "stale", _("Données modifiées pendant le calcul")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projet"), on_delete=models.CASCADE, related_name="plan_runs"
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projets planifiés ensemble"), related_name="+", blank=True
    )
    method = models.CharField(_("méthode"), max_length=20, choices=Method.choices, default=Method.HEURISTIC)
    objective = models.CharField(_("objectif"), max_length=20, default="makespan")
    outcome = models.CharField(_("résultat"), max_length=20, choices=Outcome.choices)
    engine_status = models.CharField(_("statut du moteur"), max_length=20, blank=True)
    makespan_days = models.PositiveIntegerField(_("durée (jours ouvrés)"), null=True, blank=True)
    lower_bound_days = models.PositiveIntegerField(_("borne inférieure (jours ouvrés)"), null=True, blank=True)
    finish_date = models.DateField(_("fin du planning"), null=True, blank=True)
    lateness_days = models.PositiveIntegerField(_("retard cumulé (jours ouvrés)"), null=True, blank=True)
    cost = models.DecimalField(_("coût interne (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    seconds = models.FloatField(_("durée du calcul (s)"), default=0)
    task_count = models.PositiveIntegerField(_("tâches planifiées"), default=0)
    reasons = models.JSONField(_("explications"), default=list, blank=True)
    comparison = models.JSONField(_("comparaison"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancé par"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("lancé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("calcul de planning")
        verbose_name_plural = _("calculs de planning")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.project} — {self.get_method_display()} ({self.get_outcome_display()})"

    @property
    def saved(self) -> bool:
        return self.outcome == self.Outcome.SAVED

    @property
    def proven_optimal(self) -> bool:
        """The engine proved that no plan does better on the objective."""
        return self.engine_status == "optimal"

    @property
    def makespan_gap(self) -> float | None:
        """How far, at most, the plan's duration is above the shortest possible one, in % of it
        (from the lower bound the engine proved); None when there is no bound or no duration."""
        if not self.makespan_days or self.lower_bound_days is None:
            return None
        return max(0, self.makespan_days - self.lower_bound_days) * 100 / self.makespan_days
