"""A spec version exported to Markdown, DOCX and PDF: the text is all there, user text cannot
inject markup, and the documents carry the title page facts and page numbers."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from jalon.specs.exports import spec_docx, spec_markdown, spec_pdf
from jalon.specs.models import Requirement, Spec, SpecVersion
from tests.factories import make_client, make_org, make_project, make_user

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"
SECTIONS = [
    {"key": "contexte", "title": "Présentation du client", "body":
        "La boulangerie Martin & Fils vend du pain depuis 1952 ; elle veut un site vitrine.\n\n"
        f"- Horaires d'ouverture\n- Carte des produits {HOSTILE}\n\n"
        "Voir [le site actuel](javascript:alert(2)) ou https://boulangerie.example/?p=1"},
    {"key": "objectifs", "title": "Objectifs du projet : « être trouvé » !", "body": "Doubler les commandes en ligne."},
    {"key": "vide", "title": "Contraintes techniques", "body": ""},
]


@pytest.fixture
def version() -> SpecVersion:
    org = make_org("Agence Durand & Associés")
    client = make_client(org, "Boulangerie Martin & Fils")
    manager = make_user("manager", org, username="pm", first_name="Paul", last_name="Martin")
    project = make_project(org, client=client, manager=manager, name="Refonte <boulangerie> & co", code="BOUL",
                           budget_amount=Decimal("24500"))
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=project), number=3, sections=SECTIONS,
                                         created_by=manager)
    Requirement.objects.create(version=version, code="EX-01", title=f"Paiement par carte {HOSTILE}", order=1,
                               priority="must", acceptance_criteria="Paiement 3-D Secure accepté\nReçu envoyé par e-mail",
                               description="Carte bancaire & PayPal")
    Requirement.objects.create(version=version, code="EX-02", title="Blog | actualités", order=2, priority="could",
                               acceptance_criteria="10 articles importés")
    version.status = SpecVersion.Status.VALIDATED
    version.validated_by = make_user("client", org, client=client, first_name="Jeanne", last_name="Martin")
    version.validated_at = timezone.make_aware(dt.datetime(2030, 2, 14, 10, 30))
    version.validation_comment = "Bon pour accord."
    version.save()
    return version


def test_markdown_has_the_facts_the_sections_and_the_requirements_table(version: SpecVersion) -> None:
    text = spec_markdown(version)
    assert text.startswith("# Cahier des charges — Refonte \\<boulangerie\\> & co\n")
    assert "| Client | Boulangerie Martin & Fils |" in text
    assert "| Validée par | Jeanne Martin |" in text
    assert "| Validée le | 14/02/2030 à 10:30 |" in text
    assert "## 2. Objectifs du projet : « être trouvé » !" in text
    assert "## 4. Exigences" in text
    assert "| EX-01 | Paiement par carte \\<script\\>alert(1)\\</script\\><br>Carte bancaire & PayPal | Indispensable (Must) |" in text
    # A pipe in user text stays inside its cell.
    assert "| EX-02 | Blog \\| actualités |" in text
    assert "Paiement 3-D Secure accepté<br>Reçu envoyé par e-mail" in text


def test_docx_reads_back_with_title_page_sections_and_table(version: SpecVersion) -> None:
    from docx import Document

    data = spec_docx(version)
    assert zipfile.is_zipfile(io.BytesIO(data))
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Cahier des charges"
    assert paragraphs[1] == "Refonte <boulangerie> & co"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Présentation du client", "2. Objectifs du projet\u202f: «\u202fêtre trouvé\u202f»\u202f!",
                        "3. Contraintes techniques", "4. Exigences"]
    assert "Carte des produits " + HOSTILE in paragraphs  # a bullet, shown as typed
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Client"] == "Boulangerie Martin & Fils"
    assert facts["Version"] == "3" and facts["Statut"] == "Validée"
    assert facts["Validée par"] == "Jeanne Martin" and facts["Validée le"] == "14/02/2030 à 10:30"
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["Code", "Exigence", "Priorité", "Critères d’acceptation"]
    assert [c.text for c in table.rows[1].cells] == [
        "EX-01", f"Paiement par carte {HOSTILE}\nCarte bancaire & PayPal", "Indispensable (Must)",
        "Paiement 3-D Secure accepté\nReçu envoyé par e-mail"]
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Refonte <boulangerie> & co — Cahier des charges v3"
    footer_xml = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml


def test_docx_drops_characters_xml_cannot_hold(version: SpecVersion) -> None:
    from docx import Document

    SpecVersion.objects.filter(pk=version.pk).update(sections=[{"key": "k", "title": "Titre\x07", "body": "a\x01b"}])
    document = Document(io.BytesIO(spec_docx(version)))
    assert "1. Titre" in [p.text for p in document.paragraphs]
    assert "ab" in [p.text for p in document.paragraphs]


def _pdf_text(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "spec.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_prints_user_text_as_text_with_page_numbers(version: SpecVersion, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = spec_pdf(version)
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data, tmp_path)
    flat = " ".join(text.split())
    assert "Refonte <boulangerie> & co" in flat
    assert "Boulangerie Martin & Fils" in flat
    assert "14/02/2030 à 10:30" in flat
    assert "Carte des produits <script>alert(1)</script>" in flat  # escaped, so printed, not run
    assert "1. Présentation du client" in flat and "4. Exigences" in flat
    assert "EX-01" in flat and "Indispensable (Must)" in flat and "Reçu envoyé par e-mail" in flat
    # French spacing: a narrow no-break space before ";" (pdftotext shows it as a space or U+202F).
    assert "depuis 1952\u202f; elle" in text or "depuis 1952 ; elle" in flat
    pages = text.count("\f")
    assert f"Page 2 / {pages}" in flat and "Page 1 /" not in flat  # no number on the title page
    assert "Refonte <boulangerie> & co — Cahier des charges v3" in flat  # running header
    # markdown-it refused the javascript: link, so it is printed as text rather than linked.
    assert "[le site actuel](javascript:alert(2))" in flat
