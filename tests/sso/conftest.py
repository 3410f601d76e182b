"""Real identity providers on 127.0.0.1 for the single sign-on tests: npm's oidc-provider and
a samlify SAML IdP, each a Node process started once per test session on a free port.

Without Node or the packages (`npm ci --ignore-scripts`) the tests are skipped locally and
fail in CI, like the browser tests without Chromium.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLIENT_ID = "leerportaal-test"
CLIENT_SECRET = "test-secret-only-for-the-local-provider"
SLUG = "gemeente-utrecht"  # tests.factories.ORGANISATIONS["utrecht"]
OIDC_CALLBACK = f"http://testserver/accounts/oidc/{SLUG}/login/callback/"
# python3-saml refuses addresses on a host without a dot ("testserver"): the SAML tests'
# client names the portal like this instead.
SAML_HOST = "leerportaal.example"
SAML_SP_ENTITY_ID = f"http://{SAML_HOST}/accounts/saml/{SLUG}/metadata/"
SAML_ACS = f"http://{SAML_HOST}/accounts/saml/{SLUG}/acs/"


def _missing(package: str) -> str | None:
    if not shutil.which("node"):
        return "Node.js is not installed (apt-get install nodejs npm)"
    if not (ROOT / "node_modules" / package / "package.json").exists():
        return f"node_modules/{package} is missing (npm ci --ignore-scripts)"
    return None


class NodeServer:
    """A Node script that prints `READY <url>` when it listens; ended at the session's end."""

    def __init__(self, script: str, *args: str):
        self.process = subprocess.Popen(
            ["node", str(HERE / script), "--port", "0", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready = threading.Event()
        self.url = None

        def read():
            for line in self.process.stdout:
                if line.startswith("READY "):
                    self.url = line.split()[1]
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(20):
            self.stop()
            raise RuntimeError(f"{script} did not start: {self.process.stderr.read()[-2000:]}")

    def put(self, path: str, data) -> None:
        requests.put(urljoin(self.url, path), data=json.dumps(data), timeout=5).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _need(package: str) -> None:
    missing = _missing(package)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"The {package} identity provider cannot run: {missing}.")
        pytest.skip(f"{missing}; single sign-on tests skipped.")


@pytest.fixture(scope="session")
def oidc_server():
    _need("oidc-provider")
    server = NodeServer(
        "oidc_provider.mjs",
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        CLIENT_SECRET,
        "--redirect-uri",
        OIDC_CALLBACK,
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def saml_keys(tmp_path_factory):
    """The IdP's signing key and a self-signed certificate, made for this run."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-idp.utrecht.example")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("saml-idp")
    key_path, cert_path = directory / "idp.key", directory / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    cert_path.write_bytes(pem)
    return key_path, cert_path, pem.decode()


@pytest.fixture(scope="session")
def saml_server(saml_keys):
    _need("samlify")
    key_path, cert_path, _ = saml_keys
    server = NodeServer(
        "saml_idp.mjs",
        "--key",
        str(key_path),
        "--cert",
        str(cert_path),
        "--sp-entity-id",
        SAML_SP_ENTITY_ID,
        "--acs-url",
        SAML_ACS,
    )
    yield server
    server.stop()


def follow_to_portal(session: requests.Session, url: str, *, data=None) -> str:
    """Follow the provider's redirects (a browser would) until one leads back to the portal
    (http://testserver/...); that address."""
    response = session.post(url, data=data, allow_redirects=False) if data else None
    if response is None:
        response = session.get(url, allow_redirects=False)
    for _ in range(10):
        if response.status_code not in (301, 302, 303, 307):
            return response
        location = urljoin(response.url, response.headers["Location"])
        if urlparse(location).netloc == "testserver":
            return location
        response = session.get(location, allow_redirects=False)
    raise AssertionError("too many redirects at the provider")


def portal_path(url: str) -> str:
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
