"""One shape for every error the API answers, in the caller's language:

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"email": ["…"]}}}

`fields` is there only for invalid input: for each field, or "non_field_errors", its messages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    error = ErrorDetailSerializer()


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def handle_exception(error, context):
    """REST framework's exception handler, with the rules of our services understood and the
    answer put in the one error shape."""
    if isinstance(error, DjangoValidationError):
        # A service refused what the serializer let through (an invariant checked again).
        error = exceptions.ValidationError(as_serializer_error(error))
    elif isinstance(error, Http404):
        error = exceptions.NotFound(_("Not found in this organisation."))
    response = exception_handler(error, context)
    if response is None:
        return None
    response.data = {"error": _error_body(error, response.status_code)}
    return response


def _error_body(error, status_code):
    body = {"status": status_code, "code": _code(error), "message": _message(error)}
    if isinstance(error, exceptions.ValidationError):
        body["fields"] = _field_messages(error.detail)
    return body


def _code(error):
    if isinstance(error, exceptions.ValidationError):
        return "invalid"
    return getattr(error, "default_code", "error")


def _message(error):
    if isinstance(error, exceptions.ValidationError):
        return _("Some of what was sent is not valid: see “fields”.")
    detail = error.detail
    if isinstance(detail, list | dict):
        return str(next(iter(_flatten(detail)), ""))
    return str(detail)


def _field_messages(detail):
    if isinstance(detail, list):
        # A list body (bulk creation): one entry per item, numbered from 0.
        if detail and all(isinstance(item, dict) for item in detail):
            return {
                f"{index}.{field}": messages
                for index, item in enumerate(detail)
                for field, messages in _field_messages(item).items()
            }
        return {"non_field_errors": [str(message) for message in _flatten(detail)]}
    fields = {}
    for field, messages in detail.items():
        if isinstance(messages, dict):
            for inner, inner_messages in _field_messages(messages).items():
                fields[f"{field}.{inner}"] = inner_messages
        else:
            fields[field] = [str(message) for message in _flatten(messages)]
    return fields


def _flatten(detail):
    if isinstance(detail, dict):
        for value in detail.values():
            yield from _flatten(value)
    elif isinstance(detail, list):
        for value in detail:
            yield from _flatten(value)
    else:
        yield detail


def with_api_field_names(error, names):
    """A service's ValidationError with its field names as the API calls them (`names`:
    {service's name: API's name}), so the error shape's `fields` match the request's body."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(field, field): messages for field, messages in error.error_dict.items()}
    )


def error_response(status_code, code, message):
    """An error answer built by a view itself, in the same shape."""
    return Response(
        {"error": {"status": status_code, "code": code, "message": str(message)}},
        status=status_code,
    )
