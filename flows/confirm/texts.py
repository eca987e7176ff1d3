"""The page's words, French first. Templates pick one language; `lang=en` switches."""
from __future__ import annotations

LANGUAGES = ("fr", "en")

TEXTS = {
    "fr": {
        "site": "Répertoire des ressources en immigration · Observatoire TMT",
        "other_language": "English", "other_code": "en",
        "title": "Votre fiche dans le répertoire",
        "intro": "Voici la fiche {de_name} telle qu'elle est publiée dans le répertoire des "
                 "ressources gratuites pour les travailleuses et travailleurs migrants "
                 "temporaires. Est-elle toujours exacte ?",
        "confirm_title": "Tout est exact",
        "confirm_help": "Un clic suffit ; vous pouvez indiquer votre nom pour notre suivi.",
        "your_name": "Votre nom (facultatif)",
        "confirm_button": "Confirmer",
        "correct_title": "Demander une correction",
        "correct_help": "Modifiez seulement ce qui a changé. L'équipe examinera votre demande "
                        "avant de mettre la fiche à jour.",
        "comment": "Commentaire (facultatif)",
        "your_email": "Votre courriel, pour vous joindre au besoin (facultatif)",
        "correct_button": "Envoyer la demande",
        "nothing_changed": "Aucun champ n'a changé et aucun commentaire n'a été écrit : il "
                           "n'y a rien à envoyer.",
        "already": "Fiche déjà confirmée le {date}. Merci ! Vous pouvez quand même demander "
                   "une correction.",
        "thanks_title": "Merci !",
        "thanks_confirmation": "La fiche {de_name} est confirmée (le {date}).",
        "thanks_correction": "Votre demande de correction pour {name} est enregistrée ; "
                             "l'équipe l'examinera avant de mettre la fiche à jour.",
        "back": "Revenir à la fiche",
        "expires": "Ce lien est personnel ; il expire le {date}.",
        "refused_title": "Lien non valide",
        "refused_body": "Ce lien n'est pas valide ou a expiré. Rien n'a été modifié. Si vous "
                        "avez reçu un rappel, utilisez le lien du courriel le plus récent, "
                        "ou écrivez à l'équipe qui vous l'a envoyé.",
        "form_expired": "Le formulaire a expiré ou votre navigateur a refusé le témoin "
                        "(cookie) de sécurité. Rien n'a été enregistré : rechargez la page "
                        "et recommencez.",
        "gone_title": "Fiche non publiée",
        "gone_body": "Cette fiche n'est plus publiée dans le répertoire. Rien n'a été "
                     "modifié.",
        "limited_title": "Trop de demandes",
        "limited_body": "Trop de demandes en peu de temps. Réessayez dans une minute.",
        "home_body": "Cette page sert à confirmer ou à corriger une fiche du répertoire. "
                     "Utilisez le lien reçu par courriel.",
        "not_found": "Page introuvable.",
    },
    "en": {
        "site": "Directory of immigration resources · Observatoire TMT",
        "other_language": "Français", "other_code": "fr",
        "title": "Your listing in the directory",
        "intro": "This is the listing of {name} as published in the directory of free "
                 "resources for temporary migrant workers. Is it still accurate?",
        "confirm_title": "Everything is correct",
        "confirm_help": "One click is enough; you may give your name for our records.",
        "your_name": "Your name (optional)",
        "confirm_button": "Confirm",
        "correct_title": "Request a correction",
        "correct_help": "Change only what is different. The team reviews your request "
                        "before updating the listing.",
        "comment": "Comment (optional)",
        "your_email": "Your email, so we can reach you if needed (optional)",
        "correct_button": "Send the request",
        "nothing_changed": "No field was changed and no comment was written: there is "
                           "nothing to send.",
        "already": "Listing already confirmed on {date}. Thank you! You can still request a "
                   "correction.",
        "thanks_title": "Thank you!",
        "thanks_confirmation": "The listing of {name} is confirmed (on {date}).",
        "thanks_correction": "Your correction request for {name} is recorded; the team will "
                             "review it before updating the listing.",
        "back": "Back to the listing",
        "expires": "This link is personal; it expires on {date}.",
        "refused_title": "Invalid link",
        "refused_body": "This link is not valid or has expired. Nothing was changed. If you "
                        "received a reminder, use the link in the most recent email, or "
                        "write to the team that sent it.",
        "form_expired": "The form expired or your browser refused the security cookie. "
                        "Nothing was recorded: reload the page and try again.",
        "gone_title": "Listing not published",
        "gone_body": "This listing is no longer published in the directory. Nothing was "
                     "changed.",
        "limited_title": "Too many requests",
        "limited_body": "Too many requests in a short time. Try again in a minute.",
        "home_body": "This page is for confirming or correcting a directory listing. Use the "
                     "link you received by email.",
        "not_found": "Page not found.",
    },
}


def language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "fr"


MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def long_date(iso: str, lang: str) -> str:
    """2026-11-21 → « 21 novembre 2026 » or "November 21, 2026"."""
    from datetime import date

    day = date.fromisoformat(iso[:10])
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def de(name: str) -> str:
    """French `de` before a name, elided before a vowel: `d'Alliance`, `de Carrefour`."""
    return ("d'" if name[:1].lower() in "aeiouyàâéèêëîïôöûüœæ" else "de ") + name
