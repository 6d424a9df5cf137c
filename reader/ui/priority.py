"""Background threads give way to the GUI thread for the processor.

On a machine whose cores are all busy (a big load parses in worker processes), a loader or
query thread at the GUI thread's priority takes turns with it, and the window stutters.
On Linux each thread has its own nice value; elsewhere this does nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

#: The nice value of background threads (the GUI thread keeps its own, usually 0).
BACKGROUND_NICE = 10


def lower_this_thread(nice: int = BACKGROUND_NICE) -> None:
    """Give the calling thread a lower priority (a higher nice value), if the system has
    per-thread priorities. Never raises."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere a thread id is not a process id: setpriority would miss, or worse
    try:
        thread = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, thread) < nice:
            os.setpriority(os.PRIO_PROCESS, thread, nice)
    except OSError as error:  # e.g. a sandbox that forbids it: run as we are
        log.debug("cannot lower the priority of a background thread: %s", error)
