"""dask.distributed clusters for the `--engine dask` tests, on loopback only.

``local_cluster``: a LocalCluster of worker processes bound to 127.0.0.1, with no dashboard. The workers' own
environment (also of a worker restarted after a kill) holds fake AWS credentials and no metadata service, so
s3fs on a worker talks only to the moto server a test names with ``--storage-option endpoint_url=…``.
``KillOnce`` is a worker plugin that kills its worker process (SIGKILL) the first time a task whose key
contains a given text starts executing: a worker lost mid-scan, at a known moment.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import warnings
from typing import Iterator

from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "testing-secret-not-real",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
}


@contextlib.contextmanager
def local_cluster(workers: int = 2, *, processes: bool = True) -> Iterator[Client]:
    options = {"env": FAKE_AWS} if processes else {}
    with warnings.catch_warnings():  # the scheduler's HTTP endpoint (no dashboard) moves off a port in use
        warnings.filterwarnings("ignore", message=r"Port \d+ is already in use")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, protocol="tcp://",
                               host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL, **options)
    client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


class KillOnce(WorkerPlugin):
    def __init__(self, key_part: str, marker: str) -> None:
        self.key_part = key_part
        self.marker = marker  # a file: the kill happens once across the cluster, restarts included

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and self.key_part in str(key) and not os.path.exists(self.marker):
            with open(self.marker, "w", encoding="utf-8") as handle:
                handle.write(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)


def fail_once(marker: str, value):
    """A task that raises the first time it runs anywhere, then returns ``value``."""
    if not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8"):
            pass
        raise RuntimeError("transient failure")
    return value


def always_fail():
    raise RuntimeError("permanent failure")
