import threading

from django.db import connection


def run_in_parallel(function, times: int) -> list:
    """Call ``function`` from ``times`` threads released at once; their results, in no order.

    Each thread has its own database connection and transaction, as parallel
    requests or workers would. An exception is returned as the thread's result.
    """
    barrier = threading.Barrier(times)
    results = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            outcome = function()
        except Exception as error:
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
