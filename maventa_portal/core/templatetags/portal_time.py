"""``{% load portal_time %}`` then ``{{ value|localtime_text }}``: see ``core.times``."""

from django import template

from maventa_portal.core.times import local_text

register = template.Library()
register.filter("localtime_text", local_text)
