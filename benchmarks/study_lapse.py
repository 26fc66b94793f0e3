"""Lapse-rate study: which ideal-point model predicts withheld votes best, and so the default lapse.

Run by hand (never from the test suite):

    python benchmarks/study_lapse.py                  # ../shared/data beside the repo, 2 processes
    python benchmarks/study_lapse.py --seeds 0 --jobs 1

For each chamber (the US Senate, 114th-117th Congress, from Voteview; the 23 Brexit
divisions of the 2019 Commons, member-level records) and each lapse rate ε of the grid
(ε = 0 is the plain probit; ε > 0 the robust model P(Aye) = ε + (1 - 2ε)·Φ(α + βx)),
``cross_validate`` runs a 5-fold cross-validation of withheld votes (1-D, the fit's default
drops; folds stratified by member): every cast vote is withheld once, predicted from the
fit to the other folds, and scored by accuracy (the side with P > 1/2) and by its
log-likelihood (log P(vote as cast)). Seed 0 gives the full tables, with standard errors
across folds and paired differences against the plain model; seeds 1 and 2 repeat the
cross-validation on other splits, and the default is chosen from the mean over all the
seeds: the rate whose held-out log-likelihood falls least short of the best rate's, in the
chamber where it falls shortest (the smallest worst-case regret). Log-likelihood, a proper
score, is the criterion: the fitted probabilities are what the bootstrap and the spatial
analyses use, and accuracy cannot see a confident miss.

Figures go to ``benchmarks/results/lapse.md`` (and are printed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from _common import machine_info, machine_section, write_report

from tellers.parliament.preferences.idealpoints.crossval import CrossValidation, cross_validate
from tellers.records.readers import load_records
from tellers.records.rollcalls import MemberVotes

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
GRID = (0.0, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05)
SENATE = ("S114", "S115", "S116", "S117")


def chambers(data: Path) -> dict[str, tuple[str, MemberVotes]]:
    """Each chamber's member-level votes, with a description."""
    out = {}
    for congress in SENATE:
        path = data / "voteview-senate" / f"{congress}_votes.csv"
        if path.is_file():  # the reader picks up S11x_members.csv and S11x_rollcalls.csv beside it
            out[congress] = (f"US Senate, {congress[1:]}th Congress (Voteview)", MemberVotes.from_records(load_records(path)))
    path = data / "commons-2019-brexit" / "brexit_parliament.csv"
    if path.is_file():
        out["Commons 2019"] = ("UK Commons, the 23 Brexit divisions of 2019", MemberVotes.from_records(load_records(path)))
    return out


def lapse_label(lapse: float) -> str:
    return "0 (plain)" if lapse == 0 else f"{lapse:g}"


def pm(value: float, se: float, digits: int = 4) -> str:
    return f"{value:.{digits}f} ± {se:.{digits}f}"


def signed(value: float, se: float, digits: int = 4) -> str:
    return f"{value:+.{digits}f} ± {se:.{digits}f}"


def chamber_table(name: str, what: str, runs: dict[float, CrossValidation]) -> tuple[list[str], float, float]:
    """The seed-0 table of one chamber; its winners by log-likelihood and by accuracy."""
    plain = runs[0.0]
    first = plain
    best_ll = max(runs, key=lambda lapse: (runs[lapse].log_likelihood, -lapse))
    best_acc = max(runs, key=lambda lapse: (runs[lapse].accuracy, -lapse))
    lines = [
        f"### {name}: {what}",
        "",
        f"{len(first.ids)} members x {len(first.votes)} divisions scaled; {int(first.withheld.sum()):,} votes cast, "
        f"each withheld once ({', '.join(f'{int(w):,}' for w in first.withheld)} per fold).",
        "",
        "| lapse ε | held-out accuracy | held-out log-likelihood per vote | Δ log-likelihood vs plain (paired) "
        "| Δ accuracy vs plain (paired) | worst withheld vote: log P | in-sample accuracy |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for lapse, cv in runs.items():
        dll, dll_se, dacc, dacc_se = cv.compare(plain)
        mark = lambda best, text: f"**{text}**" if lapse == best else text  # noqa: E731
        delta = ("", "") if lapse == 0 else (signed(dll, dll_se), signed(dacc, dacc_se))
        lines.append(
            f"| {lapse_label(lapse)} | {mark(best_acc, pm(cv.accuracy, cv.accuracy_se))} | "
            f"{mark(best_ll, pm(cv.log_likelihood, cv.log_likelihood_se))} | {delta[0]} | {delta[1]} | "
            f"{np.nanmin(cv.log_cast):.1f} | {cv.in_sample_correct:.4f} |"
        )
    notes = []
    member_fb = int(first.member_fallbacks.sum())
    vote_fb = {lapse: int(cv.vote_fallbacks.sum()) for lapse, cv in runs.items()}
    if any(vote_fb.values()):
        notes.append(f"{max(vote_fb.values())} withheld votes were in divisions unanimous among a fold's training votes, "
                     "predicted by their smoothed share of Ayes for every model")
    if member_fb:
        notes.append(f"{member_fb} withheld votes of members left with no training vote (placed at 0)")
    unconverged = {lapse: int((~cv.converged).sum()) for lapse, cv in runs.items() if not cv.converged.all()}
    if unconverged:
        notes.append("folds not converged: " + ", ".join(f"ε {lapse_label(k)}: {v}" for k, v in unconverged.items()))
    dll, dll_se, _, _ = runs[best_ll].compare(plain)
    lines += [
        "",
        f"Winner by held-out log-likelihood: **ε = {lapse_label(best_ll)}** ({runs[best_ll].log_likelihood:.4f}; "
        f"{signed(dll, dll_se)} over the plain model). By accuracy: ε = {lapse_label(best_acc)} "
        f"({runs[best_acc].accuracy:.4f}, plain {plain.accuracy:.4f})." + (f" Notes: {'; '.join(notes)}." if notes else ""),
        "",
    ]
    return lines, best_ll, best_acc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="fold splits; the first gives the full tables")
    parser.add_argument("--lapses", type=float, nargs="+", default=list(GRID))
    parser.add_argument("--jobs", type=int, default=2, help="processes (one fold each)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "lapse.md")
    args = parser.parse_args(argv)
    lapses = sorted(set([0.0, *args.lapses]))
    load = os.getloadavg()
    start = time.perf_counter()
    info = machine_info(
        {"numpy": np.__version__, "scipy": version("scipy")},
        {"load average at start (1 / 5 / 15 min)": " / ".join(f"{v:.2f}" for v in load)},
    )
    data = chambers(args.data)
    if not data:
        print(f"no data under {args.data}: give --data", file=sys.stderr)
        return 1

    results: dict[str, dict[int, dict[float, CrossValidation]]] = {}
    for name, (_, votes) in data.items():
        results[name] = {}
        for seed in args.seeds:
            t = time.perf_counter()
            results[name][seed] = {lapse: cross_validate(votes, lapse=lapse, folds=args.folds, seed=seed, n_jobs=args.jobs)
                                   for lapse in lapses}
            row = results[name][seed]
            print(f"{name} seed {seed}: {time.perf_counter() - t:.1f}s; "
                  + " ".join(f"{k:g}:{v.log_likelihood:.4f}/{v.accuracy:.4f}" for k, v in row.items()), flush=True)
    elapsed = time.perf_counter() - start

    first_seed = args.seeds[0]
    lines = [
        "# Lapse-rate study: held-out prediction of votes",
        "",
        f"Written by `benchmarks/study_lapse.py`. {args.folds}-fold cross-validation of withheld votes "
        "(`tellers.parliament.preferences.idealpoints.crossval.cross_validate`): 1-D fits with the default drops; "
        "every cast vote (Aye or No) withheld once, in folds stratified by member, and predicted from the fit to the "
        "other folds. Accuracy: the share of withheld votes on the side the model gives P > 1/2. Log-likelihood: "
        "the mean of log P(vote as cast) per withheld vote (higher is better; 0 would be certainty). "
        "± is the standard error across the folds (sd / √k); the Δ columns are paired fold by fold against the "
        "plain model (the same folds for every model), so they are far more precise than either model's own "
        "standard error. Bold: the chamber's best.",
        "",
    ]
    lines += machine_section(info)
    lines += [f"## Held-out figures (fold split seed {first_seed})", ""]
    winners = {}
    for name, (what, _) in data.items():
        table, best_ll, best_acc = chamber_table(name, what, results[name][first_seed])
        lines += table
        winners[name] = (best_ll, best_acc)

    # the choice: mean over seeds of each chamber's held-out log-likelihood; regret against the best rate
    mean_ll = {name: {lapse: float(np.mean([results[name][s][lapse].log_likelihood for s in args.seeds])) for lapse in lapses}
               for name in data}
    mean_acc = {name: {lapse: float(np.mean([results[name][s][lapse].accuracy for s in args.seeds])) for lapse in lapses}
                for name in data}
    regret = {name: {lapse: max(v.values()) - v[lapse] for lapse in lapses} for name, v in mean_ll.items()}
    worst = {lapse: max(regret[name][lapse] for name in data) for lapse in lapses}
    chosen = min(lapses, key=lambda lapse: (worst[lapse], lapse))
    seeds = ", ".join(str(s) for s in args.seeds)
    lines += [
        f"## Choosing the default (mean over fold splits {seeds})",
        "",
        "Shortfall of each rate's held-out log-likelihood per vote from the best rate's in each chamber, in "
        "thousandths (mean over the splits; 0 marks the chamber's best rate), and the worst shortfall over the chambers.",
        "",
        "| lapse ε | " + " | ".join(data) + " | worst |",
        "|---|" + "---:|" * (len(data) + 1),
    ]
    for lapse in lapses:
        cells = [f"{1000 * regret[name][lapse]:.2f}" for name in data]
        worst_cell = f"{1000 * worst[lapse]:.2f}"
        if lapse == chosen:
            worst_cell = f"**{worst_cell}**"
        lines.append(f"| {lapse_label(lapse)} | " + " | ".join(cells) + f" | {worst_cell} |")
    best_by_seed = {name: [max(lapses, key=lambda lapse: results[name][s][lapse].log_likelihood) for s in args.seeds]
                    for name in data}
    lines += [
        "",
        "Best rate by held-out log-likelihood in each split: "
        + "; ".join(f"{name} {', '.join(f'{b:g}' for b in best)}" for name, best in best_by_seed.items()) + ".",
        "",
        f"**Default: ε = {chosen:g}**, the rate with the smallest worst shortfall ({1000 * worst[chosen]:.2f} thousandths "
        f"of a nat per vote; the plain model's: {1000 * worst[0.0]:.1f}).",
        "",
        "## Summary: the plain model against the default",
        "",
        f"Mean over fold splits {seeds}.",
        "",
        "| chamber | plain: accuracy | plain: log-likelihood | "
        f"ε = {chosen:g}: accuracy | ε = {chosen:g}: log-likelihood | best ε by log-likelihood (split {first_seed}) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in data:
        lines.append(
            f"| {name} | {mean_acc[name][0.0]:.4f} | {mean_ll[name][0.0]:.4f} | {mean_acc[name][chosen]:.4f} | "
            f"{mean_ll[name][chosen]:.4f} | {winners[name][0]:g} |"
        )
    lines += [
        "",
        f"Wall-clock time of the study: {elapsed:.0f} s ({len(data)} chambers x {len(lapses)} models x "
        f"{len(args.seeds)} splits x {args.folds} folds, in {args.jobs} process{'es' if args.jobs > 1 else ''}). "
        f"Load average at the end (1 / 5 / 15 min): {' / '.join(f'{v:.2f}' for v in os.getloadavg())}.",
        "",
    ]
    text = write_report(args.out, lines)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
