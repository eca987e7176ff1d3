"""The words of organization reminders, French first (English follows in each email)."""
from __future__ import annotations

SUBJECTS = {
    "first": "Répertoire TMT : votre fiche est-elle à jour ? / Is your listing up to date? "
             "({name})",
    "second": "Rappel – Répertoire TMT : votre fiche est-elle à jour ? / Reminder: is your "
              "listing up to date? ({name})",
    "targeted": "Répertoire TMT : votre site a changé, votre fiche aussi ? / Your website "
                "changed: does your listing need an update? ({name})",
}
CHANGED = {
    "fr": {"hours": "les heures d'ouverture", "address": "l'adresse", "services": "les services"},
    "en": {"hours": "opening hours", "address": "address", "services": "services"},
}
WORDS = {
    "fr": {
        "hello": "Bonjour,",
        "intro": "Votre organisme figure dans le répertoire des ressources gratuites pour les "
                 "travailleuses et travailleurs migrants temporaires (TMT) au Québec. Pour que "
                 "les personnes qui vous sont orientées trouvent la bonne information, nous "
                 "demandons chaque année aux organismes de vérifier leur fiche.",
        "second": "Nous vous avons écrit il y a deux semaines ; voici le même lien, au cas où "
                  "notre premier message se serait égaré.",
        "changed": "Notre vérification de votre site Web a remarqué un changement ({what}) "
                   "depuis votre dernière confirmation. Votre fiche doit-elle changer aussi ?",
        "shown": "Voici votre fiche telle qu'elle est publiée :",
        "question": "Est-elle exacte ?",
        "confirm": "Confirmer", "correct": "Demander une correction",
        "links_note": "Ces boutons ouvrent une page où vous confirmez ou proposez une "
                      "correction : rien ne change sans votre clic, et l'équipe examine chaque "
                      "correction avant de l'appliquer. Les liens sont personnels et expirent "
                      "le {expires}.",
        "thanks": "Merci de votre aide,", "team": "L'équipe de l'Observatoire TMT",
    },
    "en": {
        "hello": "Hello,",
        "intro": "Your organization is listed in the directory of free resources for "
                 "temporary migrant workers in Quebec. So that the people referred to you "
                 "find the right information, we ask organizations every year to check "
                 "their listing.",
        "second": "We wrote to you two weeks ago; here is the same request, in case our "
                  "first message went astray.",
        "changed": "Our check of your website noticed a change ({what}) since you last "
                   "confirmed your listing. Does your listing need to change too?",
        "shown": "This is your listing as published:",
        "question": "Is it accurate?",
        "confirm": "Confirm", "correct": "Request a correction",
        "links_note": "These buttons open a page where you confirm or propose a correction: "
                      "nothing changes until you click, and the team reviews every correction "
                      "before applying it. The links are personal and expire on {expires}.",
        "thanks": "Thank you for your help,", "team": "The Observatoire TMT team",
    },
}


def words(language: str, payload: dict, expires: str = "") -> dict[str, str]:
    chosen = dict(WORDS[language])
    if payload["step"] == "second":
        chosen["intro"] += " " + chosen["second"]
    what = ", ".join(CHANGED[language].get(kind, kind) for kind in payload.get("changed", []))
    chosen["changed"] = chosen["changed"].format(what=what) if payload["step"] == "targeted" \
        else ""
    chosen["links_note"] = chosen["links_note"].format(expires=expires)
    return chosen
