"""Meeting pages (/reunions/), the .ics downloads and the personal calendar feed (/calendrier/).

Views check access, validate a form, call one service, render. The proposal is an HTMX
fragment shared by the full planning page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.formats.ical import calendar_feed, meeting_invitation
from jalon.meetings import services
from jalon.meetings.forms import ActionItemForm, DaysOffForm, DecisionForm, MeetingPlanForm, MinutesForm
from jalon.meetings.models import ActionItem, Meeting, PersonCalendar
from jalon.meetings.permissions import can_edit_meeting, can_plan_meetings, get_meeting_for_user
from jalon.meetings.selectors import (
    meeting_event,
    meeting_page_data,
    meeting_rows,
    meetings_visible_to,
    person_feed_events,
    project_calendar_events,
)
from jalon.people.models import Person
from jalon.projects.models import Project
from jalon.projects.permissions import Role, get_project_for_user, role_of

ICS_TYPE = "text/calendar; charset=utf-8"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _ics(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- lists -------------------------------------------------------------------------------------


@require_GET
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = meeting_rows(meetings_visible_to(request.user))
    return render(request, "meetings/meeting_list.html", {
        "meetings": meetings, "project": None, "can_plan": can_plan_meetings(request.user),
    })


@require_GET
@login_required
def project_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    meetings = meeting_rows(meetings_visible_to(request.user).filter(project=project))
    return render(request, "meetings/meeting_list.html", {
        "meetings": meetings, "project": project,
        "can_plan": can_plan_meetings(request.user) and _plannable_projects(request).filter(pk=project.pk).exists(),
    })


# --- planning and booking ------------------------------------------------------------------------


def _plannable_projects(request: HttpRequest) -> QuerySet[Project]:
    in_org = Project.objects.filter(organisation_id=request.user.organisation_id)
    return in_org if role_of(request.user) == Role.ADMIN else in_org.filter(manager=request.user)


def _plan_form(request: HttpRequest, data: Any = None) -> MeetingPlanForm:
    today = timezone.localdate()
    initial: dict[str, Any] = {"first_day": today + dt.timedelta(days=1), "last_day": today + dt.timedelta(days=14)}
    project_pk = request.GET.get("projet")
    if project_pk and project_pk.isdigit():
        initial["project"] = _plannable_projects(request).filter(pk=int(project_pk)).first()
    return MeetingPlanForm(data, initial=initial, organisation=request.user.organisation,
                           projects=_plannable_projects(request).order_by("name"))


def _invited(request: HttpRequest) -> list[Person] | None:
    """The people ticked on the proposal; None before the first proposal (use the defaults)."""
    if "recalculer" not in request.POST and "slot" not in request.POST:
        return None
    ids = [int(v) for v in request.POST.getlist("invite") if v.isdigit()]
    return list(Person.objects.filter(organisation_id=request.user.organisation_id, active=True, pk__in=ids))


def _proposal_context(request: HttpRequest, form: MeetingPlanForm) -> dict[str, Any]:
    """Validate the plan and compute a proposal; errors go to the form."""
    context: dict[str, Any] = {"form": form, "proposal": None}
    if not form.is_valid():
        return context
    try:
        window = services.meeting_window(request.user.organisation, form.cleaned_data["first_day"], form.cleaned_data["last_day"])
        context["proposal"] = services.meeting_propose(
            organisation=request.user.organisation, skills_wanted=form.skills_wanted(), duration=form.meeting_duration,
            window=window, project=form.cleaned_data["project"], organiser=request.user, invite=_invited(request),
        )
    except ValidationError as error:
        form.add_error(None, error)
    return context


@require_http_methods(["GET", "POST"])
@login_required
def meeting_plan(request: HttpRequest) -> HttpResponse:
    if not can_plan_meetings(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "meetings/meeting_plan.html", {"form": _plan_form(request), "proposal": None})
    context = _proposal_context(request, _plan_form(request, request.POST))
    template = "meetings/_plan_form.html" if _is_htmx(request) else "meetings/meeting_plan.html"
    return render(request, template, context)


@require_POST
@login_required
def meeting_book(request: HttpRequest) -> HttpResponse:
    if not can_plan_meetings(request.user):
        raise PermissionDenied
    form = _plan_form(request, request.POST)
    start = parse_datetime(request.POST.get("slot", ""))
    if form.is_valid() and start is not None and start.tzinfo is not None:
        try:
            meeting = services.meeting_book(
                organisation=request.user.organisation, organiser=request.user,
                kind=form.cleaned_data["kind"], topic=form.cleaned_data["topic"],
                start=start, end=start + form.meeting_duration, participants=_invited(request) or [],
                project=form.cleaned_data["project"], skills_wanted=form.skills_wanted(),
                location=form.cleaned_data["location"], video_url=form.cleaned_data["video_url"],
                client_visible=form.cleaned_data["client_visible"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Réunion planifiée, invitations envoyées."))
            url = reverse("meeting_detail", args=[meeting.pk])
            if _is_htmx(request):
                return HttpResponse(headers={"HX-Redirect": url})  # htmx then loads the page itself
            return _see_other(url)
    elif form.is_valid():
        form.add_error(None, _("Choisissez un créneau."))
    # Show why, with a fresh proposal: the slot may have been taken meanwhile.
    errors = form.non_field_errors()
    context = _proposal_context(request, _plan_form(request, request.POST))
    for error in errors:
        context["form"].add_error(None, error)
    if _is_htmx(request):
        response = render(request, "meetings/_plan_form.html", context)
        response["HX-Retarget"], response["HX-Reswap"] = "#plan-form", "outerHTML"
        return response
    return render(request, "meetings/meeting_plan.html", context, status=400)


# --- one meeting ---------------------------------------------------------------------------------


def _meeting_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    can_edit = can_edit_meeting(request.user, meeting)
    context: dict[str, Any] = {"meeting": meeting, "can_edit": can_edit, **meeting_page_data(meeting)}
    if can_edit:
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm(instance=meeting)
        context["decision_form"] = forms.get("decision_form") or DecisionForm(prefix="decision")
        context["action_form"] = forms.get("action_form") or ActionItemForm(organisation=meeting.organisation, prefix="action")
    return context


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting))


@require_GET
@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    url = request.build_absolute_uri(reverse("meeting_detail", args=[meeting.pk]))
    event = meeting_event(meeting, fallback_email=settings.DEFAULT_FROM_EMAIL, url=url)
    method = "CANCEL" if meeting.cancelled else "REQUEST"
    data = meeting_invitation(event, stamp=timezone.now(), zone=settings.TIME_ZONE, method=method)
    return _ics(data, f"reunion-{meeting.pk}.ics")


@require_POST
@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    form = MinutesForm(request.POST, instance=meeting)
    if not form.is_valid():
        return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting, minutes_form=form), status=400)
    services.meeting_record_minutes(meeting=meeting, minutes=form.cleaned_data["minutes"], by=request.user)
    messages.success(request, _("Compte rendu enregistré."))
    return _see_other(reverse("meeting_detail", args=[meeting.pk]))


@require_POST
@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting, decision_form=form), status=400)
    services.decision_add(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
    if _is_htmx(request):
        return render(request, "meetings/_decisions.html", _meeting_context(request, meeting))
    return _see_other(reverse("meeting_detail", args=[meeting.pk]) + "#decisions")


@require_POST
@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    form = ActionItemForm(request.POST, organisation=meeting.organisation, prefix="action")
    if not form.is_valid():
        return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting, action_form=form), status=400)
    services.action_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
    return _actions_response(request, meeting)


def _action_item(request: HttpRequest, pk: int) -> ActionItem:
    item = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    # Access follows the meeting: 404 if it is not visible, 403 if read-only.
    get_meeting_for_user(request, item.meeting_id, write=True)
    return item


def _actions_response(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if _is_htmx(request):
        # The fragment shows the messages itself: no full page will.
        return render(request, "meetings/_action_items.html", {**_meeting_context(request, meeting), "show_messages": True})
    return _see_other(reverse("meeting_detail", args=[meeting.pk]) + "#actions")


@require_POST
@login_required
def action_to_task(request: HttpRequest, pk: int) -> HttpResponse:
    item = _action_item(request, pk)
    try:
        task = services.action_item_to_task(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tâche « %(task)s » créée dans le projet.") % {"task": task.name})
    return _actions_response(request, item.meeting)


@require_POST
@login_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = _action_item(request, pk)
    services.action_item_set_done(item=item, done=request.POST.get("done") == "1", by=request.user)
    return _actions_response(request, item.meeting)


@require_POST
@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    if not meeting.cancelled:
        services.meeting_cancel(meeting=meeting, by=request.user)
        messages.success(request, _("Réunion annulée : les participants reçoivent l'annulation."))
    return _see_other(reverse("meeting_detail", args=[meeting.pk]))


# --- calendars -----------------------------------------------------------------------------------


def _own_person(request: HttpRequest) -> Person | None:
    return Person.objects.filter(user=request.user, organisation_id=request.user.organisation_id).first()


@require_GET
@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    context: dict[str, Any] = {"person": person}
    if person is not None:
        settings_row = PersonCalendar.objects.filter(person=person).first()
        context["calendar"] = settings_row
        context["days_off_form"] = DaysOffForm(
            organisation=person.organisation, initial={"weekdays_off": sorted(settings_row.days_off) if settings_row else []})
        token = request.session.pop("new_feed_token", None)
        if token:
            context["feed_url"] = request.build_absolute_uri(reverse("person_feed", args=[token]))
    return render(request, "meetings/my_calendar.html", context)


def _require_own_person(request: HttpRequest) -> Person:
    person = _own_person(request)
    if person is None:
        raise Http404(_("Aucune fiche collaborateur n'est liée à votre compte."))
    return person


@require_POST
@login_required
def my_calendar_token(request: HttpRequest) -> HttpResponse:
    person = _require_own_person(request)
    if request.POST.get("action") == "revoke":
        services.person_feed_token_revoke(person=person)
        messages.success(request, _("Lien révoqué : les agendas abonnés ne reçoivent plus rien."))
    else:
        # Shown once on the next page, then only its hash remains.
        request.session["new_feed_token"] = services.person_feed_token_regenerate(person=person)
        messages.success(request, _("Nouveau lien créé : l'ancien ne fonctionne plus."))
    return _see_other(reverse("my_calendar"))


@require_POST
@login_required
def my_calendar_days_off(request: HttpRequest) -> HttpResponse:
    person = _require_own_person(request)
    form = DaysOffForm(request.POST, organisation=person.organisation)
    if form.is_valid():
        try:
            services.person_days_off_set(person=person, weekdays_off=form.cleaned_data["weekdays_off"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Jours non travaillés enregistrés."))
    return _see_other(reverse("my_calendar"))


@require_GET
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed: no login (calendar apps cannot log in), the secret token is the key.
    An unknown or revoked token is a 404, the same answer whatever the reason."""
    row = PersonCalendar.objects.filter(
        feed_token_hash=services.feed_token_hash(token), person__active=True
    ).select_related("person").first()
    if row is None:
        raise Http404
    person = row.person
    events = person_feed_events(person, domain=request.get_host().split(":")[0], fallback_email=settings.DEFAULT_FROM_EMAIL)
    data = calendar_feed(events, stamp=timezone.now(), name=_("Jalon — %(name)s") % {"name": person.full_name},
                         zone=settings.TIME_ZONE)
    response = HttpResponse(data, content_type=ICS_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def project_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    events = project_calendar_events(project, request.user, domain=request.get_host().split(":")[0],
                                     fallback_email=settings.DEFAULT_FROM_EMAIL)
    data = calendar_feed(events, stamp=timezone.now(), name=str(project), zone=settings.TIME_ZONE)
    return _ics(data, f"{project.code or 'projet-' + str(project.pk)}.ics")

