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
