"""Page text, normalization, fingerprints, diffs and statuses, on bytes (no HTTP)."""
from flows.sitecheck import classify, content, page
from flows.sitecheck.fetch import Fetched

SITE = """<html><head><title>Carrefour | Accueil</title>
<meta name="csrf-token" content="{token}"><script>var t = "{token}";</script></head>
<body><header><nav><a href="/">Accueil</a></nav><p>Il est {clock}</p></header>
<main><h1>Bienvenue</h1>
<p>Heures : lundi au vendredi 8 h 30 à 16 h 30, mar 13 h - 20 h</p>
<p>100, rue de l'Exemple, Saint-Rémi J0L 2L0</p>
<p>Mis à jour le {date} à {clock}</p><p>{views} vues · il y a {ago} minutes</p>
<form><input type="hidden" name="csrfmiddlewaretoken" value="{token}"></form>
<div hidden>{token}</div><p>Réf. {ref}</p></main>
<footer>© {year} Carrefour</footer></body></html>"""


def fingerprint(html: str) -> str:
    read = page.read(html.encode(), "text/html; charset=utf-8")
    return content.fingerprint(content.normalize(read.lines, read.title))


def test_timestamps_counters_and_tokens_do_not_change_the_fingerprint():
    one = SITE.format(token="a1b2c3d4e5f6a7b8c9d0", clock="10:32:07", date="2025-03-12",
                      views="1 204", ago="3", year="2024", ref="Xk3JdL9qPx2mWv7RtY4b")
    two = SITE.format(token="0f9e8d7c6b5a4f3e2d1c", clock="18:01:55", date="14 avril 2025",
                      views="1 388", ago="41", year="2025", ref="Pq8LmN2vBx7cZr5TyU1k")
    assert fingerprint(one) == fingerprint(two)
    moved_hours = two.replace("8 h 30 à 16 h 30", "9 h à 17 h")
    assert fingerprint(moved_hours) != fingerprint(two)


def test_tokens_are_normalized_on_lines_without_digits_too():
    """The token rules' gates are tested on the whole page first (content.normalize): a
    page holding one token still has it replaced, on whichever line it is."""
    prose = ["Accueil des travailleuses et travailleurs"] * 20
    lines = prose + ["Jeton csrf=abcdefgh ici", "Lien ?sessionid=qwertyQWERTY fin",
                     "Clé deadbeefdeadbeefdeadbeef"]
    assert content.normalize(lines)[20:] == ["Jeton csrf=‹token› ici",
                                             "Lien ?session=‹token› fin", "Clé ‹token›"]
    assert content.normalize(prose, "Titre") == ["Titre", *prose]


def test_main_text_leaves_out_navigation_scripts_and_hidden_parts():
    read = page.read(SITE.format(token="TOKEN", clock="1", date="1", views="1", ago="1",
                                 year="1", ref="r").encode(), None)
    assert read.title == "Carrefour | Accueil" and read.heading == "Bienvenue"
    text = "\n".join(read.lines)
    assert "Heures" in text and "TOKEN" not in text and "Il est" not in text
    assert page.read(b"%PDF-1.7 ...", "application/pdf").html is False
    assert page.read("<p>Caf\xe9</p>".encode("cp1252"), "text/html").lines == ["Café"]


def test_sloppy_markup_is_read_as_a_browser_would_show_it():
    """The one-pass reader (page._feed): script text holding tags, quoted `>` in attributes,
    entities, upper case, void and unclosed elements, comments, a comment never closed."""
    html = ("<!DOCTYPE html><HTML><HEAD><TITLE>Caf&eacute; &amp; co</TITLE></HEAD><BODY>"
            "<script>if (a<b) { s = '</div><p>non</p>'; }</script>"
            "<p title='a>b'>Un<br/>deux</p><img alt=\"<p>x</p>\" src=i.png>"
            "<ul><li>trois<li>5 &lt; 6 &#233;</ul><!-- <p>commentaire</p> -->"
            "<div style='display: none'>caché</div><p>fin<!-- jamais fermé <p>perdu")
    read = page.read(html.encode(), "text/html")
    assert read.title == "Café & co"
    assert read.lines == ["Un", "deux", "trois", "5 < 6 é", "fin"]


def test_a_diff_counts_lines_and_says_what_it_touches():
    before = ["Heures : lundi 8 h 30 à 16 h 30", "100, rue de l'Exemple", "Accueil"]
    after = ["Heures : lundi 9 h à 17 h", "100, rue de l'Exemple", "Accueil",
             "Nouveau : cours de français le soir"]
    change = content.diff(before, after)
    assert (change.added, change.removed) == (2, 1)
    assert change.touches == ["hours", "services"]
    assert change.summary.splitlines()[0] == "+2 -1 lines"
    assert content.diff(["Adresse : 100, rue X"], ["Adresse : 12, boulevard Y"]).touches == \
        ["address"]
    assert content.diff(["Mon équipe"], ["Notre équipe"]).touches == []


def fetched(code=200, **extra) -> Fetched:
    return Fetched("https://site.ca/page", extra.pop("final_url", "https://site.ca/page"),
                   http_status=code, **extra)


def status(html: str, code=200, changed=False, **extra) -> str:
    return classify.status(fetched(code, **extra), page.read(html.encode(), "text/html"), changed)


def test_statuses_from_the_page_and_the_way_there():
    assert status("<title>Erreur 404</title><p>Oups</p>") == "soft_404"
    assert status("<h1>Page introuvable</h1>") == "soft_404"
    assert status("<p>404, rue Principale, Joliette</p>") == "ok"  # an address, not an error
    assert status("<p>This domain may be for sale.</p>") == "parked"
    assert status("<script src='https://sedoparking.com/x.js'></script>") == "parked"
    assert status("<title>Just a moment...</title>", 503) == "blocked"
    assert status("<p>Down</p>", 503) == "server_error"
    assert status("<p>Bienvenue</p>", changed=True) == "changed"
    moved = {"chain": ["301 https://site.ca/new"], "permanent": [True],
             "final_url": "https://site.ca/new"}
    assert status("<p>Bienvenue</p>", **moved) == "moved"
    temporary = {**moved, "chain": ["302 https://site.ca/new"], "permanent": [False]}
    assert status("<p>Bienvenue</p>", **temporary) == "redirected"
    same = {"chain": ["301 https://www.site.ca/page/"], "permanent": [True],
            "final_url": "https://www.site.ca/page/"}
    assert status("<p>Bienvenue</p>", **same) == "ok"  # www. and a slash: the same place
    assert classify.status(fetched(None).fail("dns", "no such name"), None, False) == \
        "unreachable"
    assert classify.status(fetched(None).fail("robots", "disallowed"), None, False) == "blocked"


def test_a_page_read_in_a_worker_process_crosses_back_whole():
    import pickle

    from flows.sitecheck.analysis import analyze

    html = SITE.format(token="t", clock="1", date="1", views="1", ago="1", year="1",
                       ref="r").encode()
    found = analyze(html, "text/html")
    assert pickle.loads(pickle.dumps(found)) == found  # results travel between processes
