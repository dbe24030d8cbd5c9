from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Limits the calls of each token (`API_RATE_LIMIT`, per minute by default), so one busy
    integration cannot slow the others down; calls without a valid token count per client."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = request.auth
        ident = f"token-{token.prefix}" if isinstance(token, ApiToken) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
