"""Rendering of staff pages inside the admin's frame, so that portal and admin are one site."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_staff_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    title: str = "",
    status: int = 200,
) -> HttpResponse:
    """Renders a template that extends ``base.html`` with the admin's header and sidebar."""
    page = {**admin.site.each_context(request), "title": title, **(context or {})}
    return render(request, template_name, page, status=status)
