"""The per-host slots hand out only URLs whose host may be visited now."""
import threading
import time

from flows.sitecheck.hosts import HostSlots


def test_a_busy_host_does_not_hold_up_the_others():
    slots = HostSlots(per_host=1, interval_s=0)
    slots.add(["http://a.ca/1", "http://a.ca/2", "http://b.ca/1"])
    first, second = slots.take(), slots.take()
    assert {first, second} == {"http://a.ca/1", "http://b.ca/1"}  # not a.ca twice
    taken = []
    waiter = threading.Thread(target=lambda: taken.append(slots.take()))
    waiter.start()
    time.sleep(0.05)
    assert taken == []  # a.ca is busy: nothing to hand out yet
    slots.release("a.ca")
    waiter.join(1)
    assert taken == ["http://a.ca/2"]
    assert slots.take() is None


def test_interval_between_two_starts_on_a_host():
    slots = HostSlots(per_host=2, interval_s=0.2)
    slots.add([f"http://a.ca/{n}" for n in range(2)])
    started = time.monotonic()
    slots.take()
    slots.take()
    assert time.monotonic() - started >= 0.2  # the second waited for the interval
    assert slots.take() is None


def test_kept_open_slots_wait_for_items_until_closed():
    slots = HostSlots(per_host=1, interval_s=0)
    slots.keep_open()
    taken = []
    waiter = threading.Thread(target=lambda: taken.extend([slots.take(), slots.take()]))
    waiter.start()
    time.sleep(0.05)
    assert taken == []  # nothing yet, but more may come: it waits instead of ending
    slots.add(["http://a.ca/1"])
    time.sleep(0.05)
    slots.close()
    waiter.join(1)
    assert taken == ["http://a.ca/1", None]
