"""The visible state of a background job, so a page can show how far long work has gone.

The task backend keeps its own result row (`django_tasks_db`); this model holds what users
read — kind, project, percent, a message and a summary — and works with any backend."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobProgress(models.Model):
    class Kind(models.TextChoices):
        PLAN_CHECK = "plan_check", _("Vérification du planning")
        PLAN_OPTIMIZE = "plan_optimize", _("Optimisation du planning")
        REPLAN = "replan", _("Re-planification depuis le réalisé")
        PORTFOLIO_REPORT = "portfolio_report", _("Rapport de portefeuille")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminée")
        FAILED = "failed", _("En échec")

    task_result_id = models.CharField(_("identifiant de la tâche"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        on_delete=models.CASCADE,
        related_name="jobs",
        null=True,
        blank=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField(_("avancement (%)"), default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("tâche de fond")
        verbose_name_plural = _("tâches de fond")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
