"""Running a study's chunks: in this process, on a local Dask cluster, or on a scheduler.

Whoever runs them, chunk i is drawn from the study's seed's child i and the tallies are
whole numbers summed over every chunk, so the figures are the same with one worker, many,
or a cluster's (:mod:`.study`). Results stream back as chunks finish; ``progress(1)`` is
called after each.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator

from tellers.ballots.simulate.measures import Tally
from tellers.ballots.simulate.study import Study, run_chunk, seeds
from tellers.errors import SimulationError, TellersError

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a scheduler before saying it cannot be reached."""


def chunk_tallies(
    study: Study, workers: int = 1, scheduler: str | None = None, progress: Callable[[int], None] | None = None,
) -> list[list[Tally]]:
    """Every chunk's tallies, in chunk order."""
    if workers < 1:
        raise SimulationError("--workers must be 1 or more")
    found: dict[int, list[Tally]] = {}
    if scheduler is None and workers == 1:
        results = (run_chunk(study, i, seed) for i, seed in enumerate(seeds(study)))
    else:
        results = _on_dask(study, workers, scheduler)
    for index, tallies in results:
        found[index] = tallies
        if progress is not None:
            progress(1)
    return [found[i] for i in range(len(found))]


def reachable(scheduler: str) -> None:
    """Check that ``scheduler`` is a Dask scheduler that answers within seconds, before
    Dask's client tries (it retries for longer, waits forever on a server that is not Dask's,
    and a failed client leaves threads that outlive the command)."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(scheduler if "://" in scheduler else f"tcp://{scheduler}")
    try:
        host, port = where.hostname, where.port
    except ValueError:
        host = port = None
    if where.scheme not in ("tcp", "tls") or not host or not port:
        raise SimulationError(f"--scheduler {scheduler}: not a scheduler address; give tcp://HOST:PORT "
                              "(as `dask scheduler` prints it)")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise SimulationError(
            f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT:g} s ({exc.strerror or exc}); "
            "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or drop --scheduler to run here"
        ) from None
    try:
        answer = asyncio.run(_identity(f"{where.scheme}://{host}:{port}"))
    except (OSError, TimeoutError, ValueError, TypeError):
        answer = None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise SimulationError(f"{scheduler} answers, but not as a Dask scheduler; give the address `dask scheduler` "
                              "prints")


async def _identity(address: str) -> object:
    """What the server at ``address`` says it is, asked in Dask's protocol, each step within
    :data:`CONNECT_TIMEOUT` (Dask's own client waits forever on a server that is not Dask)."""
    from distributed.comm import connect

    comm = await asyncio.wait_for(connect(address, timeout=CONNECT_TIMEOUT), CONNECT_TIMEOUT)
    try:
        await asyncio.wait_for(comm.write({"op": "identity"}), CONNECT_TIMEOUT)
        return await asyncio.wait_for(comm.read(), CONNECT_TIMEOUT)
    finally:
        comm.abort()


def local_cluster(workers: int):
    """A Dask cluster of ``workers`` single-threaded processes on this machine.

    Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_`` set, which turns off
    glibc's adaptive thresholds: every large numpy temporary is then mapped afresh and faulted
    in, and a chunk took 1.7x as long as in this process. The workers here keep the other
    settings (one BLAS thread each) and glibc's defaults."""
    import dask
    from dask.distributed import LocalCluster

    environ = {key: value for key, value in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
               if not key.startswith("MALLOC_")}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                            silence_logs=logging.ERROR)


def _on_dask(study: Study, workers: int, scheduler: str | None) -> Iterator[tuple[int, list[Tally]]]:
    """The chunks run as Dask tasks, yielded as each finishes."""
    if scheduler is not None:
        reachable(scheduler)
    from dask.distributed import Client, as_completed

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler is None:
        cluster = local_cluster(workers)
        address = cluster
    else:
        cluster, address = None, scheduler
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        with client:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except (TimeoutError, OSError):
                raise SimulationError(f"the Dask scheduler at {scheduler or 'the local cluster'} has no workers after {CONNECT_TIMEOUT:g} s; "
                                      "start some with `dask worker ADDRESS`") from None
            shared = client.scatter(study, broadcast=True)
            futures = [client.submit(run_chunk, shared, i, seed, pure=False) for i, seed in enumerate(seeds(study))]
            for future in as_completed(futures, loop=client.loop):
                try:
                    found = future.result()
                except TellersError:
                    raise
                except Exception as exc:  # a worker's own failure: say what the workers need
                    raise SimulationError(
                        f"a Dask worker failed on a chunk ({type(exc).__name__}: {exc}); every worker needs this "
                        "version of tellers and its dependencies installed, and memory for a chunk (see --chunk)"
                    ) from None
                yield found
    finally:
        if cluster is not None:
            cluster.close()
