"""E-mails of the portal, sent through Django's e-mail backend (console by default; a file or
SMTP by settings: EMAIL_BACKEND, EMAIL_FILE_PATH, EMAIL_HOST…).

The PM hears when the client validates, sends feedback or files a change request; the client
hears when their change request is triaged. Messages are rendered from the text templates in
templates/portal/emails/, in the recipient's language (French unless they chose otherwise).
A failing mail server is logged and never undoes what the user just did: the services call
these functions once their transaction is committed.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import User
from jalon.portal.models import ChangeRequest, DeliverableValidation, Feedback, SpecValidation
from jalon.projects.models import Project

logger = logging.getLogger(__name__)


def absolute_url(name: str, *args: object) -> str:
    return f"{settings.JALON_BASE_URL}{reverse(name, args=args)}"


def project_managers(project: Project) -> list[User]:
    """Whom to tell on the agency's side: the project's manager, else the organisation's admins."""
    if project.manager is not None and project.manager.email and project.manager.is_active:
        return [project.manager]
    admins = User.objects.filter(organisation_id=project.organisation_id, role=User.Role.ADMIN, is_active=True)
    return [user for user in admins.exclude(email="").order_by("pk")]


def send(*, template: str, recipients: Iterable[User], context: dict[str, Any]) -> int:
    """Render `template` for each recipient in their language and send it; the number sent."""
    sent = 0
    for user in {u.pk: u for u in recipients if u.email}.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            data = {**context, "recipient": user}
            subject = " ".join(render_to_string(f"portal/emails/{template}_subject.txt", data).split())
            body = render_to_string(f"portal/emails/{template}.txt", data)
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except (OSError, smtplib.SMTPException):
            logger.exception("could not send the %s e-mail to %s", template, user.email)
    return sent


def feedback_received(feedback: Feedback) -> int:
    project = feedback.project
    return send(template="feedback_received", recipients=project_managers(project), context={
        "project": project, "feedback": feedback, "url": absolute_url("portal_client_exchanges", project.pk),
    })


def spec_decided(record: SpecValidation) -> int:
    project = record.version.spec.project
    return send(template="spec_decided", recipients=project_managers(project), context={
        "project": project, "record": record, "version": record.version,
        "url": absolute_url("spec_version", project.pk, record.version.number),
    })


def deliverable_decided(record: DeliverableValidation) -> int:
    project = record.deliverable.project
    return send(template="deliverable_decided", recipients=project_managers(project), context={
        "project": project, "record": record, "deliverable": record.deliverable,
        "url": absolute_url("portal_client_exchanges", project.pk),
    })


def change_request_filed(change_request: ChangeRequest) -> int:
    project = change_request.project
    return send(template="change_request_filed", recipients=project_managers(project), context={
        "project": project, "change_request": change_request,
        "url": absolute_url("change_request_detail", project.pk, change_request.pk),
    })


def change_request_triaged(change_request: ChangeRequest) -> int:
    """To the client who filed it (never the cost: that stays with the agency)."""
    project = change_request.project
    requester = change_request.requested_by
    recipients = [requester] if requester is not None and requester.is_active else []
    return send(template="change_request_triaged", recipients=recipients, context={
        "project": project, "change_request": change_request,
        "url": absolute_url("portal_change_request", project.pk, change_request.pk),
    })
