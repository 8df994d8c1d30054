"""The starting agenda (ordre du jour) of each meeting kind, editable once the meeting exists.

Sources: DOMAIN.md, "Meetings": what a French agency puts on the agenda of a kick-off, a COPIL,
a weekly point, an expert workshop, an acceptance meeting and a retrospective."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.functional import Promise


@dataclass(frozen=True)
class AgendaTemplate:
    agenda: Promise
    duration: timedelta  # what the planning form suggests
    client_visible: bool  # whether the client usually attends and may see it in the portal


AGENDA_TEMPLATES: dict[str, AgendaTemplate] = {
    "kickoff": AgendaTemplate(
        _("1. Tour de table : rôles et interlocuteurs\n"
          "2. Rappel du contexte, des objectifs et du périmètre\n"
          "3. Présentation du rétroplanning et des jalons\n"
          "4. Modalités de travail : outils, rituels, validations\n"
          "5. Risques et points d'attention\n"
          "6. Prochaines étapes"),
        timedelta(hours=2), True,
    ),
    "steering": AgendaTemplate(
        _("1. Météo du projet\n"
          "2. Avancement par rapport au planning de référence\n"
          "3. Budget consommé et reste à faire\n"
          "4. Risques et plans d'action\n"
          "5. Demandes de changement à arbitrer\n"
          "6. Décisions attendues"),
        timedelta(hours=1, minutes=30), True,
    ),
    "weekly": AgendaTemplate(
        _("1. Ce qui a été fait depuis le dernier point\n"
          "2. Ce qui est prévu cette semaine\n"
          "3. Points bloquants\n"
          "4. Suivi du plan d'actions"),
        timedelta(minutes=30), False,
    ),
    "workshop": AgendaTemplate(
        _("1. Objectif de l'atelier et question posée aux experts\n"
          "2. État des lieux\n"
          "3. Pistes et recommandations\n"
          "4. Charge estimée et compétences nécessaires\n"
          "5. Décisions et actions"),
        timedelta(hours=2), False,
    ),
    "acceptance": AgendaTemplate(
        _("1. Périmètre de la recette et livrables concernés\n"
          "2. Déroulé des scénarios de test\n"
          "3. Anomalies relevées et priorités\n"
          "4. Réserves éventuelles\n"
          "5. Décision : validation (PV de recette) ou nouvelle livraison"),
        timedelta(hours=2), True,
    ),
    "retrospective": AgendaTemplate(
        _("1. Rappel des objectifs et du planning initial\n"
          "2. Ce qui a bien fonctionné\n"
          "3. Ce qui peut être amélioré\n"
          "4. Écarts de charge et de délai\n"
          "5. Actions pour les prochains projets"),
        timedelta(hours=1, minutes=30), False,
    ),
}


def agenda_for(kind: str) -> str:
    """The starting agenda of a kind; a clear error for an unknown kind."""
    try:
        return str(AGENDA_TEMPLATES[kind].agenda)
    except KeyError:
        raise ValueError(f"unknown meeting kind {kind!r} (expected one of {', '.join(AGENDA_TEMPLATES)})") from None
