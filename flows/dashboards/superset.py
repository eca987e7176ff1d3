"""The few Superset REST calls the deployment needs, over superset-client's session.

superset-client logs in (JWT), fetches the CSRF token and refreshes the token; its
object factories cover charts and dashboards but not the assets import/export or the
security API, so those calls go through its session directly.
"""
from __future__ import annotations

import io
import json
import os
import zipfile
from urllib.parse import urlparse

import requests
import yaml

from flows.errors import TmtError

TIMEOUT_S = 120


class Superset:
    def __init__(self, url: str, username: str, password: str):
        # superset-client speaks OAuth2 sessions; over plain http oauthlib refuses unless told.
        if urlparse(url).scheme == "http":
            os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
        from supersetapiclient.client import SupersetClient

        self.url = url.rstrip("/")
        self.client = SupersetClient(self.url, username, password)
        try:
            _ = self.client.session  # logs in now, so a bad URL or password fails here
        except requests.ConnectionError as exc:
            raise TmtError(f"{self.url}: Superset does not answer (`make superset` "
                           f"starts a local one)") from exc
        except requests.HTTPError as exc:
            raise TmtError(f"{self.url}: login as {username!r} refused "
                           f"({exc.response.status_code}); check SUPERSET_ADMIN_USER and "
                           f"SUPERSET_ADMIN_PASSWORD") from exc

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.client.session.request(method, f"{self.url}/api/v1/{path}",
                                                timeout=TIMEOUT_S, **kwargs)
        if response.status_code >= 400:
            raise TmtError(f"Superset {method} /api/v1/{path}: {response.status_code} "
                           f"{_message(response)}")
        return response

    def json(self, method: str, path: str, **kwargs) -> dict:
        return self.call(method, path, **kwargs).json()

    def listing(self, path: str, columns: list[str] | None = None) -> list[dict]:
        """Every row of a list endpoint, page by page."""
        rows, page = [], 0
        while True:
            query = {"page": page, "page_size": 100}
            if columns:
                query["columns"] = columns
            result = self.json("GET", path, params={"q": json.dumps(query)})["result"]
            rows += result
            if len(result) < 100:
                return rows
            page += 1

    def export_assets(self) -> dict[str, dict]:
        """Everything Superset holds, as `kind/file.yaml` → parsed YAML (root folder dropped)."""
        content = self.call("GET", "assets/export/").content
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return {name.split("/", 1)[1]: yaml.safe_load(archive.read(name))
                    for name in archive.namelist() if name.endswith((".yaml", ".yml"))}

    def import_assets(self, bundle_zip: bytes, passwords: dict[str, str]) -> None:
        """Import with overwrite (the assets endpoint): databases, datasets, charts and
        dashboards are matched by UUID and updated in place, in one transaction."""
        self.call("POST", "assets/import/",
                  files={"bundle": ("bundle.zip", bundle_zip, "application/zip")},
                  data={"passwords": json.dumps(passwords)},
                  headers={"Accept": "application/json"})


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300].replace("\n", " ")
    message = body.get("message") or body.get("errors") or body
    return json.dumps(message, ensure_ascii=False)[:500] if not isinstance(message, str) \
        else message[:500]
