"""collabgov: collaborative governance and Whole-of-Government, simulated.

The Rust engine of the ``collabgov`` command, in Python: run a scenario and get its tables
as pandas DataFrames (the same columns and values as the CSV files ``collabgov run``
writes), draw the CLI's charts, run any list of parameter points for a sampler of your
own (SALib, EMA Workbench), list the bundled scenarios, and check Ansell & Gash's six
criteria.

    >>> import collabgov
    >>> result = collabgov.run("siloed-government", replicates=20)
    >>> result.replicates["trust_across"].mean()

A scenario is a bundled name, a path to a ``.toml`` file, a TOML string, or a dict in the
scenario format (docs/scenario-format.md). Errors in a scenario raise
:class:`ScenarioError` (a ``ValueError``) with the file, line and key the CLI names.
The engine runs without the GIL; Ctrl-C stops a long run.
"""

import io
import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _collabgov
from ._collabgov import ScenarioError

__all__ = [
    "Assessment",
    "Chart",
    "Comparison",
    "Discovery",
    "Result",
    "ScenarioError",
    "assess",
    "compare",
    "discover",
    "plot",
    "run",
    "run_points",
    "scenarios",
    "sweep",
    "validate",
]
__version__ = _collabgov.__version__

Scenario = Union[str, "os.PathLike[str]", Mapping[str, Any]]

_TABLES = ("rounds", "replicates", "summary", "actors", "network", "activities", "units")


def _source(scenario: Scenario) -> Tuple[str, str]:
    """The engine's (kind, value) for a scenario given as a name, path, TOML or dict."""
    if isinstance(scenario, Mapping):
        return "text", _collabgov.toml_from_json(json.dumps(scenario))
    if isinstance(scenario, os.PathLike):
        return "path", os.fspath(scenario)
    if not isinstance(scenario, str):
        raise TypeError(
            "expected a bundled scenario name, a path, a TOML string or a dict, found "
            + type(scenario).__name__
        )
    if "\n" in scenario or "=" in scenario:
        return "text", scenario
    bundled = [name for name, _ in _collabgov.scenarios()]
    if scenario in bundled:
        return "bundled", scenario
    if not os.path.exists(scenario):
        raise FileNotFoundError(
            'no scenario file or bundled scenario named "{}" (bundled: {})'.format(
                scenario[:200], ", ".join(bundled)
            )
        )
    return "path", scenario



def _save(folder, files: Dict[str, str], manifest_name: str, manifest: dict) -> None:
    """Writes ``files`` and the manifest, last, into ``folder`` (created if missing). The
    manifest lists the files written (``files``), as the CLI's do: a folder that holds
    anything else is never replaced whole by a later ``collabgov`` command."""
    os.makedirs(folder, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", newline="") as f:
            f.write(text)
    listed = dict(manifest)
    listed["files"] = sorted(set(files) | {manifest_name})
    with open(os.path.join(folder, manifest_name), "w") as f:
        f.write(json.dumps(listed, indent=2))

class Result:
    """A finished run: its tables as DataFrames and its manifest (``run.json``) as a dict.

    ``rounds``, ``replicates``, ``summary``, ``actors``, ``network`` (and with ``[services]``
    ``activities``) hold the same columns and values as the CSV files of ``collabgov
    run``; :meth:`save` writes those files, byte for byte as the CLI writes them.
    """

    def __init__(self, parts: Sequence[Tuple[str, str]]):
        self._parts = list(parts)
        by_name = dict(parts)
        self._csv: Dict[str, str] = {
            k: v for k, v in parts if k not in ("manifest", "network.graphml")
        }
        self.manifest: Dict[str, Any] = json.loads(by_name["manifest"])
        #: ``network.graphml``'s text: replicate 0's actors and relations, for NetworkX
        #: (``networkx.parse_graphml(result.graphml)``), Gephi or igraph.
        self.graphml: str = by_name.get("network.graphml", "")
        self._frames: Dict[str, pd.DataFrame] = {}

    def _frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            text = self._csv.get(name, "")
            self._frames[name] = (
                pd.read_csv(io.StringIO(text)) if text.strip() else pd.DataFrame()
            )
        return self._frames[name]

    @property
    def rounds(self) -> pd.DataFrame:
        """Tidy statistics per round, metric and group (``rounds.csv``): the whole
        forum's rows have ``group == "all"``; trust, commitment and participation by
        sector (``sector:NAME``) and by kind (``kind:agency``, ``kind:non_state``) follow."""
        return self._frame("rounds")

    @property
    def replicates(self) -> pd.DataFrame:
        """One row per replicate with each metric's final value (``replicates.csv``)."""
        return self._frame("replicates")

    @property
    def summary(self) -> pd.DataFrame:
        """Each metric's final mean with its 95 % interval, the variance between and
        within network draws, and what the interval covers (``summary.csv``)."""
        return self._frame("summary")

    @property
    def actors(self) -> pd.DataFrame:
        """Every actor's final state in replicate 0, or every replicate with
        ``all_actors=True`` (``actors.csv``)."""
        return self._frame("actors")

    @property
    def network(self) -> pd.DataFrame:
        """Every relation of replicate 0 with its trusts at round 0 and at the end
        (``network.csv``)."""
        return self._frame("network")

    @property
    def series(self) -> pd.DataFrame:
        """Every replicate's metrics at every round, one row per replicate and round
        (``series.csv``), with ``run(..., series=True)``; empty otherwise."""
        return self._frame("series")

    @property
    def activities(self) -> pd.DataFrame:
        """With ``[services]``: the 11 inter-organisational activities per round
        (``activities.csv``); empty otherwise."""
        return self._frame("activities")

    @property
    def units(self) -> pd.DataFrame:
        """With ``[levels]``: every unit of government with its final understanding,
        alignment with the whole forum, commitment, trust within it and between levels,
        and its consensus share, each with a 95 % interval (``units.csv``); empty
        otherwise."""
        return self._frame("units")

    def report(self, handout: bool = False, lang: str = "en") -> str:
        """The run's report as one self-contained HTML document (charts inline as SVG,
        laid out for A4), the file `collabgov report` writes for a run folder. Save it
        with ``open("report.html", "w").write(result.report())``, or show it in Jupyter
        with ``IPython.display.HTML``.

        With ``handout=True``, the handout of ``collabgov report --handout`` instead: at
        most two A4 pages for a class, in ``lang`` (``"en"`` or ``"id"``)."""
        return _collabgov.report(self._parts, handout, lang)

    @property
    def charts(self) -> List[str]:
        """The names of the charts :func:`plot` can draw for this run (``overview``,
        ``metric-trust_across``, ``consensus``, ``network``, with services ``services``, with
        levels ``units``)."""
        return _collabgov.chart_names(self._parts)

    def csv(self, name: str) -> str:
        """A table's CSV text, exactly as ``collabgov run`` writes the file."""
        return self._csv[name]

    def save(self, folder: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the run's tables and ``run.json`` into ``folder`` (created if missing;
        files of the same names are replaced, nothing else is touched)."""
        files = {name + ".csv": text for name, text in self._csv.items()}
        if not self.network.empty:
            files["network.graphml"] = self.graphml
        _save(folder, files, "run.json", self.manifest)

    def __repr__(self) -> str:
        m = self.manifest
        return "<collabgov.Result {}: {} replicates x {} rounds, seed {}>".format(
            m.get("scenario_name"), m.get("replicates"), m.get("rounds"), m.get("seed")
        )


def run(
    scenario: Scenario,
    *,
    replicates: Optional[int] = None,
    rounds: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    all_actors: bool = False,
    set: Optional[Mapping[str, Any]] = None,
    label: Optional[str] = None,
    series: bool = False,
) -> Result:
    """Runs a scenario (a bundled name, a path, a TOML string or a dict).

    ``replicates``, ``rounds`` and ``seed`` override the scenario's own; ``set`` maps key
    paths to values exactly as ``--set KEY=VALUE`` does (``{"parameters.silo": 0.9}``);
    ``label`` names the run (as ``--label``). ``threads`` is the number of worker threads
    (every core by default); the result is the same on any number of threads.
    ``series=True`` keeps every replicate's metrics at every round (``Result.series``,
    ``series.csv``, as ``collabgov run --series``).
    """
    kind, value = _source(scenario)
    control = _control(replicates, rounds, seed, threads, set)
    return Result(_collabgov.run(kind, value, control, all_actors, label, series))


def _set_text(value: Any) -> str:
    """A Python value as the text of ``--set KEY=VALUE``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise TypeError(
        "expected a number, a bool or a string as a set value, found " + type(value).__name__
    )


def _control(
    replicates: Optional[int],
    rounds: Optional[int],
    seed: Optional[int],
    threads: Optional[int],
    set: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """What every call that runs takes, as the CLI's ``--replicates``, ``--rounds``,
    ``--seed``, ``--threads`` and ``--set KEY=VALUE``."""
    return {
        "replicates": replicates,
        "rounds": rounds,
        "seed": seed,
        "threads": threads,
        "set": ["{}={}".format(k, _set_text(v)) for k, v in (set or {}).items()],
    }


class _Folder:
    """A finished comparison or assessment: its files' texts and its manifest."""

    _manifest_name = ""

    def __init__(self, parts: Sequence[Tuple[str, str]]):
        self._files: Dict[str, str] = {k: v for k, v in parts if k != "manifest"}
        self.manifest: Dict[str, Any] = json.loads(dict(parts)["manifest"])

    def _frame(self, name: str) -> pd.DataFrame:
        return pd.read_csv(io.StringIO(self._files[name]))

    @property
    def summary(self) -> str:
        """The summary in words (``summary.txt``)."""
        return self._files["summary.txt"]

    @property
    def files(self) -> List[str]:
        """The names of the files :meth:`save` writes (besides the manifest)."""
        return list(self._files)

    def text(self, name: str) -> str:
        """A file's text, exactly as the CLI writes it."""
        return self._files[name]

    def save(self, folder: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the files and the manifest into ``folder`` (created if missing; files of
        the same names are replaced, nothing else is touched). Charts are not drawn: use
        ``collabgov plot FOLDER`` or the CLI's command for them."""
        _save(folder, self._files, self._manifest_name, self.manifest)


class Comparison(_Folder):
    """A comparison of scenarios, as ``collabgov compare`` writes it: ``table``
    (``compare.csv``: each metric's final interval per scenario), ``paired``
    (``paired.csv``: each metric's paired difference to the first scenario, replicate by
    replicate, with its 95 % interval, when the sides share seed and replicates),
    ``summary`` and ``manifest`` (``compare.json``)."""

    _manifest_name = "compare.json"

    @property
    def table(self) -> pd.DataFrame:
        """Each metric's final mean and interval per scenario (``compare.csv``)."""
        return self._frame("compare.csv")

    @property
    def paired(self) -> pd.DataFrame:
        """Paired differences to the first scenario (``paired.csv``)."""
        return self._frame("paired.csv")

    def rounds(self, side: int) -> pd.DataFrame:
        """Side ``side``'s (from 1) per-round statistics (``side-K.rounds.csv``)."""
        return self._frame("side-{}.rounds.csv".format(side))

    def __repr__(self) -> str:
        sides = [s.get("name") for s in self.manifest.get("sides", [])]
        return "<collabgov.Comparison {}>".format(" vs ".join(map(str, sides)))


class Assessment(_Folder):
    """An assessment, as ``collabgov assess`` writes it: ``table`` (``assess.csv``: each
    practice's paired effect on every metric, ranked), ``summary`` (the diagnosis and the
    ranking in words), ``menu`` (the menu as run, TOML to edit and pass back) and
    ``manifest`` (``assess.json``)."""

    _manifest_name = "assess.json"

    @property
    def table(self) -> pd.DataFrame:
        """One row per practice and metric: the paired effect with its interval
        (``assess.csv``)."""
        return self._frame("assess.csv")

    @property
    def menu(self) -> str:
        """The menu as run (``menu.toml``)."""
        return self._files["menu.toml"]

    def __repr__(self) -> str:
        return "<collabgov.Assessment {}: {} practices>".format(
            self.manifest.get("scenario_name"), len(self.manifest.get("practices", []))
        )


def compare(
    *scenarios: Scenario,
    labels: Optional[Sequence[str]] = None,
    replicates: Optional[int] = None,
    rounds: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    set: Optional[Mapping[str, Any]] = None,
    side_set: Optional[Mapping[int, Mapping[str, Any]]] = None,
) -> Comparison:
    """Runs two or more scenarios and compares them, as ``collabgov compare`` does: same
    tables, same summary, paired differences when they share seed and replicates.
    ``labels`` names them in order (two variants of one scenario need them); ``set``,
    ``replicates``, ``rounds`` and ``seed`` apply to every side; ``side_set`` gives one
    side its own values, by its place from 1, as ``--side-set N:KEY=VALUE`` does
    (``side_set={2: {"parameters.silo": 0.9}}``). Two sides that are the same scenario but
    for their names give a ``UserWarning``: their differences are zero by construction."""
    sides = [_source(s) for s in scenarios]
    control = _control(replicates, rounds, seed, threads, set)
    own = [
        (int(n), "{}={}".format(k, _set_text(v)))
        for n, values in (side_set or {}).items()
        for k, v in values.items()
    ]
    parts = _collabgov.compare(sides, list(labels or []), control, own)
    return Comparison(parts)


def assess(
    scenario: Scenario,
    *,
    round: Optional[int] = None,
    menu: Optional[str] = None,
    replicates: Optional[int] = None,
    rounds: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    set: Optional[Mapping[str, Any]] = None,
) -> Assessment:
    """Which Whole-of-Government practice would help this forum most, as ``collabgov
    assess`` ranks them: the default menu from ``round`` (a fifth of the rounds by
    default), or ``menu`` (a menu's TOML text, e.g. an edited ``Assessment.menu``)."""
    kind, value = _source(scenario)
    control = _control(replicates, rounds, seed, threads, set)
    parts = _collabgov.assess(kind, value, control, round, menu)
    return Assessment(parts)


def run_points(
    base: Scenario,
    points: Iterable[Mapping[str, float]],
    *,
    replicates: int = 20,
    rounds: Optional[int] = None,
    seed: int = 1,
    threads: Optional[int] = None,
    per_replicate: bool = False,
) -> Union[pd.DataFrame, Tuple[pd.DataFrame, pd.DataFrame]]:
    """Runs ``base`` at each point (a dict of key path to value, e.g.
    ``{"parameters.silo": 0.3}``), each seeded as ``collabgov sweep`` seeds its points,
    and returns one row per point with the same columns as a sweep's ``points.csv``
    (final mean, sd, quantiles and 95 % interval of each output's mean, the consensus
    share with its interval, and the point's ``seed``).

    With ``per_replicate=True`` it returns ``(points, replicates)``: ``replicates`` has one
    row per replicate of every point (``point``, the point's values, its ``seed``, then
    ``replicates.csv``'s columns: ``replicate``, ``network_draw``, ``consensus_round`` and
    every metric's final value), from the same runs as ``points``."""
    points = [dict(p) for p in points]
    keys: List[str] = list(points[0].keys()) if points else []
    for i, p in enumerate(points):
        if list(p.keys()) != keys:
            raise ScenarioError(
                "points[{}]: expected the keys {}, found {}".format(i, keys, list(p.keys()))
            )
    values = [[float(p[k]) for k in keys] for p in points]
    kind, value = _source(base)
    text, replicate_text = _collabgov.run_points(
        kind, value, keys, values, _control(replicates, rounds, seed, threads), per_replicate
    )
    table = pd.read_csv(io.StringIO(text))
    if per_replicate:
        return table, pd.read_csv(io.StringIO(replicate_text))
    return table


def sweep(
    sweep: Union[str, "os.PathLike[str]", Mapping[str, Any]], *, threads: Optional[int] = None
) -> pd.DataFrame:
    """Runs a sweep (a ``.sweep.toml`` path, its TOML text, or a dict in the sweep format
    of docs/sweeps.md) and returns its points as a DataFrame: the rows ``collabgov sweep``
    writes to ``points.csv``, the same numbers (its charts and Sobol table are the CLI's)."""
    if isinstance(sweep, Mapping):
        kind, value = "text", _collabgov.toml_from_json(json.dumps(sweep))
    elif isinstance(sweep, str) and ("\n" in sweep or "=" in sweep):
        kind, value = "text", sweep
    else:
        kind, value = "path", os.fspath(sweep)
        if not os.path.exists(value):
            raise FileNotFoundError("no sweep file " + value[:200])
    return pd.read_csv(io.StringIO(_collabgov.sweep(kind, value, threads)))


class Discovery:
    """What :func:`discover` found: ``trajectory`` (a DataFrame, a row per box of PRIM's
    peeling and pasting trajectory: ``id``, ``coverage``, ``density``, ``mass``, ``n``,
    ``k``, ``res_dim`` and each factor's ``_low`` and ``_high`` limit), ``chosen`` (the
    box ``sentence`` describes) and ``sentence``."""

    def __init__(self, trajectory: pd.DataFrame, chosen: int, sentence: str):
        self.trajectory = trajectory
        self.chosen = chosen
        self.sentence = sentence

    def __repr__(self) -> str:
        return self.sentence


def discover(
    sweep: Union[str, "os.PathLike[str]", pd.DataFrame],
    where: str,
    *,
    factors: Optional[Sequence[str]] = None,
    box: Optional[int] = None,
    min_coverage: float = 0.5,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Discovery:
    """Scenario discovery with PRIM, as ``collabgov discover`` (and EMA Workbench's
    ``Prim`` with its defaults): which ranges of the factors hold the points where
    ``where`` (e.g. ``"consensus_share < 0.2"``) holds. ``sweep`` is a finished sweep
    folder, or a DataFrame of points (``collabgov.sweep`` or ``run_points``) with
    ``factors`` naming its factor columns. ``box`` chooses the box the sentence
    describes (default: the densest whose coverage is at least ``min_coverage``)."""
    if isinstance(sweep, pd.DataFrame):
        if factors is None:
            raise ValueError("expected factors: the DataFrame's factor columns")
        text = sweep.to_csv(index=False)
    else:
        folder = os.fspath(sweep)
        with open(os.path.join(folder, "points.csv")) as f:
            text = f.read()
        if factors is None:
            with open(os.path.join(folder, "sweep.json")) as f:
                factors = json.load(f)["factors"]
    csv, chosen, sentence = _collabgov.discover(
        text, list(factors), where, (peel_alpha, paste_alpha, mass_min), box, min_coverage
    )
    return Discovery(pd.read_csv(io.StringIO(csv)), chosen, sentence)


class Chart:
    """A drawn chart: its ``data`` (PNG or SVG bytes) and ``format``. A notebook shows it;
    :meth:`save` writes it."""

    def __init__(self, data: bytes, format: str, name: str):
        self.data = data
        self.format = format
        self.name = name

    def _repr_png_(self) -> Optional[bytes]:
        return self.data if self.format == "png" else None

    def _repr_svg_(self) -> Optional[str]:
        return self.data.decode("utf-8") if self.format == "svg" else None

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the chart's bytes to ``path``."""
        with open(path, "wb") as f:
            f.write(self.data)

    def __repr__(self) -> str:
        return "<collabgov.Chart {} ({}, {} bytes)>".format(
            self.name, self.format, len(self.data)
        )


def plot(
    result: Result,
    kind: str = "overview",
    path: Union[None, str, "os.PathLike[str]"] = None,
    *,
    format: Optional[str] = None,
    width: Optional[int] = None,
    height: Optional[int] = None,
    style: str = "screen",
    font_scale: float = 1.0,
    title: Optional[str] = None,
    caption: Optional[str] = None,
) -> Chart:
    """Draws one of the run's charts, the very chart ``collabgov run`` draws (same
    renderer, same bytes): ``kind`` is one of ``result.charts`` (``overview``,
    ``metric-trust_across``, ``consensus``, ``network``, ...). With ``path`` it is also
    written there, its format taken from the extension (``.png`` or ``.svg``) unless
    ``format`` says. ``width`` and ``height`` (pixels, both or neither) replace the
    chart's own size. ``style`` is ``screen``, ``paper`` (6.5 in at 300 dpi, 8-9 pt text)
    or ``projector``, with ``font_scale``, ``title`` and ``caption`` as the CLI's
    ``--style``, ``--font-scale``, ``--title`` and ``--caption`` (``""`` leaves the title or
    caption out, as ``--no-title`` and ``--no-caption``). Returns a :class:`Chart`, which a notebook
    displays."""
    if format is None:
        ext = os.path.splitext(os.fspath(path))[1].lower() if path is not None else ""
        format = "svg" if ext == ".svg" else "png"
    if (width is None) != (height is None):
        raise ValueError("expected both width and height, or neither")
    size = (int(width), int(height)) if width is not None and height is not None else None
    looks = {"style": style, "font_scale": float(font_scale), "title": title, "caption": caption}
    data = _collabgov.plot(result._parts, kind, looks, format, size)
    chart = Chart(data, format, kind)
    if path is not None:
        chart.save(path)
    return chart


def scenarios() -> pd.DataFrame:
    """The bundled scenarios: name and description."""
    return pd.DataFrame(_collabgov.scenarios(), columns=["name", "description"])


def validate(scenario: Scenario) -> Dict[str, Dict[str, Any]]:
    """Ansell & Gash's six criteria: for each, whether the scenario meets it and why."""
    kind, value = _source(scenario)
    return {
        name: {"pass": passed, "reason": reason}
        for name, passed, reason in _collabgov.validate(kind, value)
    }
