"""The cahier des charges: one Spec per project, versioned; a validated version is frozen."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FROZEN_MESSAGE = _(
    "La version %(number)s du cahier des charges est validée : elle ne peut plus être modifiée. "
    "Créez une nouvelle version pour faire évoluer le besoin."
)


class FrozenSpecVersionError(ValidationError):
    """Raised when something tries to change a validated version."""


class Spec(models.Model):
    project = models.OneToOneField(
        "projects.Project", verbose_name=_("projet"), on_delete=models.CASCADE, related_name="spec"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("cahier des charges")
        verbose_name_plural = _("cahiers des charges")

    def __str__(self) -> str:
        return _("Cahier des charges — %(project)s") % {"project": self.project}

    @property
    def latest_version(self) -> SpecVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def validated_version(self) -> SpecVersion | None:
        return self.versions.filter(status=SpecVersion.Status.VALIDATED).order_by("-number").first()


def validate_sections(value: Any) -> None:
    """Sections are an ordered list of {"key", "title", "body"} with unique keys."""
    if not isinstance(value, list):
        raise ValidationError(_("Les sections doivent être une liste."))
    seen: set[str] = set()
    for index, section in enumerate(value, start=1):
        if not isinstance(section, dict) or not {"key", "title", "body"} <= section.keys():
            raise ValidationError(
                _("Section n° %(index)s : les champs « key », « title » et « body » sont attendus."),
                params={"index": index},
            )
        if not all(isinstance(section[k], str) for k in ("key", "title", "body")):
            raise ValidationError(
                _("Section n° %(index)s : « key », « title » et « body » doivent être du texte."),
                params={"index": index},
            )
        if section["key"] in seen:
            raise ValidationError(
                _("Section n° %(index)s : la clé « %(key)s » est déjà utilisée."),
                params={"index": index, "key": section["key"]},
            )
        seen.add(section["key"])


class SpecVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise au client")
        VALIDATED = "validated", _("Validée")
        REJECTED = "rejected", _("Refusée")

    spec = models.ForeignKey(Spec, verbose_name=_("cahier des charges"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"))
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    sections = models.JSONField(_("sections"), default=list, blank=True, validators=[validate_sections])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigée par"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validée par"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    validation_comment = models.TextField(_("commentaire de validation"), blank=True)

    class Meta:
        verbose_name = _("version du cahier des charges")
        verbose_name_plural = _("versions du cahier des charges")
        ordering = ["spec", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["spec", "number"],
                name="specversion_unique_number",
                violation_error_message=_("Ce numéro de version existe déjà pour ce cahier des charges."),
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number} ({self.get_status_display()})"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.VALIDATED

    def stored_is_frozen(self) -> bool:
        """Whether the row in the database is already validated (the in-memory copy may differ)."""
        if self.pk is None:
            return False
        return SpecVersion.objects.filter(pk=self.pk, status=self.Status.VALIDATED).exists()

    def frozen_error(self) -> FrozenSpecVersionError:
        return FrozenSpecVersionError(FROZEN_MESSAGE, code="frozen", params={"number": self.number})

    def clean(self) -> None:
        if self.stored_is_frozen():
            raise self.frozen_error()
        if self.status == self.Status.VALIDATED and (self.validated_at is None or self.validated_by_id is None):
            raise ValidationError(
                _("Une version validée doit indiquer qui l'a validée et quand."), code="validation_incomplete"
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not a side effect: the validated contract must not change behind the client's back.
        if self.stored_is_frozen():
            raise self.frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.stored_is_frozen():
            raise self.frozen_error()
        return super().delete(*args, **kwargs)


class Requirement(models.Model):
    """A need (exigence) of a spec version, prioritised with MoSCoW, traced to tasks."""

    class Priority(models.TextChoices):
        MUST = "must", _("Indispensable (Must)")
        SHOULD = "should", _("Important (Should)")
        COULD = "could", _("Souhaitable (Could)")
        WONT = "wont", _("Exclu cette fois (Won't)")

    version = models.ForeignKey(
        SpecVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="requirements"
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{0,7}-\d{1,4}$", _("Code attendu du type EX-01 (lettres, tiret, numéro)."))],
    )
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priorité MoSCoW"), max_length=10, choices=Priority.choices, default=Priority.MUST)
    acceptance_criteria = models.TextField(_("critères d'acceptation"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    tasks = models.ManyToManyField(
        "projects.Task", verbose_name=_("tâches"), related_name="requirements", blank=True
    )

    class Meta:
        verbose_name = _("exigence")
        verbose_name_plural = _("exigences")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="requirement_unique_code_per_version",
                violation_error_message=_("Ce code d'exigence existe déjà dans cette version."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def _version_frozen(self) -> bool:
        return self.version_id is not None and SpecVersion.objects.filter(
            pk=self.version_id, status=SpecVersion.Status.VALIDATED
        ).exists()

    def clean(self) -> None:
        if self._version_frozen():
            raise self.version.frozen_error()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._version_frozen():
            raise self.version.frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._version_frozen():
            raise self.version.frozen_error()
        return super().delete(*args, **kwargs)
