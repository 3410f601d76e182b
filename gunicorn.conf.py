"""gunicorn reads this file from its working directory (/app in the image) on every start.

Prometheus metrics across gunicorn's worker processes: each worker counts its own requests,
and a scrape of /metrics/ is answered by whichever worker accepts it. prometheus_client's
multiprocess mode has every worker write its counts to files in PROMETHEUS_MULTIPROC_DIR,
and the worker that answers a scrape adds up all of them (portal.metrics). The variable must
be set before a worker imports prometheus_client, so it is set here, in the master, before
any worker forks. Kubernetes points it at an emptyDir (deploy/kubernetes/base/web.yaml);
elsewhere a directory of this master's own under the temporary directory.
"""

import os
import shutil
import tempfile

from prometheus_client import multiprocess

_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(tempfile.gettempdir(), f"leerportaal-prometheus-{os.getpid()}"),
)


def on_starting(server):
    # Counts of an earlier run (a restarted container keeps its emptyDir) would be added to
    # this run's, and a counter that jumps confuses Prometheus's rate(): start empty.
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    # A worker that ended (max_requests, a crash, a reload) keeps its counted requests in
    # the sum; only its live gauges go.
    multiprocess.mark_process_dead(worker.pid, _metrics_dir)


def on_exit(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
