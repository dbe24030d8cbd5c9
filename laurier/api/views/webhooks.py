"""The organisation's webhooks: endpoints subscribed to events, their secrets and delivery
logs, managed by its admins."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view

from .. import webhook_selectors as selectors
from .. import webhooks
from ..models import WebhookEndpoint
from ..webhook_forms import WebhookEndpointForm

DELIVERIES_PER_PAGE = 25


def _endpoint(request, pk):
    # Another organisation's endpoint is a 404, like one that does not exist.
    return get_object_or_404(WebhookEndpoint, pk=pk, organisation=request.organisation)


def _detail_url(request, endpoint, anchor=""):
    url = reverse("integrations:webhook_detail", args=[request.organisation.slug, endpoint.pk])
    return url + anchor


def _label_events(endpoint):
    labels = selectors.event_labels()
    endpoint.event_labels = [labels.get(event, event) for event in endpoint.events]
    return endpoint


@organisation_view(roles=ADMIN_ROLES)
def endpoint_list(request):
    endpoints = [_label_events(e) for e in selectors.endpoint_rows(request.organisation)]
    labels = selectors.event_labels()
    events = [(event, labels[event], fields) for event, fields in webhooks.EVENT_FIELDS.items()]
    return render(request, "api/webhooks/list.html", {"endpoints": endpoints, "events": events})


@organisation_view(roles=ADMIN_ROLES)
def endpoint_create(request):
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.create_endpoint(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The webhook is saved. Give its secret to the receiving system, so it "
                    "can check that each post comes from Laurier."
                ),
            )
            return redirect(_detail_url(request, endpoint, "#secret"))
    return render(
        request,
        "api/webhooks/form.html",
        {"form": form, "endpoint": None, "allows_http": webhooks.allows_private_addresses()},
        status=400 if form.errors else 200,
    )


@organisation_view(roles=ADMIN_ROLES)
def endpoint_edit(request, pk):
    endpoint = _endpoint(request, pk)
    form = WebhookEndpointForm.for_endpoint(endpoint, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.update_endpoint(endpoint, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The webhook is saved."))
            return redirect(_detail_url(request, endpoint))
    return render(
        request,
        "api/webhooks/form.html",
        {"form": form, "endpoint": endpoint, "allows_http": webhooks.allows_private_addresses()},
        status=400 if form.errors else 200,
    )


@organisation_view(roles=ADMIN_ROLES)
def endpoint_detail(request, pk):
    """The endpoint, its secret and its delivery log; a POST here gives it a new secret."""
    endpoint = _endpoint(request, pk)
    if request.method == "POST" and request.POST.get("action") == "rotate_secret":
        webhooks.rotate_secret(endpoint, actor=request.user)
        messages.success(
            request,
            _(
                "The webhook has a new secret: give it to the receiving system now. "
                "Posts are signed with it from now on, retries included."
            ),
        )
        return redirect(_detail_url(request, endpoint, "#secret"))
    shown = request.GET.get("shown", "")
    shown = shown if shown in selectors.LOG_FILTERS else ""
    log = selectors.delivery_log(endpoint, shown)
    page = paginate(request, log, per_page=DELIVERIES_PER_PAGE)
    labels = {**selectors.event_labels(), webhooks.PING: _("Test event")}
    for delivery in page:
        delivery.event_label = labels.get(delivery.event, delivery.event)
        delivery.payload_json = json.dumps(delivery.payload, indent=2, ensure_ascii=False)
    filters = [
        ("", _("All")),
        ("failed", _("Failed")),
        ("retrying", _("Waiting or retrying")),
        ("sent", _("Delivered")),
    ]
    return render(
        request,
        "api/webhooks/detail.html",
        {"endpoint": _label_events(endpoint), "page": page, "shown": shown, "filters": filters},
    )


@organisation_view(roles=ADMIN_ROLES)
def endpoint_delete(request, pk):
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        webhooks.delete_endpoint(endpoint, actor=request.user)
        messages.success(
            request,
            _("The webhook to %(url)s is deleted: nothing more is sent there.")
            % {"url": endpoint.url},
        )
        return redirect("integrations:webhooks", request.organisation.slug)
    return render(request, "api/webhooks/delete.html", {"endpoint": endpoint})


@organisation_view(roles=ADMIN_ROLES)
@require_POST
def endpoint_test(request, pk):
    """Send a `ping` event, so the admin sees the receiving system answers."""
    endpoint = _endpoint(request, pk)
    try:
        delivery = webhooks.send_test_event(endpoint)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        _tell_how_the_test_went(request, delivery)
    return redirect(_detail_url(request, endpoint, "#deliveries"))


def _tell_how_the_test_went(request, delivery):
    if delivery is None:
        messages.info(request, _("A test event just left: look for it in the log below."))
    elif delivery.status == delivery.Status.SENT:
        messages.success(request, _("The test event was delivered: your system accepted it."))
    elif delivery.status == delivery.Status.FAILED:
        messages.error(
            request,
            _("Your system refused the test event: %(error)s") % {"error": delivery.last_error},
        )
    elif delivery.attempts:
        messages.warning(
            request,
            _(
                "Your system did not accept the test event; Laurier tries again in a few "
                "minutes. The error: %(error)s"
            )
            % {"error": delivery.last_error},
        )
    else:
        messages.success(request, _("The test event is on its way: it appears in the log below."))


@organisation_view(roles=ADMIN_ROLES)
@require_POST
def delivery_retry(request, pk, delivery_pk):
    endpoint = _endpoint(request, pk)
    delivery = get_object_or_404(endpoint.deliveries, pk=delivery_pk)
    try:
        retried = webhooks.retry_delivery(delivery)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_detail_url(request, endpoint, "#deliveries"))
    if retried:
        delivery.refresh_from_db()
        if delivery.status == delivery.Status.SENT:
            messages.success(request, _("Delivered: your system accepted it this time."))
        else:
            messages.info(request, _("Sent again: the log below shows how it went."))
    else:
        messages.info(request, _("This delivery had not failed: nothing was sent again."))
    return redirect(_detail_url(request, endpoint, "#deliveries"))
