"""Ideal-point benchmark: fit time and accuracy, the bootstrap, and numpyro SVI on the same data.

Run by hand (never from the test suite):

    python benchmarks/bench_idealpoints.py                     # ../shared/data beside the repo
    python benchmarks/bench_idealpoints.py --numpyro-seconds 0 # skip the numpyro comparison

1. Simulated 1-D roll calls, 650 members x 5,000 votes, logistic responses, 10% missing
   (the test suite's simulation, seed 2019): ``fit_ideal_points`` (median of ``--repeats``
   runs), correlation with the true positions and with the oracle that knows the true
   vote parameters (each member's maximum-likelihood position given them); the EM
   variant (``method="em"``, emIRT's step) once, for its sweep count.
2. The 23 Brexit divisions of 2019 (member-level records): the fit, the 100-replicate
   parametric bootstrap of positions and cut points in one and two processes, and the
   spatial bootstrap (100 replicates: scale, options and Condorcet winner) of the
   1 April question.
3. The US Senate, 114th-117th Congress (Voteview): fit time and correlation with the
   published DW-NOMINATE first dimension, plain probit and robust (lapse 3%).
4. numpyro SVI (benchmark-only dependency: ``pip install numpyro``; not a tellers
   dependency) on the data of 1: the same two-parameter model with a logistic link
   (the simulation's own), priors x ~ N(0, 1), a, b ~ N(0, 5²), an AutoNormal guide and
   Adam (step 0.05), on CPU; the correlation of the guide's mean positions with the truth
   is measured every ``--numpyro-every`` steps until ``--numpyro-seconds`` have passed
   (compilation included in the time).

Figures go to ``benchmarks/results/idealpoints.md`` (and are printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
from _common import machine_info, machine_section, write_report

from tellers.parliament.cases import COMMONS_2019, case_from_records
from tellers.parliament.head_to_head import SpatialSettings, analyse_majority
from tellers.parliament.catalogue import load_catalogue
from tellers.parliament.preferences.idealpoints import bootstrap_ideal_points, fit_ideal_points
from tellers.parliament.preferences.simulate import oracle_positions as oracle, simulate_rollcalls
from tellers.records.rollcalls import MemberVotes
from tellers.records.readers import load_records

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
SIM_END = "<!-- end of the simulated table -->"


def simulate(n: int = 650, m: int = 5000, missing: float = 0.1, seed: int = 2019):
    """The 1-D case of the tests' simulation: true x, a, b and votes (1, 0, NaN)."""
    x, a, b, y = simulate_rollcalls(n, m, missing=missing, seed=seed)
    return x[:, 0], a, b[:, 0], y


def timed(fn, repeats: int = 1):
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), result


def corr(u: np.ndarray, v: np.ndarray) -> float:
    return abs(float(np.corrcoef(u, v)[0, 1]))


def numpyro_svi(y: np.ndarray, truth: np.ndarray, seconds: float, every: int) -> dict:
    """SVI on the 2PL logistic model; correlation of the guide's mean positions over time."""
    import jax
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.infer import SVI, Trace_ELBO
    from numpyro.infer.autoguide import AutoNormal

    n, m = y.shape
    ii, jj = np.nonzero(~np.isnan(y))
    obs = jnp.asarray(y[ii, jj])
    ii, jj = jnp.asarray(ii), jnp.asarray(jj)

    def model():
        x = numpyro.sample("x", dist.Normal(0.0, 1.0).expand([n]).to_event(1))
        a = numpyro.sample("a", dist.Normal(0.0, 5.0).expand([m]).to_event(1))
        b = numpyro.sample("b", dist.Normal(0.0, 5.0).expand([m]).to_event(1))
        numpyro.sample("y", dist.Bernoulli(logits=a[jj] + b[jj] * x[ii]), obs=obs)

    guide = AutoNormal(model)
    svi = SVI(model, guide, numpyro.optim.Adam(0.05), Trace_ELBO())
    start = time.perf_counter()
    state = svi.init(jax.random.PRNGKey(0))

    @jax.jit
    def run(state):
        return jax.lax.fori_loop(0, every, lambda _, s: svi.update(s)[0], state)

    trace, steps = [], 0
    reached: dict[float, tuple[int, float]] = {}
    while True:
        state = run(state)
        steps += every
        x = np.asarray(svi.get_params(state)["x_auto_loc"])
        r = corr(x, truth)
        elapsed = time.perf_counter() - start
        trace.append((steps, elapsed, r))
        for level in (0.99, 0.999):
            if r >= level and level not in reached:
                reached[level] = (steps, elapsed)
        if elapsed >= seconds:
            break
    return {
        "jax": jax.__version__,
        "numpyro": numpyro.__version__,
        "device": str(jax.devices()[0]),
        "trace": trace,
        "reached": reached,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--numpyro-seconds", type=float, default=420.0)
    parser.add_argument("--numpyro-every", type=int, default=100)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "idealpoints.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()

    lines = ["# Ideal-point benchmark", "", "Written by `benchmarks/bench_idealpoints.py`. Wall-clock seconds "
             f"(`time.perf_counter`); tellers fits are the median of {args.repeats} runs (minimum shown too).", ""]
    versions = {"numpy": np.__version__, "scipy": version("scipy")}
    try:
        versions["numpyro"] = version("numpyro")
        versions["jax"] = version("jax")
    except PackageNotFoundError:
        pass
    info = machine_info(versions, {"load average at start (1 / 5 / 15 min)": " / ".join(f"{v:.2f}" for v in load)})
    lines += machine_section(info)

    # 1. simulated
    truth, a, b, y = simulate()
    med, low, fit = timed(lambda: fit_ideal_points(y), args.repeats)
    r_ours = corr(fit.positions[:, 0], truth)
    t_oracle, _, x_oracle = timed(lambda: oracle(y, a, b))
    r_oracle = corr(x_oracle, truth)
    t_em, _, em = timed(lambda: fit_ideal_points(y, method="em", max_iter=3000))
    print(f"simulated: {med:.2f}s (min {low:.2f}), {fit.iterations} sweeps, r={r_ours:.5f}; oracle r={r_oracle:.5f}; "
          f"EM {t_em:.1f}s {em.iterations} sweeps", flush=True)
    lines += [
        "## Simulated roll calls: 650 members x 5,000 votes, 1-D, logistic responses, 10% missing",
        "",
        "| estimator | time (s) | sweeps | correlation with the true positions |",
        "|---|---:|---:|---:|",
        f"| tellers `fit_ideal_points` (probit, Newton steps; median, min) | {med:.2f} ({low:.2f}) | {fit.iterations} | {r_ours:.5f} |",
        f"| tellers `method=\"em\"` (emIRT's EM step, same posterior mode) | {t_em:.1f} | {em.iterations}{'' if em.converged else ' (not converged)'} | {corr(em.positions[:, 0], truth):.5f} |",
        f"| oracle: each member's MLE given the true vote parameters | {t_oracle:.2f} | | {r_oracle:.5f} |",
        SIM_END,
    ]
    sim_rows: list[str] = []
    sim_notes: list[str] = []

    lines.append("")

    # 2. Brexit
    brexit = args.data / "commons-2019-brexit"
    if brexit.is_dir():
        catalogue = load_catalogue(COMMONS_2019 / "options.toml")
        records = load_records(brexit)
        votes = MemberVotes.from_records(records).with_parties(catalogue.party_aliases)
        t_fit, t_fit_min, bfit = timed(lambda: fit_ideal_points(votes, anchor="Conservative"), args.repeats)
        t_b1, _, _ = timed(lambda: bootstrap_ideal_points(bfit, 100, seed=0, n_jobs=1))
        t_b2, _, _ = timed(lambda: bootstrap_ideal_points(bfit, 100, seed=0, n_jobs=2))
        case = case_from_records(records, catalogue, "records")
        q = catalogue.questions["1apr"]
        options = [catalogue.option(o) for o in q.options]

        def spatial(jobs: int):
            return analyse_majority(case.patterns, options, case.divisions, party_aliases=catalogue.party_aliases,
                                    infer="spatial", spatial=SpatialSettings(votes, anchor="Conservative", bootstrap=100, n_jobs=jobs))

        t_s1, _, sp = timed(lambda: spatial(1))
        t_s2, _, _ = timed(lambda: spatial(2))
        shares = ", ".join(f"{k} {v:.0%}" for k, v in sp.condorcet_shares.items() if v)
        print(f"brexit: fit {t_fit:.3f}s; bootstrap {t_b1:.2f}s / {t_b2:.2f}s; spatial {t_s1:.2f}s / {t_s2:.2f}s", flush=True)
        lines += [
            "## The 23 Brexit divisions of 2019 (650 members; 638 placed)",
            "",
            "| task | 1 process (s) | 2 processes (s) |",
            "|---|---:|---:|",
            f"| fit, 1-D ({bfit.iterations} sweeps; {bfit.correct:.1%} correctly classified, APRE {bfit.apre:.3f}; median, min) | {t_fit:.3f} ({t_fit_min:.3f}) | |",
            f"| parametric bootstrap, 100 replicates (positions and cut points) | {t_b1:.2f} | {t_b2:.2f} |",
            f"| spatial analysis of 1 April with 100 bootstrap replicates (scale, 5 options, Condorcet winner) | {t_s1:.2f} | {t_s2:.2f} |",
            "",
            f"Condorcet winner in the spatial bootstrap: {shares}.",
            "",
        ]

    # 3. Senate
    senate = args.data / "voteview-senate"
    if senate.is_dir():
        import csv

        lines += ["## US Senate (Voteview): correlation with published DW-NOMINATE dimension 1", "",
                  "| congress | members x votes scaled | plain: time (s) | plain: r | robust (lapse 3%): time (s) | robust: r |",
                  "|---|---|---:|---:|---:|---:|"]
        for congress in ("S114", "S115", "S116", "S117"):
            v = MemberVotes.from_records(load_records(senate / f"{congress}_votes.csv"))
            with open(senate / f"{congress}_members.csv", newline="", encoding="utf-8") as f:
                nominate = {r["icpsr"]: float(r["nominate_dim1"]) for r in csv.DictReader(f) if r["nominate_dim1"]}
            row = [congress]
            for lapse in (0.0, 0.03):
                t, _, sfit = timed(lambda: fit_ideal_points(v, anchor="Republican", lapse=lapse), args.repeats)
                keep = [i for i, m in enumerate(sfit.ids) if m in nominate]
                r = corr(sfit.positions[keep, 0], np.array([nominate[sfit.ids[i]] for i in keep]))
                if lapse == 0.0:
                    row.append(f"{sfit.num_members} x {len(sfit.votes)}")
                row += [f"{t:.2f}", f"{r:.4f}"]
            lines.append("| " + " | ".join(row) + " |")
            print(" ".join(row), flush=True)
        lines.append("")

    # 4. numpyro on the same data (last: JAX starts threads, and the bootstraps above fork)
    if args.numpyro_seconds > 0:
        try:
            res = numpyro_svi(y, truth, args.numpyro_seconds, args.numpyro_every)
        except ImportError as exc:
            sim_notes += [f"numpyro not run: {exc}."]
        else:
            steps, elapsed, r_final = res["trace"][-1]
            r99 = res["reached"].get(0.99)
            r999 = res["reached"].get(0.999)
            fmt = lambda hit: "not reached" if hit is None else f"{hit[1]:.0f} s ({hit[0]:,} steps)"  # noqa: E731
            sim_rows.append(
                f"| numpyro {res['numpyro']} SVI (jax {res['jax']}, {res['device']}; logistic link) | {elapsed:.0f} | "
                f"{steps:,} steps | {r_final:.5f} |"
            )
            best = max(res["trace"], key=lambda row: row[2])
            sim_notes += [f"numpyro SVI reached correlation 0.99 after {fmt(r99)} and 0.999 after {fmt(r999)}; "
                          f"its best, {best[2]:.5f}, after {best[1]:.0f} s ({best[0]:,} steps)"
                          + (f", below tellers' {r_ours:.5f}" if best[2] < r_ours else "")
                          + (f". To reach 0.999 numpyro needed {r999[1] / med:.0f} times tellers' {med:.2f} s." if r999 else "."),
                          "",
                          "numpyro's correlation over time (steps, seconds, correlation):", "",
                          "| steps | s | r |", "|---:|---:|---:|"]
            shown = res["trace"][:: max(1, len(res["trace"]) // 12)] + res["trace"][-1:]
            sim_notes += [f"| {s:,} | {t:.1f} | {r:.5f} |" for s, t, r in dict.fromkeys(shown)]
            print(f"numpyro: {elapsed:.0f}s {steps} steps r={r_final:.5f}; 0.99 at {r99}, 0.999 at {r999}", flush=True)
    at = lines.index(SIM_END)
    lines[at:at + 1] = sim_rows + [""] + sim_notes + [""]
    lines.append(f"Load average at the end (1 / 5 / 15 min): {' / '.join(f'{v:.2f}' for v in os.getloadavg())}.")
    lines.append("")
    text = write_report(args.out, lines)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
