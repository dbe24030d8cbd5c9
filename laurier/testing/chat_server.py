"""A real HTTP server on 127.0.0.1 that records the JSON posts it receives, for webhook tests
(team-chat posts and deliveries to an organisation's webhook endpoints)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatServer:
    """Stands for Slack or Teams: answers `status` to every post and keeps what it received."""

    def __init__(self, port=0, status=200):
        self.status = status
        self.posts = []
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        # Polled every 20 ms rather than 500: `stop` waits for the next poll, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks/laurier"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        chat = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                chat.posts.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type", ""),
                        "json": json.loads(body or b"null"),
                        # The exact bytes and headers, to check a signature independently.
                        "body": body,
                        "headers": dict(self.headers.items()),
                    }
                )
                answer = b"ok" if chat.status < 400 else b"invalid_payload"
                self.send_response(chat.status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        return Handler
