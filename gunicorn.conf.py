"""gunicorn's settings: `gunicorn maventa_portal.wsgi:application -c gunicorn.conf.py`.

Threads rather than more processes: most of a request's time is spent waiting on the database
or on Maventa, and the webhook endpoint must answer within Maventa's 5 seconds even while staff
pages wait for Maventa (up to MAVENTA_INTERACTIVE_DEADLINE).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# WEB_CONCURRENCY is the usual name platforms set; gunicorn's own default for workers is 1.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 8)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A staff page may wait MAVENTA_INTERACTIVE_DEADLINE (8 s) per call, a few calls at most.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# Addresses come from the proxy's X-Forwarded-For, counted by TRUSTED_PROXY_COUNT in Django.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The path without its query: webhook deliveries carry their secret as ?secret=.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
