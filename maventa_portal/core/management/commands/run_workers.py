"""``manage.py run_workers``: every django-q2 cluster of the portal, supervised, until stopped.

For deployments: the task workers beside the WSGI server, without ``runserver``. A cluster
that dies, or exits at start because Redis does not answer, is started again with a backoff
(``core.supervision``); SIGTERM, SIGHUP or Ctrl-C stops every cluster and its processes.
"""

from django.core.management.base import BaseCommand

from maventa_portal.core.supervision import Supervisor, stop_on_signals, task_workers


class Command(BaseCommand):
    help = "Runs the django-q2 clusters (default and bulk), restarting any that dies."

    def handle(self, *args, **options) -> None:
        stop_on_signals()
        supervisor = Supervisor(task_workers(), self._say)
        try:
            supervisor.start()
            supervisor.watch()
        except KeyboardInterrupt:
            self._say("Stopping...")
        finally:
            supervisor.stop()
            self._say("Task workers stopped.")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
