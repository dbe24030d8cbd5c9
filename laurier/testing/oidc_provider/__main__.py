"""Start the test OpenID Connect provider: create its SQLite database, its users and client
applications, then serve on 127.0.0.1 and print "ready <base url>" once it listens.

    python -m laurier.testing.oidc_provider --db /tmp/idp.sqlite3 --init '{"users": [...]}'
"""

import argparse
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="SQLite file, created afresh")
    parser.add_argument("--init", default="{}", help="JSON: users and clients to create")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    options = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "laurier.testing.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = options.db
    if os.path.exists(options.db):
        os.remove(options.db)

    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("init_provider", options.init)
    server = make_server(
        "127.0.0.1",
        options.port,
        get_wsgi_application(),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    print(f"ready http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
