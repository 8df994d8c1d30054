"""The cahier des charges pages: every role against every view, the HTMX fragments, errors
shown (never a 500), stale and frozen edits refused with a message, user text escaped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.specs import services
from jalon.specs.models import Requirement, SpecVersion

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
XSS = "<script>alert('x')</script>"


@pytest.fixture
def version(world):  # type: ignore[no-untyped-def]
    spec = services.spec_for_project(project=world.project_a, by=world.user("pm"))
    return spec.versions.get()


def requirement(version: SpecVersion, title: str = "Formulaire de contact", **fields: str) -> Requirement:
    return services.requirement_save(requirement=Requirement(
        version=version, code=services.requirement_next_code(version), title=title, **fields))


def submitted(version: SpecVersion) -> SpecVersion:
    return services.spec_version_submit(version=version)


# --- access: the whole row of status codes, in ROLE_ORDER ------------------------------------------
# anonymous, admin, pm, member, client_a, client_b, outsider


def test_spec_page(world, version, status_row):
    url = reverse("spec_detail", args=[world.project_a.pk])
    # Only a draft so far: the client's tab says nothing was submitted yet (200), its URL is a 404.
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 200, 404, 404]
    assert status_row(world, "GET", reverse("spec_version", args=[world.project_a.pk, 1])) == [
        302, 200, 200, 200, 404, 404, 404]


def test_spec_page_of_a_version_that_does_not_exist(world, version, status_row):
    url = reverse("spec_version", args=[world.project_a.pk, 9])
    assert status_row(world, "GET", url) == [302, 404, 404, 404, 404, 404, 404]


def test_sections_save(world, version, status_row):
    url = reverse("spec_sections_save", args=[world.project_a.pk, 1])
    assert status_row(world, "POST", url, {"section_presentation": "Boulangerie"}) == [302, 303, 303, 403, 403, 404, 404]


def test_requirement_create(world, version, status_row):
    url = reverse("requirement_create", args=[world.project_a.pk, 1])
    data = {"title": "Paiement", "priority": "must", "order": "0"}
    assert status_row(world, "POST", url, data) == [302, 303, 303, 403, 403, 404, 404]
    # Each accepted request got the next code.
    assert list(version.requirements.values_list("code", flat=True)) == ["EX-01", "EX-02"]


def test_requirement_edit(world, version, status_row):
    url = reverse("requirement_edit", args=[world.project_a.pk, requirement(version).pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 403, 403, 404, 404]


def test_requirement_delete(world, version, status_row):
    url = reverse("requirement_delete", args=[world.project_a.pk, requirement(version).pk])
    # The first accepted request deleted it; then it no longer exists.
    assert status_row(world, "POST", url) == [302, 303, 404, 403, 403, 404, 404]


def test_submit(world, version, status_row):
    url = reverse("spec_version_submit", args=[world.project_a.pk, 1])
    assert status_row(world, "POST", url) == [302, 303, 303, 403, 403, 404, 404]


def test_decide_the_client_of_the_project_may_validate(world, version, status_row):
    submitted(version)
    url = reverse("spec_version_decide", args=[world.project_a.pk, 1])
    assert status_row(world, "POST", url, {"decision": "validated"}) == [302, 303, 303, 403, 303, 404, 404]
    version.refresh_from_db()
    assert version.validated_by == world.user("admin")  # the first decision stands


def test_new_version(world, version, status_row):
    submitted(version)
    url = reverse("spec_version_new", args=[world.project_a.pk])
    assert status_row(world, "POST", url) == [302, 303, 303, 403, 403, 404, 404]
    assert version.spec.versions.count() == 2  # the second request found a draft and said so


def test_diff(world, version, status_row):
    url = reverse("spec_diff", args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 404, 404, 404]  # a draft only
    submitted(version)
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 200, 404, 404]


def test_export_markdown(world, version, status_row):
    url = reverse("spec_export", args=[world.project_a.pk, 1, "md"])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 404, 404, 404]  # a draft
    submitted(version)
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 200, 404, 404]


def test_export_of_an_unknown_format(world, version, status_row):
    url = reverse("spec_export", args=[world.project_a.pk, 1, "odt"])
    assert status_row(world, "GET", url) == [302, 404, 404, 404, 404, 404, 404]


# --- behaviour --------------------------------------------------------------------------------------


def test_the_pm_adds_a_requirement_with_htmx_and_gets_the_list_back(world, version, as_role):
    http = as_role(world, "pm")
    url = reverse("requirement_create", args=[world.project_a.pk, 1])
    response = http.post(url, {"title": "Catalogue", "priority": "must", "order": "0",
                               "acceptance_criteria": "Les produits s'affichent par catégorie"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert "EX-01" in html and "Catalogue" in html and "Indispensable (Must)" in html
    assert 'value="EX-02"' in html  # the fresh form proposes the next code


def test_a_requirement_without_title_shows_the_error(world, version, as_role):
    http = as_role(world, "pm")
    url = reverse("requirement_create", args=[world.project_a.pk, 1])
    response = http.post(url, {"title": "", "priority": "must", "order": "0"}, **HTMX)
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not version.requirements.exists()


def test_a_bad_code_is_explained(world, version, as_role):
    http = as_role(world, "pm")
    url = reverse("requirement_create", args=[world.project_a.pk, 1])
    response = http.post(url, {"code": "ex 1", "title": "Blog", "priority": "could", "order": "0"}, **HTMX)
    assert "Code attendu du type EX-01" in response.content.decode()


def test_edit_a_requirement_inline(world, version, as_role):
    item = requirement(version)
    http = as_role(world, "pm")
    url = reverse("requirement_edit", args=[world.project_a.pk, item.pk])
    editor = http.get(url, **HTMX).content.decode()
    assert f'id="req-{item.pk}"' in editor and "<form" in editor
    response = http.post(url, {"code": item.code, "title": "Formulaire de devis", "priority": "should", "order": "1",
                               "fingerprint": services.requirement_fingerprint(item)}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Formulaire de devis" in html and 'class="editing"' not in html  # back to the plain row
    item.refresh_from_db()
    assert (item.title, item.priority) == ("Formulaire de devis", "should")


def test_a_stale_requirement_edit_asks_to_reload(world, version, as_role):
    item = requirement(version)
    seen = services.requirement_fingerprint(item)
    Requirement.objects.filter(pk=item.pk).update(title="Changé par un collègue")
    http = as_role(world, "pm")
    response = http.post(reverse("requirement_edit", args=[world.project_a.pk, item.pk]),
                         {"code": item.code, "title": "Mon titre", "priority": "must", "order": "1", "fingerprint": seen},
                         **HTMX)
    assert response.status_code == 200
    assert "Rechargez la page" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Changé par un collègue"


def test_sections_are_saved_with_htmx(world, version, as_role):
    http = as_role(world, "pm")
    url = reverse("spec_sections_save", args=[world.project_a.pk, 1])
    response = http.post(url, {"section_presentation": "Boulangerie familiale à Colmar",
                               "fingerprint": services.fingerprint(version.sections)}, **HTMX)
    assert "Enregistré." in response.content.decode()
    version.refresh_from_db()
    assert version.sections[0]["body"] == "Boulangerie familiale à Colmar"


def test_editing_a_validated_version_is_refused_with_a_clear_message(world, version, as_role):
    submitted(version)
    services.spec_version_validate(version=version, by=world.user("pm"))
    http = as_role(world, "pm")
    response = http.post(reverse("spec_sections_save", args=[world.project_a.pk, 1]),
                         {"section_presentation": "Changement"}, **HTMX)
    assert response.status_code == 200
    assert "est validée : elle ne peut plus être modifiée" in response.content.decode()
    response = http.post(reverse("requirement_create", args=[world.project_a.pk, 1]),
                         {"title": "Tardive", "priority": "must", "order": "0"}, **HTMX)
    assert "est validée : elle ne peut plus être modifiée" in response.content.decode()
    assert not version.requirements.exists()


def test_refusing_without_a_comment_shows_the_error(world, version, as_role):
    submitted(version)
    http = as_role(world, "client_a")
    response = http.post(reverse("spec_version_decide", args=[world.project_a.pk, 1]), {"decision": "rejected"})
    assert response.status_code == 200
    assert "un commentaire est obligatoire pour refuser" in response.content.decode()


def test_the_client_sees_the_decision_form_of_a_submitted_version(world, version, as_role):
    submitted(version)
    page = as_role(world, "client_a").get(reverse("spec_detail", args=[world.project_a.pk])).content.decode()
    assert "Décision sur cette version" in page and "Je valide" in page
    page = as_role(world, "member").get(reverse("spec_detail", args=[world.project_a.pk])).content.decode()
    assert "Décision sur cette version" not in page


def test_the_diff_page_lists_the_changes(world, version, as_role):
    requirement(version, "Catalogue")
    submitted(version)
    services.spec_version_validate(version=version, by=world.user("pm"))
    new = services.spec_version_new(spec=version.spec, by=world.user("pm"))
    requirement(new, "Paiement en ligne")
    page = as_role(world, "pm").get(reverse("spec_diff", args=[world.project_a.pk]), {"de": 1, "a": 2}).content.decode()
    assert "De la version 1 à la version 2" in page
    assert "Paiement en ligne" in page and "Ajoutées" in page


def test_exports_give_files_named_after_the_project(world, version, as_role):
    requirement(version, "Catalogue")
    http = as_role(world, "pm")
    markdown = http.get(reverse("spec_export", args=[world.project_a.pk, 1, "md"]))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert 'filename="cahier-des-charges-boul-v1.md"' in markdown["Content-Disposition"]
    assert "Catalogue" in markdown.content.decode()
    docx = http.get(reverse("spec_export", args=[world.project_a.pk, 1, "docx"]))
    assert docx.content[:2] == b"PK"  # a zip: the Office Open XML container
    pdf = http.get(reverse("spec_export", args=[world.project_a.pk, 1, "pdf"]))
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")


def test_user_text_is_escaped_on_the_spec_pages(world, version, as_role):
    requirement(version, XSS)
    http = as_role(world, "pm")
    for url in (reverse("spec_detail", args=[world.project_a.pk]), reverse("traceability", args=[world.project_a.pk])):
        html = http.get(url).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize(("decision", "comment", "recorded"), [
    ("validated", "Bon pour accord.", "accepted"),
    ("rejected", "Il manque la boutique.", "rejected"),
])
def test_a_clients_decision_on_this_page_is_recorded_and_mailed_like_on_the_portal(
    world, version, as_role, mailoutbox, django_capture_on_commit_callbacks, decision, comment, recorded
):
    from jalon.portal.models import SpecValidation

    pm = world.user("pm")
    pm.email = "paul@agence-durand.fr"
    pm.save(update_fields=["email"])
    submitted(version)
    http = as_role(world, "client_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(reverse("spec_version_decide", args=[world.project_a.pk, 1]),
                             {"decision": decision, "comment": comment}, follow=True)
    assert "Votre chef de projet est prévenu" in response.content.decode()
    record = SpecValidation.objects.get(version=version)
    assert (record.decided_by, record.decision, record.comment) == (world.user("client_a"), recorded, comment)
    version.refresh_from_db()
    assert version.status == decision
    [mail] = mailoutbox
    assert mail.to == ["paul@agence-durand.fr"] and comment in mail.body


def test_a_decision_the_pm_makes_for_the_client_is_no_client_record(world, version, as_role):
    from jalon.portal.models import SpecValidation

    submitted(version)
    as_role(world, "pm").post(reverse("spec_version_decide", args=[world.project_a.pk, 1]), {"decision": "validated"})
    version.refresh_from_db()
    assert version.status == SpecVersion.Status.VALIDATED and not SpecValidation.objects.exists()


# --- a client never reads a draft -----------------------------------------------------------------


@pytest.fixture
def with_draft(world, version):  # type: ignore[no-untyped-def]
    """v1 "Catalogue" submitted to the client, v2 a draft adding "Paiement en ligne"."""
    requirement(version, "Catalogue").tasks.add(world.project_a.tasks.order_by("pk").first())
    submitted(version)
    draft = services.spec_version_new(spec=version.spec, by=world.user("pm"))
    requirement(draft, "Paiement en ligne").tasks.add(world.project_a.tasks.order_by("pk").first())
    return draft


def test_the_client_is_shown_the_submitted_version_not_the_newer_draft(world, with_draft, as_role):
    page = as_role(world, "client_a").get(reverse("spec_detail", args=[world.project_a.pk])).content.decode()
    assert "Catalogue" in page and "Je valide" in page
    assert "Paiement en ligne" not in page
    assert reverse("spec_version", args=[world.project_a.pk, 2]) not in page  # no link to the draft
    page = as_role(world, "member").get(reverse("spec_detail", args=[world.project_a.pk])).content.decode()
    assert "Paiement en ligne" in page  # the agency's people still open the draft by default


def test_the_draft_page_its_exports_and_its_diff_are_404_for_the_client(world, with_draft, as_role):
    http = as_role(world, "client_a")
    pk = world.project_a.pk
    urls = [reverse("spec_version", args=[pk, 2]), reverse("spec_diff", args=[pk]) + "?de=1&a=2",
            *[reverse("spec_export", args=[pk, 2, fmt]) for fmt in ("docx", "pdf", "md")]]
    assert [http.get(url).status_code for url in urls] == [404] * 5
    assert http.post(reverse("spec_version_decide", args=[pk, 2]), {"decision": "validated"}).status_code == 404
    # The default comparison, among what the client reads, is v1 with itself.
    assert "Paiement en ligne" not in http.get(reverse("spec_diff", args=[pk])).content.decode()


def test_traceability_and_project_page_show_the_client_no_draft(world, with_draft, as_role):
    pk = world.project_a.pk
    http = as_role(world, "client_a")
    trace = http.get(reverse("traceability", args=[pk])).content.decode()
    assert "Catalogue" in trace and "Paiement en ligne" not in trace
    overview = http.get(reverse("project_detail", args=[pk])).content.decode()
    assert "Version 1" in overview and "Version 2" not in overview
    trace = as_role(world, "pm").get(reverse("traceability", args=[pk])).content.decode()
    assert "Paiement en ligne" in trace


def test_the_breakdown_tags_tasks_with_the_requirements_the_reader_may_read(world, with_draft):
    from jalon.projects import breakdown

    task = world.project_a.tasks.order_by("pk").first()
    def covers(reader):  # type: ignore[no-untyped-def]
        tree = breakdown.breakdown_tree(world.project_a, reader=reader)
        return [c.title for c in next(t for t in tree.tasks if t.pk == task.pk).covers]

    assert covers(world.user("client_a")) == ["Catalogue"]
    assert covers(world.user("pm")) == ["Catalogue", "Paiement en ligne"]
