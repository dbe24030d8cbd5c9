"""Views that belong to no feature of the product."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def health(request):
    """Liveness probe for operators and load balancers: the application server answers.

    It reads neither the database nor the session, so it says the processes are up, not
    that the database is; the load benchmark also uses it as the cheapest Django view.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
