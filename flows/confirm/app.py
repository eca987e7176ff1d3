"""The confirmation page (FastAPI, server-rendered, French and English).

Routes: GET /fiche/{organization}/{token} shows the listing as published with two forms;
POST …/confirmer records a verification; POST …/corriger records a change request for the
maintainers; GET …/merci thanks. Nothing else is served (no index, no API docs): a visitor
can see only the listing their signed link names. Links in emails only open the page, so
mail scanners that follow links cannot confirm; the forms carry CSRF tokens.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..settings import Settings, get_settings
from . import listing as listings
from . import security, store, tokens
from .texts import TEXTS, de, language, long_date

TEMPLATES = Path(__file__).parent / "templates"
MAX_BODY = 64 * 1024
REFUSED_COST = 5  # a bad link spends five requests' worth of the client's allowance


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    key = settings.signing_key_or_fail()  # no key, no page: fails at start-up, by name
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.globals["de"] = de  # French elision in templates: la fiche d'Alliance
    limiter = security.RateLimiter(settings.confirm_rate_per_minute)
    https = settings.public_url.startswith("https://")
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.limiter = limiter

    def page(name: str, lang: str, status: int = 200, **context) -> HTMLResponse:
        html = env.get_template(name).render(lang=lang, t=TEXTS[lang], **context)
        return HTMLResponse(html, status_code=status)

    def message(lang: str, heading: str, body: str, status: int, **context) -> HTMLResponse:
        return page("message.html", lang, status, heading=heading, body=body, **context)

    def refused(lang: str) -> HTMLResponse:
        t = TEXTS[lang]
        return message(lang, t["refused_title"], t["refused_body"], 403)

    app.add_middleware(security.BodyLimit, limit=MAX_BODY)  # inside `guard`: gets its headers

    @app.middleware("http")
    async def guard(request: Request, call_next):
        client = request.client.host if request.client else "unknown"
        lang = language(request.query_params.get("lang"))
        if request.url.path.startswith("/fiche/") and not limiter.allow(client):
            response = message(lang, TEXTS[lang]["limited_title"], TEXTS[lang]["limited_body"],
                               429)
            response.headers["Retry-After"] = "60"
        else:
            response = await call_next(request)
            if response.status_code == 403:
                limiter.charge(client, REFUSED_COST)
        response.headers.update(security.HEADERS)
        if https:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    def grant_for(organization_id: str, token: str) -> tokens.Grant | None:
        try:
            return tokens.verify(key, token, organization_id, settings.link_valid_days)
        except tokens.Refused:
            return None

    def urls(organization_id: str, token: str, lang: str) -> tuple[str, str]:
        base = f"/fiche/{quote(organization_id)}/{quote(token)}"
        other = TEXTS[lang]["other_code"]
        return base, base + ("" if other == "fr" else "?lang=en")

    def listing_page(request: Request, organization_id: str, token: str, grant, lang: str,
                     status: int = 200, error: str | None = None,
                     proposed: dict | None = None) -> HTMLResponse:
        published = listings.published(settings.serving_db, organization_id)
        t = TEXTS[lang]
        if published is None:
            return message(lang, t["gone_title"], t["gone_body"], 410)
        base, switch = urls(organization_id, token, lang)
        confirmed = store.confirmed_on(settings.confirmations_db, organization_id, grant.campaign)
        cookie, csrf = security.new_csrf(key, token)
        expires = (grant.issued_at + timedelta(days=settings.link_valid_days)).date()
        response = page(
            "listing.html", lang, status, listing=published, base_url=base, switch_url=switch,
            csrf=csrf, action=request.query_params.get("action"), error=error,
            proposed=proposed or {}, expires=long_date(expires.isoformat(), lang),
            notice=t["already"].format(date=long_date(confirmed, lang)) if confirmed else None)
        response.set_cookie(security.CSRF_COOKIE, cookie, max_age=security.CSRF_MAX_AGE_S,
                            path="/fiche/", httponly=True, samesite="strict", secure=https)
        return response

    async def checked_form(request: Request, token: str) -> dict | None:
        form = await request.form(max_files=0, max_fields=40)
        fields = {name: str(value)[:2000] for name, value in form.items()}
        if not security.csrf_ok(key, token, request.cookies.get(security.CSRF_COOKIE),
                                fields.get("csrf")):
            return None
        return fields

    async def checked_post(request: Request, organization_id: str, token: str, lang: str):
        """(grant, form fields, None) for a valid link and CSRF token, else (None, None,
        the refusal page): every form post passes through this one gate."""
        grant = grant_for(organization_id, token)
        if grant is None:
            return None, None, refused(lang)
        fields = await checked_form(request, token)
        if fields is None:
            return None, None, message(lang, TEXTS[lang]["refused_title"],
                                       TEXTS[lang]["form_expired"], 403,
                                       back_url=urls(organization_id, token, lang)[0])
        return grant, fields, None

    @app.get("/", response_class=HTMLResponse)
    def home(lang: str | None = None):
        lang = language(lang)
        return message(lang, TEXTS[lang]["title"], TEXTS[lang]["home_body"], 200)

    @app.get("/healthz")
    def health():
        return PlainTextResponse("ok")

    @app.get("/style.css")
    def style():
        return Response((TEMPLATES / "style.css").read_text(encoding="utf-8"),
                        media_type="text/css")

    @app.get("/fiche/{organization_id}/{token}", response_class=HTMLResponse)
    def show(request: Request, organization_id: str, token: str, lang: str | None = None):
        lang = language(lang)
        grant = grant_for(organization_id, token)
        if grant is None:
            return refused(lang)
        return listing_page(request, organization_id, token, grant, lang)

    @app.post("/fiche/{organization_id}/{token}/confirmer")
    async def confirm(request: Request, organization_id: str, token: str,
                      lang: str | None = None):
        lang = language(lang)
        grant, fields, refusal = await checked_post(request, organization_id, token, lang)
        if refusal is not None:
            return refusal
        if listings.published(settings.serving_db, organization_id) is None:
            return message(lang, TEXTS[lang]["gone_title"], TEXTS[lang]["gone_body"], 410)
        store.confirm(settings.confirmations_db, organization_id, grant.campaign,
                      fields.get("assurer", "").strip()[:200], grant.issued_at)
        return RedirectResponse(f"{urls(organization_id, token, lang)[0]}/merci"
                                f"?quoi=confirmation&lang={lang}", status_code=303)

    @app.post("/fiche/{organization_id}/{token}/corriger")
    async def correct(request: Request, organization_id: str, token: str,
                      lang: str | None = None):
        lang = language(lang)
        grant, fields, refusal = await checked_post(request, organization_id, token, lang)
        if refusal is not None:
            return refusal
        published = listings.published(settings.serving_db, organization_id)
        if published is None:
            return message(lang, TEXTS[lang]["gone_title"], TEXTS[lang]["gone_body"], 410)
        changes = proposed_changes(published, fields, lang)
        comment = fields.get("comment", "").strip()
        if not changes and not comment:
            return listing_page(request, organization_id, token, grant, lang, status=400,
                                error=TEXTS[lang]["nothing_changed"])
        store.request_change(settings.confirmations_db, organization_id, grant.campaign,
                             changes, comment, fields.get("submitted_by", "").strip()[:200],
                             fields.get("submitter_email", "").strip()[:200])
        return RedirectResponse(f"{urls(organization_id, token, lang)[0]}/merci"
                                f"?quoi=correction&lang={lang}", status_code=303)

    @app.get("/fiche/{organization_id}/{token}/merci", response_class=HTMLResponse)
    def thanks(organization_id: str, token: str, quoi: str = "confirmation",
               lang: str | None = None):
        lang = language(lang)
        grant = grant_for(organization_id, token)
        if grant is None:
            return refused(lang)
        published = listings.published(settings.serving_db, organization_id)
        t = TEXTS[lang]
        name = published.name if published else ""
        confirmed = store.confirmed_on(settings.confirmations_db, organization_id, grant.campaign)
        if quoi == "correction":
            body = t["thanks_correction"].format(name=name)
        elif confirmed:
            body = t["thanks_confirmation"].format(name=name, de_name=de(name),
                                                   date=long_date(confirmed, lang))
        else:
            return refused(lang)
        base, _switch = urls(organization_id, token, lang)
        return message(lang, t["thanks_title"], body, 200, back_url=f"{base}?lang={lang}",
                       switch_url=f"{base}/merci?quoi={quote(quoi)}&lang={t['other_code']}")

    @app.exception_handler(404)
    async def not_found(request: Request, exc):
        lang = language(request.query_params.get("lang"))
        return message(lang, TEXTS[lang]["not_found"], TEXTS[lang]["home_body"], 404)

    return app


def proposed_changes(published: listings.Listing, fields: dict, lang: str) -> dict:
    """Fields the person changed: {field: {"published": ..., "proposed": ...}}."""
    changes = {}
    for field in published.fields:
        shown = field.value_fr if lang == "fr" else field.value_en
        submitted = " ".join(fields.get(f"f-{field.key}", shown).split())
        if submitted != " ".join(shown.split()):
            changes[field.key] = {"published": shown, "proposed": submitted}
    return changes


def serve(host: str, port: int) -> None:
    """`tmt serve-confirmations`: uvicorn, one process (the rate limiter lives in memory)."""
    import uvicorn

    app = create_app()
    uvicorn.run(app, host=host, port=port, proxy_headers=True, server_header=False,
                log_level="info", access_log=False)  # access logs would record the links
