"""Meetings (réunions): kinds with an agenda, participants, minutes with decisions and action
items, and each person's calendar settings (weekly days off, secret feed token)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import (
    PERSON_OF_OTHER_ORGANISATION,
    Organisation,
    parse_weekdays,
    require_same_organisation,
    validate_weekdays,
)
from jalon.people.models import LEVEL_VALIDATORS, Person, Skill
from jalon.projects.models import Project, Task


def new_uid() -> str:
    # RFC 5545 wants a globally unique UID; a random UUID with our domain part never collides.
    return f"{uuid.uuid4()}@jalon"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        KICKOFF = "kickoff", _("Réunion de lancement")
        STEERING = "steering", _("Comité de pilotage")
        WEEKLY = "weekly", _("Point hebdomadaire")
        WORKSHOP = "workshop", _("Atelier d'expertise")
        ACCEPTANCE = "acceptance", _("Recette")
        RETROSPECTIVE = "retrospective", _("Rétrospective")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="meetings"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="meetings", null=True, blank=True
    )
    kind = models.CharField(_("type de réunion"), max_length=20, choices=Kind.choices, default=Kind.WEEKLY)
    topic = models.CharField(_("sujet"), max_length=200)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    location = models.CharField(_("lieu"), max_length=200, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("organisateur"), on_delete=models.SET_NULL,
        related_name="organised_meetings", null=True, blank=True,
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("participants"), through="Participant", related_name="meetings", blank=True
    )
    agenda = models.TextField(_("ordre du jour"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)
    client_visible = models.BooleanField(
        _("visible par le client"), default=False,
        help_text=_("Le client du projet voit cette réunion et son compte rendu dans son espace."),
    )
    uid = models.CharField(_("identifiant iCalendar"), max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(
        _("révision"), default=0, editable=False,
        help_text=_("Augmente à chaque changement d'horaire : les agendas remplacent l'invitation."),
    )
    cancelled = models.BooleanField(_("annulée"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["organisation", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="meeting_end_after_start",
                violation_error_message=_("Une réunion doit finir après son début."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.topic}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("La réunion « %(topic)s » doit finir après son début.") % {"topic": self.topic}
        if self.project_id and self.organisation_id and self.project.organisation_id != self.organisation_id:
            errors["project"] = _("Le projet « %(project)s » appartient à une autre organisation.") % {"project": self.project}
        if self.client_visible and self.project_id and self.project.client_id is None:
            errors["client_visible"] = _("Un projet interne n'a pas de client à qui montrer la réunion.")
        if errors:
            raise ValidationError(errors)


class Participant(models.Model):
    class Response(models.TextChoices):
        # The PARTSTAT values of RFC 5545, so the invitation says the same as the page.
        NEEDS_ACTION = "NEEDS-ACTION", _("En attente de réponse")
        ACCEPTED = "ACCEPTED", _("Accepte")
        TENTATIVE = "TENTATIVE", _("Peut-être")
        DECLINED = "DECLINED", _("Décline")

    meeting = models.ForeignKey(Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="attendance")
    response = models.CharField(_("réponse"), max_length=20, choices=Response.choices, default=Response.NEEDS_ACTION)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["person__first_name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="participant_unique_pair",
                violation_error_message=_("Ce collaborateur est déjà invité."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_response_display()})"


class MeetingSkillWanted(models.Model):
    """A skill the meeting needs around the table, at `min_level` or above."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="skills_wanted")
    skill = models.ForeignKey(Skill, verbose_name=_("compétence"), on_delete=models.CASCADE, related_name="+")
    min_level = models.PositiveSmallIntegerField(_("niveau minimum"), default=3, validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("compétence recherchée")
        verbose_name_plural = _("compétences recherchées")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "skill"], name="meetingskill_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.min_level}"


class Decision(models.Model):
    """A line of the relevé de décisions."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"))
    created_at = models.DateTimeField(_("prise le"), auto_now_add=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    """A line of the plan d'actions: what, who (porteur), by when; may become a task."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        Person, verbose_name=_("porteur"), on_delete=models.SET_NULL, related_name="action_items", null=True, blank=True
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    done = models.BooleanField(_("faite"), default=False)
    task = models.OneToOneField(
        Task, verbose_name=_("tâche"), on_delete=models.SET_NULL, related_name="action_item", null=True, blank=True,
        help_text=_("La tâche du projet créée à partir de cette action."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.owner_id and self.meeting_id:
            require_same_organisation("owner", self.owner, self.meeting.organisation_id, PERSON_OF_OTHER_ORGANISATION, "person")


class PersonCalendar(models.Model):
    """A person's calendar settings: the weekdays a part-timer does not work (a person at 80 %
    may be off on Wednesdays: no meeting is proposed then), and the secret token of their
    personal iCalendar feed, stored as a SHA-256 hash (the URL is shown once, when made)."""

    person = models.OneToOneField(Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="calendar_settings")
    weekdays_off = models.CharField(
        _("jours non travaillés"), max_length=20, blank=True, validators=[validate_weekdays],
        help_text=_("Temps partiel : numéros des jours chômés chaque semaine, 0 = lundi … 6 = dimanche."),
    )
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    feed_token_created_at = models.DateTimeField(_("lien créé le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendrier d'un collaborateur")
        verbose_name_plural = _("calendriers des collaborateurs")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def days_off(self) -> frozenset[int]:
        return frozenset(parse_weekdays(self.weekdays_off)) if self.weekdays_off else frozenset()

    @property
    def has_feed(self) -> bool:
        return bool(self.feed_token_hash)
