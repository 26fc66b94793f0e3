"""The FastAPI application behind `tellers serve`."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Body, FastAPI, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware

from tellers.errors import NotFoundError, TellersError
from tellers.parliament.coalitions.house_power import house_power
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import House, open_house
from tellers.parliament.robustness import MODELS, QUICK_DRAWS
from tellers.parliament.titles import attribution, shown
from tellers.records.store import StoreBusyError
from tellers.views.report.colours import party_colour
from tellers.views.report.divisions import division_json, divisions_json
from tellers.parliament.robustness import assess
from tellers.views.report.coalitions import scenario_json as coalitions_scenario_json
from tellers.views.report.majority import majority_json
from tellers.views.report.options import options_json
from tellers.views.report.vega import EMBED_OPTIONS, javascript_bundle
from tellers.parliament import stances as stance_model
from tellers.views.web.answers import Answers
from tellers.views.web.guard import (
    BODY, COMMON, LOCAL_HOSTS, MAX_BODY, NOT_FOUND, BodyLimit, TokenGuard, hidden_paths, invalid_request, without_paths,
)

STATIC = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
"""The page's static files, by name: nothing else is served from the package."""

DivisionId = Annotated[str, PathParam(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$",
                                      description="A division id, as GET /api/divisions lists them (e.g. 667).")]


AVAILABLE = {"power": True, "whatif": True}
"""Which optional views the page shows."""

CompletionModel = Literal[tuple(MODELS)]  # type: ignore[valid-type]
"""A model of what the votes leave unsaid: those :mod:`tellers.parliament.robustness` offers."""
MAX_DRAWS = 100_000
"""Most completions one request may draw."""
MAX_SEED = 2**53 - 1
"""Largest seed: the largest whole number a JSON reader in a browser holds exactly."""


# --------------------------------------------------------------------------- request bodies


class StanceIn(BaseModel):
    """Every member of ``party`` votes ``vote`` on ``option``."""

    model_config = ConfigDict(extra="forbid")
    party: str = Field(min_length=1, max_length=120, examples=["Conservative"])
    option: str = Field(min_length=1, max_length=60, description="One of `options`: an option id, label or division id.", examples=["667"])
    vote: Literal["aye", "no", "abstain"]


class ScenarioIn(BaseModel):
    """Options to compare and the bloc stances to apply."""

    model_config = ConfigDict(extra="forbid")
    options: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        min_length=1, max_length=30, description="Options: division ids, option ids or labels, or a question id (27mar); "
        "at least two options in all.", examples=[["666", "667", "668", "669", "664"], ["27mar"]]
    )
    tested: Literal["latest", "earliest"] | None = None
    stances: list[StanceIn] = Field(default_factory=list, max_length=stance_model.MAX_STANCES)


LISTINGS = {
    "divisions": "GET /api/divisions lists them",
    "options": "GET /api/info lists them",
    "questions": "GET /api/info lists them",
}
"""How the web API words an error's hint at a listing (see TellersError.listing)."""

# --------------------------------------------------------------------------- power and what-ifs (tellers.parliament.coalitions)

def power_json(house: House, division: str) -> dict:
    """`tellers power --parties DIVISION --json`: each party's voting power in the house as it stood."""
    from tellers.views.report.coalitions import power_json as power_doc

    p = house_power(house, division)
    return power_doc(p.power, minimal=p.minimal, house=p.house, blocs=p.blocs)


def whatif_json(house: House, division: str) -> dict:
    """`tellers whatif DIVISION --json`: the fewest members whose votes flip the result."""
    from tellers.parliament.coalitions.whatif import whatif_division

    return whatif_division(house, division).to_dict()


# --------------------------------------------------------------------------- the app


def _static(name: str) -> str:
    return resources.files("tellers.views.web").joinpath("static", name).read_text(encoding="utf-8")


def create_app(db_path: Path | str | None = None, house: House | None = None, *,
               allowed_hosts: Sequence[str] = (), token: str | None = None) -> FastAPI:
    """The web app on the database at ``db_path`` (see :func:`tellers.parliament.house.open_house`), or on ``house``.

    It answers requests whose ``Host:`` is this machine's (:data:`LOCAL_HOSTS`) or one of
    ``allowed_hosts``; with ``token``, every /api/ request must carry it. The house's
    :attr:`~House.source` is reworded to name no folder: nothing the app says reveals a path.
    """
    house = house or open_house(Path(db_path) if db_path is not None else None)
    paths = hidden_paths(house)
    house.source = without_paths(house.source, paths)
    answers = Answers(house)
    page = _static("index.html")
    static = {name: _static(name) for name in STATIC}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        house.close()

    app = FastAPI(
        title="tellers",
        summary="Find the option a divided parliament can agree on.",
        description="The JSON API of `tellers serve`: the same documents as the CLI's --json. "
        f"Data: {house.source}.",
        version=_version(),
        lifespan=lifespan,
        # the interactive docs pages load their JavaScript from a CDN: the app loads nothing from the network
        docs_url=None,
        redoc_url=None,
    )
    app.state.house = house
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    if token:
        app.add_middleware(TokenGuard, token=token)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOCAL_HOSTS, *allowed_hosts])

    def error(status: int, exc: TellersError, headers: dict | None = None) -> JSONResponse:
        return JSONResponse({"detail": without_paths(exc.worded(LISTINGS), paths)}, status_code=status, headers=headers)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, exc)

    @app.exception_handler(StoreBusyError)
    async def busy(request: Request, exc: StoreBusyError) -> JSONResponse:
        return error(503, exc, {"Retry-After": "5"})

    @app.exception_handler(TellersError)
    async def bad_request(request: Request, exc: TellersError) -> JSONResponse:
        return error(400, exc)

    app.add_exception_handler(RequestValidationError, invalid_request)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:  # logged by the server; the client learns nothing
        return JSONResponse({"detail": "internal error"}, status_code=500)

    async def answer(compute: Callable[[], object], *inputs: Hashable) -> Response:
        """The JSON for these inputs: kept from an earlier request, else computed in a worker thread."""
        key = answers.key(*inputs)
        body = answers.kept(key)
        if body is None:
            body = await run_in_threadpool(answers.get, key, compute)
        return Response(body, media_type="application/json")

    # -- the page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/static/vega.js", include_in_schema=False)
    def vega_js() -> Response:
        return Response(javascript_bundle(), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str) -> Response:
        if name not in static:
            raise NotFoundError(f"no static file {name!r}")
        return Response(static[name], media_type=STATIC[name])

    # -- the API

    @app.get("/api/info", summary="What the app is serving: its title (chamber, period), data source, catalogue options and questions",
             response_model=dict, responses=COMMON)
    async def info() -> Response:
        def doc() -> dict:
            cat = house.catalogue
            what = shown(house)
            return {
                "title": what.title,
                "chamber": what.chamber,
                "period": what.period,
                "attribution": attribution(what.chambers),
                "source": house.source,
                "member_level": house.member_level,
                **options_json(house),
                "party_short": cat.party_short,
                "embed_options": EMBED_OPTIONS,
                "available": dict(AVAILABLE),
                "completions": {"models": dict(MODELS), "draws": QUICK_DRAWS, "seed": 0},
            }
        return await answer(doc, "info")

    @app.get("/api/divisions", summary="Every division: id, date, title, ayes and noes (`tellers divisions --json`)",
             response_model=list[dict], responses=COMMON)
    async def divisions() -> Response:
        return await answer(lambda: divisions_json(house.divisions()), "divisions")

    @app.get("/api/divisions/{division_id}", summary="One division, split by party (`tellers division ID --json`)",
             response_model=dict, responses={**COMMON, **NOT_FOUND})
    async def division(division_id: DivisionId) -> Response:
        return await answer(lambda: division_json(house.division(division_id), member_level=house.member_level),
                            "division", division_id)

    @app.get("/api/majority", summary="The head-to-head record of options (`tellers majority --json`)",
             response_model=dict, responses=COMMON)
    async def majority(
        options: Annotated[str, Query(min_length=1, max_length=600, description="Comma-separated options: division ids, option ids or labels, or a question id, e.g. 666,667,668 or 27mar.")],
        tested: Literal["latest", "earliest"] | None = None,
    ) -> Response:
        return await answer(lambda: majority_json(_as_bad_request(lambda: analyse_options(house, options, tested))),
                            "majority", options, tested)

    @app.get("/api/robustness", summary="How sure the head-to-head verdict is over the completions of what the votes "
             "leave unsaid (`tellers majority --completions MODEL --draws N --seed S --json`'s robustness, with the options' labels)",
             response_model=dict, responses=COMMON)
    async def robustness(
        options: Annotated[str, Query(min_length=1, max_length=600, description="Comma-separated options: division ids, option ids or labels, or a question id, e.g. 666,667,668 or 27mar; at least two.")],
        model: Annotated[CompletionModel, Query(description="How the completions are drawn: "
                                                + "; ".join(f"{k}, {v}" for k, v in MODELS.items()) + ".")] = "uniform",
        draws: Annotated[int, Query(ge=1, le=MAX_DRAWS, description="Completions to draw.")] = QUICK_DRAWS,
        seed: Annotated[int, Query(ge=0, le=MAX_SEED, description="Seed of the draws: the same seed, the same figures.")] = 0,
        tested: Literal["latest", "earliest"] | None = None,
    ) -> Response:
        return await answer(lambda: robustness_json(house, options, tested, model, draws, seed),
                            "robustness", options, tested, model, draws, seed)

    @app.get("/api/power", summary="Each party's voting power in a division (`tellers power --parties ID --json`)",
             response_model=dict, responses={**COMMON, **NOT_FOUND})
    async def power(division: Annotated[str, Query(min_length=1, max_length=40)]) -> Response:
        return await answer(lambda: power_json(house, house.require(division)), "power", division)

    @app.get("/api/whatif/{division_id}", summary="The fewest changed votes that flip a division (`tellers whatif ID --json`)",
             response_model=dict, responses={**COMMON, **NOT_FOUND})
    async def whatif(division_id: DivisionId) -> Response:
        return await answer(lambda: whatif_json(house, house.require(division_id)), "whatif", division_id)

    @app.post("/api/scenario", summary="Division results, head to head and party power with party stances applied "
              "(`tellers scenario --json` of the edits; plus the record's head to head)",
              response_model=dict, responses={**COMMON, **BODY})
    async def scenario(body: Annotated[ScenarioIn, Body()]) -> Response:
        return await answer(lambda: scenario_json(_evaluate(house, body)), "scenario", body.model_dump_json())

    @app.post("/api/charts", summary="Vega-Lite specs of the report's charts for a scenario",
              response_model=dict, responses={**COMMON, **BODY})
    async def charts(body: Annotated[ScenarioIn, Body()]) -> Response:
        return await answer(lambda: charts_json(house, _evaluate(house, body)), "charts", body.model_dump_json())

    return app


def robustness_json(house: House, options: str, tested: str | None, model: str, draws: int, seed: int) -> dict:
    """The JSON document of GET /api/robustness: :meth:`Robustness.to_dict` of ``draws`` completions
    under ``model`` (what `tellers majority --completions` prints as ``robustness``), with each option's
    ``label`` and ``short`` name by division id, and what the model assumes."""
    analysis = _as_bad_request(lambda: analyse_options(house, options, tested))
    r = assess(analysis, model=model, draws=draws, seed=seed, house=house)
    return r.to_dict() | {
        "options": [{"id": i, "label": label, "short": short} for i, label, short in zip(r.ids, r.labels, r.shorts)],
        "assumes": MODELS[model],
        "models": dict(MODELS),
    }


CHART_WIDTH = 780
"""The widest chart the page draws (px): its charts column in a 1,400-pixel window, less Vega-Embed's menu button."""


def charts_json(house: House, s: stance_model.StanceScenario) -> dict:
    """The JSON document of POST /api/charts: the report's charts for a scenario, by key."""
    from tellers.views.report.charts import divisions_chart, head_to_head_chart, ideal_points_chart, majority_graph_chart

    note = ("Party stances applied (the party's members present that day): "
            + "; ".join(f"{t.party} {t.vote} on {t.option}" for t in s.stances) + ".") if s.stances else ""
    source = house.source + (" with the stances applied" if s.stances else "")
    analysis = s.result.analysis
    figs = [
        divisions_chart(house, [d.id for d in s.chosen.divisions],
                        results=s.division_results(house) if s.stances else None, note=note, width=380),
        head_to_head_chart(analysis, source=source, cell=84, width=CHART_WIDTH),
        majority_graph_chart(analysis, source=source, width=CHART_WIDTH - 140),
    ]
    try:  # the scale is fitted to the recorded votes: stances do not move it
        figs.append(ideal_points_chart(house, analysis, width=CHART_WIDTH - 220))  # the parties' names take the rest
    except TellersError:
        pass
    return {f.key: {"title": f.title, "caption": f.caption, "spec": f.spec} for f in figs}


def _evaluate(house: House, body: ScenarioIn) -> stance_model.StanceScenario:
    stances = [stance_model.Stance(s.party, s.option, s.vote) for s in body.stances]
    return _as_bad_request(lambda: stance_model.evaluate(house, body.options, stances, body.tested))


def _as_bad_request(run):
    """Unknown divisions named in a query or body are a bad request (400), not a missing page."""
    try:
        return run()
    except NotFoundError as exc:
        raise TellersError(str(exc), listing=exc.listing) from None


def scenario_json(s: stance_model.StanceScenario) -> dict:
    """The JSON document of POST /api/scenario: `tellers scenario --json` of the stances as edits
    (``divisions``, ``head_to_head``, ``power``, ``house``, ``changes`` against the record, and
    ``notices``: a sentence for each stance that changes no vote), the stances, the head to
    head as recorded (``recorded``) and each party's colour. A stance for a party that cannot
    vote is refused (400) with the reason."""
    doc = coalitions_scenario_json(s.result)
    doc["stances"] = [{"party": t.party, "option": t.option, "vote": t.vote} for t in s.stances]
    doc["recorded"] = majority_json(s.recorded.analysis)
    doc["colours"] = {party: party_colour(party) for party in s.result.analysis.party_sizes}
    return doc


def _version() -> str:
    from tellers import __version__

    return __version__
