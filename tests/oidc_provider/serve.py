"""Serve the test OpenID Connect provider on a free loopback port.

    python -m tests.oidc_provider.serve '{"users": [...], "client": {...}}'

Creates its database, the users ({"username", "email", "password", "first_name"}, and
optionally "email_verified": what the provider says of the address, true unless given;
null leaves the claim out) and one confidential client ({"client_id", "client_secret",
"redirect_uris"}), then prints ``READY http://127.0.0.1:<port>`` and serves until it is
terminated.
"""

import json
import os
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


def main() -> None:
    config = json.loads(sys.argv[1])
    workdir = tempfile.mkdtemp(prefix="oidc-provider-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["OIDC_PROVIDER_DB"] = os.path.join(workdir, "provider.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    verified = {p["username"]: p.pop("email_verified", True) for p in config["users"]}
    os.environ["OIDC_PROVIDER_EMAIL_VERIFIED"] = json.dumps(verified)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in config["users"]:
        get_user_model().objects.create_user(**person)
    client = config["client"]
    Application.objects.create(
        name="Readiness",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print(f"READY http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
