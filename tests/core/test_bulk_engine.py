"""The bulk-run engine on its own: claiming, leases, the sweeper, retries, double submits.

A kind made for the test (``tests.echo``) does each item by the rule in its payload, so the
engine's behaviour is seen without Maventa; the kinds that call Maventa are tested against
the sandbox in their apps' tests.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.brokers import get_broker

from maventa_portal.core.bulk import engine, kinds, runs, sweeper
from maventa_portal.core.bulk.kinds import BulkKind, Outcome
from maventa_portal.core.bulk.selectors import counts
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import BulkItem, BulkRun
from maventa_portal.maventa_api import RateLimited

pytestmark = pytest.mark.django_db(transaction=True)

Status = BulkItem.Status
done_items: list[int] = []
seen: list[int] = []


def _echo(item: BulkItem, run: BulkRun, actor) -> Outcome:
    rule = item.payload.get("rule", "ok")
    if rule == "refuse":
        raise PortalError("No, because the payload says so.")
    if rule == "slow_down":
        raise RateLimited("busy", retry_after=item.payload.get("after", 1))
    if rule == "crash":
        raise RuntimeError("a bug")
    if rule == "long":
        # Longer than the lease: a live worker's heartbeat must keep the item its own.
        time.sleep(item.payload["seconds"])
        seen.append(sweeper.release_expired_leases())
    done_items.append(item.pk)
    return Outcome(f"Echoed {item.label}.", {"echo": item.label})


ECHO = BulkKind(
    name="tests.echo",
    describe=lambda options: f"Echoing {options.get('what', 'items')}",
    handle=_echo,
    start_permission="companies.add_company",
    view_permission="companies.view_company",
    concurrency=2,
)


def queued() -> int:
    """Tasks waiting for the bulk cluster, on whichever broker is configured."""
    return get_broker("bulk").queue_size()


@pytest.fixture(autouse=True)
def empty_bulk_queue():
    get_broker("bulk").purge_queue()
    yield
    get_broker("bulk").purge_queue()


@pytest.fixture(autouse=True)
def echo_kind(monkeypatch):
    real = kinds._registry()
    monkeypatch.setattr(kinds, "_registry", lambda: {**real, ECHO.name: ECHO})
    done_items.clear()


def _start(*rules: str, request_key: str = "", **payload) -> BulkRun:
    return runs.start_run(
        kind=ECHO.name,
        options={"what": "tests"},
        items=[
            runs.ItemSpec(label=f"item {n}", payload={"rule": rule, **payload})
            for n, rule in enumerate(rules, start=1)
        ],
        actor=None,
        request_key=request_key,
    )


def test_a_run_is_created_whole_and_waits_for_workers():
    run = _start("ok", "ok", "ok")

    assert run.title == "Echoing tests"
    assert counts(run)["pending"] == 3
    # Drain tasks, twice the kind's bound of 2 but no more than the items, queued only
    # once the run had committed.
    assert queued() == 3
    assert BulkRun.objects.get(pk=run.pk).drained_at is not None


def test_drain_does_every_item_once_and_finishes_the_run():
    run = _start("ok", "ok", "ok")

    engine.drain(run.pk)

    run.refresh_from_db()
    assert run.finished_at is not None
    assert sorted(done_items) == sorted(run.items.values_list("pk", flat=True))
    assert list(run.items.values_list("message", flat=True)) == [
        "Echoed item 1.",
        "Echoed item 2.",
        "Echoed item 3.",
    ]


def test_refusals_and_bugs_fail_their_item_with_a_reason_and_the_rest_go_on():
    run = _start("refuse", "crash", "ok")

    engine.drain(run.pk)

    failed = dict(run.items.filter(status=Status.FAILED).values_list("label", "message"))
    assert failed == {
        "item 1": "No, because the payload says so.",
        "item 2": engine.UNEXPECTED,
    }
    assert counts(run)["done"] == 1


def test_two_workers_never_claim_the_same_item_and_the_bound_holds():
    run = _start("ok", "ok", "ok")

    first = engine.claim(run.pk, ECHO)
    second = engine.claim(run.pk, ECHO)
    third = engine.claim(run.pk, ECHO)

    assert first.pk != second.pk
    assert third is engine.BUSY  # the kind allows two at once


def test_an_item_ends_once_even_when_a_presumed_dead_worker_comes_back():
    run = _start("ok")
    lost = engine.claim(run.pk, ECHO)
    BulkItem.objects.filter(pk=lost.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    released = sweeper.release_expired_leases()
    taken_over = engine.claim(run.pk, ECHO)
    engine.process(taken_over, ECHO, runs.Actor())
    late = engine.process(lost, ECHO, runs.Actor())

    item = BulkItem.objects.get(pk=lost.pk)
    assert released == 1
    assert taken_over.pk == lost.pk
    assert taken_over.attempts == 2
    assert item.status == Status.DONE
    assert item.attempts == 2
    assert late == Status.DONE  # it did its work, but could not end the item again
    assert BulkItem.objects.filter(pk=lost.pk, lease_token=lost.lease_token).count() == 0


def test_an_item_whose_worker_keeps_dying_fails_with_the_reason():
    run = _start("ok")
    BulkItem.objects.filter(run=run).update(
        status=Status.RUNNING,
        attempts=engine.MAX_ATTEMPTS,
        lease_token="gone",  # noqa: S106 - a lease id, not a secret
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    sweeper.sweep()

    item = run.items.get()
    assert item.status == Status.FAILED
    assert "stopped 5 times" in item.message
    run.refresh_from_db()
    assert run.finished_at is not None


def test_a_run_whose_tasks_were_lost_is_drained_again_by_the_sweeper(settings, sync_tasks):
    settings.BULK_STALL_SECONDS = 0
    with pytest.MonkeyPatch.context() as patch:
        # The broker takes the tasks and loses them: nothing drains the run.
        patch.setattr(engine, "async_task", lambda *args, **kwargs: None)
        run = _start("ok", "ok")
    assert counts(run)["pending"] == 2

    result = sweeper.sweep()

    run.refresh_from_db()
    assert result["drained"] == 1
    assert run.finished_at is not None
    assert counts(run)["done"] == 2


def test_the_sweeper_leaves_a_run_alone_while_a_worker_holds_an_item(settings):
    settings.BULK_STALL_SECONDS = 0
    run = _start("ok", "ok")
    get_broker("bulk").purge_queue()
    engine.claim(run.pk, ECHO)

    result = sweeper.sweep()

    assert result["drained"] == 0
    assert queued() == 0


def test_rate_limited_item_waits_for_retry_after_then_runs():
    run = _start("slow_down", after=2)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        # Time passes; Maventa is ready again.
        BulkItem.objects.filter(run=run).update(not_before=timezone.now(), payload={"rule": "ok"})

    engine.drain(run.pk, sleep=sleep)

    item = run.items.get()
    assert item.status == Status.DONE
    assert 1.0 <= slept[0] <= 2.0
    assert item.attempts == 2


def test_rate_limited_past_the_budget_is_left_to_a_schedule():
    from django_q.models import Schedule

    run = _start("slow_down", after=600)

    engine.drain(run.pk, budget=5)

    item = run.items.get()
    assert item.status == Status.PENDING
    assert "asked us to slow down" in item.message
    schedule = Schedule.objects.get(func=engine.DRAIN_TASK)
    assert 590 <= (schedule.next_run - timezone.now()).total_seconds() <= 601


def test_a_spent_budget_hands_over_to_a_fresh_task():
    run = _start("ok", "ok")
    get_broker("bulk").purge_queue()

    engine.drain(run.pk, budget=0)

    assert counts(run)["pending"] == 2
    assert queued() == 1


def test_the_same_form_sent_twice_starts_one_run():
    first = _start("ok", request_key="form-1")
    second = _start("ok", request_key="form-1")

    assert first.pk == second.pk
    assert BulkRun.objects.count() == 1
    assert BulkItem.objects.count() == 1


@pytest.mark.slow
def test_with_the_broker_down_nothing_is_started(monkeypatch):
    from django_q.brokers.redis_broker import Redis

    class Unreachable(Redis):
        @staticmethod
        def get_connection(list_key=None):
            import redis

            return redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)

    monkeypatch.setattr(runs, "get_broker", lambda: Unreachable(list_key="bulk"))

    with pytest.raises(PortalError, match="task queue does not answer"):
        _start("ok")

    assert not BulkRun.objects.exists()
    assert not BulkItem.objects.exists()


def test_retry_failed_puts_only_failures_back_with_new_options():
    run = _start("refuse", "ok")
    engine.drain(run.pk)
    BulkItem.objects.filter(run=run, status=Status.FAILED).update(payload={"rule": "ok"})

    count = runs.retry_failed(run=run, actor=None, options={"what": "again"})
    engine.drain(run.pk)

    run.refresh_from_db()
    assert count == 1
    assert run.title == "Echoing again"
    assert counts(run)["done"] == 2
    assert run.finished_at is not None


def test_new_run_from_failed_takes_the_failures_only():
    run = _start("refuse", "ok", "refuse")
    engine.drain(run.pk)

    new = runs.new_run_from_failed(run=run, actor=None)

    assert new.parent == run
    assert list(new.items.values_list("label", flat=True)) == ["item 1", "item 3"]
    assert counts(new)["pending"] == 2


def test_counts_never_show_a_full_green_bar_when_most_failed():
    run = _start(*(["refuse"] * 24 + ["ok"]))
    engine.drain(run.pk)

    found = counts(run)

    assert (found["done"], found["failed"]) == (1, 24)
    assert (found["done_percent"], found["failed_percent"]) == (4, 96)
    assert found["percent"] == 100


def test_secrets_of_items_are_stored_encrypted():
    run = runs.start_run(
        kind=ECHO.name,
        options={},
        items=[runs.ItemSpec(label="with key", secret="very-secret-key")],  # noqa: S106
        actor=None,
    )

    item = run.items.get()
    assert "very-secret-key" not in item.secret_payload
    assert runs.item_secret(item) == "very-secret-key"


def test_a_live_worker_keeps_its_item_past_the_lease(settings):
    settings.BULK_LEASE_SECONDS = 1
    run = _start("long", seconds=2.5)
    seen.clear()

    engine.drain(run.pk)

    item = run.items.get()
    assert seen == [0]  # nothing released while the worker lived
    assert item.status == Status.DONE
    assert item.attempts == 1
