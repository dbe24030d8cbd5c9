"""The OpenAPI description: every operation documents the error answers it can give."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .errors import ErrorSerializer

COMMON_ERRORS = {
    "401": "The token is missing, not valid, expired or revoked.",
    "403": "The token does not have the permission this call needs.",
    "404": "Not found in the token's organisation.",
    "429": "Too many calls: wait for the number of seconds in Retry-After.",
}
WRITE_ERRORS = {
    "400": "Some of what was sent is not valid: see the error's fields.",
    "409": "A call with the same Idempotency-Key is still being processed.",
    "422": "The Idempotency-Key was already used for a different call.",
}


class LaurierAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(COMMON_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors.update(WRITE_ERRORS)
        if self._is_list_view():
            errors["400"] = "A filter's value is not valid."
        for status_code, description in errors.items():
            responses.setdefault(
                status_code,
                self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=description),
                    status_code,
                ),
            )
        return responses
