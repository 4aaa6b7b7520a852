"""The inventory lock is re-entrant in one thread (`shadowai scan` runs each source's command under its own
lock) and exclusive across threads and processes."""

import threading

import pytest

from scanner.inventory.lock import DatabaseLock, LockNotAcquired
from tests.support.lock_holder import lock_held_elsewhere


def test_the_holder_may_take_the_lock_again_and_keeps_it_until_the_outer_release(db_path):
    outer = DatabaseLock(db_path).__enter__()
    with DatabaseLock(db_path, wait=0):  # a source's command inside `shadowai scan`
        pass
    outcome = []

    def other():
        try:
            with DatabaseLock(db_path, wait=0):
                outcome.append("acquired")
        except LockNotAcquired:
            outcome.append("refused")

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["refused"]  # the inner release did not free the outer hold
    outer.__exit__(None, None, None)
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["refused", "acquired"]


def test_another_thread_of_the_same_process_waits_like_another_process(db_path):
    with lock_held_elsewhere(db_path):
        with pytest.raises(LockNotAcquired, match="inventory is locked by pid"):
            DatabaseLock(db_path, wait=0.2).__enter__()
