"""A real OpenID Connect provider for the single sign-on tests.

A tiny Django project of its own (django-oauth-toolkit with OIDC enabled, an RS256 key made at
start, its own SQLite file), run as a subprocess on 127.0.0.1: Laurier talks to it over HTTP
exactly as to an organisation's identity provider. `OidcProvider` starts and stops it; the
login helper plays the user's browser on the provider's side.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

ISSUER_PATH = "/o"
_READY = re.compile(r"^ready (?P<url>\S+)$")


class OidcProvider:
    """The provider process, started with the given users and client applications."""

    def __init__(self, *, users, clients):
        self.description = {"users": users, "clients": clients}
        self.base_url = None
        self._process = None
        self._directory = None

    @property
    def issuer(self):
        return self.base_url + ISSUER_PATH

    def start(self, timeout=20):
        self._directory = tempfile.TemporaryDirectory(prefix="laurier-oidc-")
        database = Path(self._directory.name) / "provider.sqlite3"
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        environment.pop("DATABASE_URL", None)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "laurier.testing.oidc_provider",
                "--db",
                str(database),
                "--init",
                json.dumps(self.description),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        line = self._process.stdout.readline().strip()
        match = _READY.match(line)
        if match is None:
            self.stop()
            raise RuntimeError(f"The test OIDC provider did not start: {line!r}")
        self.base_url = match["url"]
        return self

    def stop(self):
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process.stdout.close()
            self._process = None
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def url(self, path):
        return urljoin(self.base_url, path)


def sign_in_and_authorize(session, authorize_url, *, email, password):
    """Play the user's browser at the provider: open the authorization address, sign in on
    the provider's own page, and return the address the provider sends the browser back to
    (Laurier's callback, with the code and state). `session` is a requests.Session."""
    response = session.get(authorize_url, allow_redirects=True)
    if "csrfmiddlewaretoken" in response.text:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]
        next_url = re.search(r'name="next" value="([^"]*)"', response.text)[1]
        response = session.post(
            response.url,
            data={
                "csrfmiddlewaretoken": token,
                "username": email,
                "password": password,
                "next": next_url.replace("&amp;", "&"),
            },
            headers={"Referer": response.url},
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise AssertionError("The provider refused the test user's password.")
        response = session.get(
            urljoin(response.url, response.headers["Location"]), allow_redirects=False
        )
    if response.status_code != 302:
        raise AssertionError(f"The provider did not authorize: {response.status_code}")
    return response.headers["Location"]
