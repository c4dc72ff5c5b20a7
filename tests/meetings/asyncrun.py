"""Run a coroutine to completion in a thread of its own.

The Playwright fixtures keep an event loop running in the test thread, where ``asyncio.run``
refuses to start; a fresh thread has none.
"""

from __future__ import annotations

import asyncio
import threading


def run_async(coroutine):
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test thread
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
