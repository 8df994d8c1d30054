"""A version of the cahier des charges as a document: Markdown (the source, for a wiki or a
repository), DOCX (for the client to annotate) and PDF (the copy that is signed and archived).

All three read the same `SpecDocument`, built by one set of queries. User text is escaped for
each format: Markdown syntax in structured fields, HTML by the autoescaped PDF template (section
bodies go through markdown-it with raw HTML disabled), XML-illegal characters for DOCX.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jalon.reports.export import css_string, offline_url_fetcher
from jalon.reports.typography import format_date, format_datetime, fr_text
from jalon.specs.models import SpecVersion


@dataclass(frozen=True, slots=True)
class SpecSection:
    number: int
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class SpecRequirement:
    code: str
    title: str
    description: str
    priority: str  # the MoSCoW key: must, should, could, wont
    priority_label: str
    acceptance_criteria: str


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """Everything an export shows, as plain text."""

    project: str
    project_code: str
    organisation: str
    client: str
    version_number: int
    status: str
    status_label: str
    written_by: str
    created_on: str
    submitted_on: str
    validated_by: str
    validated_on: str
    validation_comment: str
    sections: list[SpecSection]
    requirements: list[SpecRequirement]

    @property
    def title(self) -> str:
        return _("Cahier des charges — %(project)s") % {"project": self.project}

    def facts(self) -> list[tuple[str, str]]:
        """The title page's table: label, value (only the rows that have a value)."""
        rows = [
            (_("Projet"), f"{self.project_code} — {self.project}" if self.project_code else self.project),
            (_("Client"), self.client),
            (_("Prestataire"), self.organisation),
            (_("Version"), str(self.version_number)),
            (_("Statut"), self.status_label),
            (_("Rédigée par"), self.written_by),
            (_("Créée le"), self.created_on),
            (_("Soumise au client le"), self.submitted_on),
            (_("Validée par"), self.validated_by),
            (_("Validée le"), self.validated_on),
            (_("Commentaire de validation"), self.validation_comment),
        ]
        return [(label, value) for label, value in rows if value]


def _when(moment: datetime | None) -> str:
    return format_datetime(timezone.localtime(moment)) if moment else ""


def spec_document(version: SpecVersion) -> SpecDocument:
    """The version and what surrounds it (project, client, people), read once."""
    version = (
        SpecVersion.objects.select_related(
            "spec__project__client", "spec__project__organisation", "created_by", "validated_by"
        ).get(pk=version.pk)
    )
    project = version.spec.project
    requirements = [
        SpecRequirement(r.code, r.title, r.description, r.priority, str(r.get_priority_display()), r.acceptance_criteria)
        for r in version.requirements.order_by("order", "code")
    ]
    sections = [
        SpecSection(number, str(s.get("title", "")), str(s.get("body", "")))
        for number, s in enumerate(version.sections or [], start=1)
    ]
    return SpecDocument(
        project=project.name,
        project_code=project.code,
        organisation=project.organisation.name,
        client=project.client.name if project.client else _("Projet interne"),
        version_number=version.number,
        status=version.status,
        status_label=str(version.get_status_display()),
        written_by=str(version.created_by) if version.created_by else "",
        created_on=_when(version.created_at),
        submitted_on=_when(version.submitted_at),
        validated_by=str(version.validated_by) if version.validated_by else "",
        validated_on=_when(version.validated_at),
        validation_comment=version.validation_comment,
        sections=sections,
        requirements=requirements,
    )


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md_inline(text: str) -> str:
    """Text that Markdown shows as typed: syntax characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_cell(text: str) -> str:
    """A table cell keeps its line breaks as <br> (the only HTML the export itself writes)."""
    return "<br>".join(_md_inline(line) for line in text.splitlines() if line.strip())


def spec_markdown(version: SpecVersion) -> str:
    """The version as Markdown (GitHub flavour, for the table). Section bodies are copied as
    written: they are Markdown already."""
    doc = spec_document(version)
    lines = [f"# {_md_inline(doc.title)}", "", f"| {_('Rubrique')} | {_('Valeur')} |", "| --- | --- |"]
    lines += [f"| {_md_cell(label)} | {_md_cell(value)} |" for label, value in doc.facts()]
    for section in doc.sections:
        lines += ["", f"## {section.number}. {_md_inline(section.title)}", ""]
        lines.append(section.body.strip() or f"_{_('Section non rédigée.')}_")
    lines += ["", f"## {len(doc.sections) + 1}. {_('Exigences')}", ""]
    if doc.requirements:
        lines += [f"| {_('Code')} | {_('Exigence')} | {_('Priorité')} | {_('Critères d’acceptation')} |",
                  "| --- | --- | --- | --- |"]
        for r in doc.requirements:
            what = _md_cell(r.title) + (f"<br>{_md_cell(r.description)}" if r.description.strip() else "")
            lines.append(f"| {_md_cell(r.code)} | {what} | {_md_cell(r.priority_label)} | {_md_cell(r.acceptance_criteria)} |")
    else:
        lines.append(f"_{_('Aucune exigence dans cette version.')}_")
    return "\n".join(lines) + "\n"


# --- PDF -----------------------------------------------------------------------------------------


def _markdown_renderer():  # type: ignore[no-untyped-def]
    """markdown-it with raw HTML off (a `<script>` in a body prints as text) and unsafe link
    schemes refused by its default validator; French spacing applied to the text runs only,
    never to code or URLs."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")

    def french_spacing(state) -> None:  # type: ignore[no-untyped-def]
        for token in state.tokens:
            for child in token.children or ():
                if child.type == "text":
                    child.content = fr_text(child.content)

    md.core.ruler.push("fr_typography", french_spacing)
    return md


def _body_html(body: str) -> SafeString:
    # markdown-it escapes every character of user text it does not turn into markup itself.
    return mark_safe(_markdown_renderer().render(body))  # noqa: S308


def spec_pdf(version: SpecVersion) -> bytes:
    """The version as an A4 PDF: title page, numbered sections, requirements table, a running
    header with the project's name and "Page n / N" at the foot of every page but the first."""
    from weasyprint import HTML

    doc = spec_document(version)
    context = {
        "doc": doc,
        "title": fr_text(doc.title),
        "facts": [
            {"label": label, "value": fr_text(value), "css": f"status-{doc.status}" if label == _("Statut") else ""}
            for label, value in doc.facts()
        ],
        "sections": [
            {"number": s.number, "title": fr_text(s.title), "html": _body_html(s.body)} for s in doc.sections
        ],
        "requirements": [
            {"code": r.code, "title": fr_text(r.title), "description": fr_text(r.description), "priority": r.priority,
             "priority_label": r.priority_label, "criteria": fr_text(r.acceptance_criteria)}
            for r in doc.requirements
        ],
        "requirements_number": len(doc.sections) + 1,
        "page_label": css_string(_("Page")),
        "printed_on": format_date(timezone.localdate()),
    }
    html = render_to_string("specs/export_spec.html", context)
    return HTML(string=html, url_fetcher=offline_url_fetcher()).write_pdf()


# --- DOCX ----------------------------------------------------------------------------------------

# Characters XML 1.0 forbids: python-docx would refuse the whole document for one of them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _add_field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, NUMPAGES) that Word computes when it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_french(document) -> None:  # type: ignore[no-untyped-def]
    """Spelling and hyphenation in French for the whole document."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    rpr.append(lang)


def _add_body(document, body: str) -> None:  # type: ignore[no-untyped-def]
    """A section body: blank lines part paragraphs, "- " or "* " lines become bullets."""
    blocks = [b for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]
    if not blocks:
        document.add_paragraph(_("Section non rédigée."), style="Quote")
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if all(line[:2] in ("- ", "* ") for line in lines):
            for line in lines:
                document.add_paragraph(_x(fr_text(line[2:].strip())), style="List Bullet")
            continue
        paragraph = document.add_paragraph()
        for index, line in enumerate(lines):
            run = paragraph.add_run(_x(fr_text(line)))
            if index < len(lines) - 1:
                run.add_break()


def _add_title_page(document, doc: SpecDocument) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_BREAK

    document.add_heading(_x(_("Cahier des charges")), level=0)
    document.add_paragraph(_x(fr_text(doc.project)), style="Subtitle")
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in doc.facts():
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(_x(label)).bold = True
        cells[1].text = _x(fr_text(value))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _add_requirements(document, doc: SpecDocument) -> None:  # type: ignore[no-untyped-def]
    document.add_heading(f"{len(doc.sections) + 1}. {_('Exigences')}", level=1)
    if not doc.requirements:
        document.add_paragraph(_("Aucune exigence dans cette version."))
        return
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, (_("Code"), _("Exigence"), _("Priorité"), _("Critères d’acceptation"))):
        cell.paragraphs[0].add_run(heading).bold = True
    for r in doc.requirements:
        cells = table.add_row().cells
        cells[0].text = _x(r.code)
        cells[1].paragraphs[0].add_run(_x(fr_text(r.title))).bold = True
        if r.description.strip():
            cells[1].add_paragraph(_x(fr_text(r.description.strip())))
        cells[2].text = _x(r.priority_label)
        cells[3].text = _x(fr_text(r.acceptance_criteria.strip()))


def spec_docx(version: SpecVersion) -> bytes:
    """The version as a Word document: title page, one heading per section, the requirements
    table (code | exigence | priorité | critères d'acceptation), project name in the page
    header and "Page n / N" in the footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = spec_document(version)
    document = Document()
    _set_french(document)
    document.core_properties.title = _x(doc.title)
    document.core_properties.subject = _x(_("Version %(number)s") % {"number": doc.version_number})
    section = document.sections[0]
    section.header.paragraphs[0].text = _x(f"{doc.project} — {_('Cahier des charges')} v{doc.version_number}")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(_("Page") + " ")
    _add_field(footer, "PAGE")
    footer.add_run(" / ")
    _add_field(footer, "NUMPAGES")
    _add_title_page(document, doc)
    for s in doc.sections:
        document.add_heading(_x(f"{s.number}. {fr_text(s.title)}"), level=1)
        _add_body(document, s.body)
    _add_requirements(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
