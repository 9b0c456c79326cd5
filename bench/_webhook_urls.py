"""The portal's URLs plus a bare view that reads the body and answers 204: the yardstick of
bench/webhooks.py. It sits under ``/webhooks/maventa/`` so that the middleware treats it as it
treats Maventa's deliveries (public, no login)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from maventa_portal.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def bare(request):
    request.body  # noqa: B018 - read as the webhook view reads it
    return HttpResponse(status=204)


urlpatterns = [path("webhooks/maventa/bare/", bare), *portal_urlpatterns]
