"""Charts of the HTML report, drawn with matplotlib into inline SVG (no JavaScript, no network).

Text stays text in the SVG (``svg.fonttype: none``), so the browser draws names in any script with
its own fonts and the file stays small; matplotlib escapes the text it writes. Math parsing is off,
so a ``$`` in a party name is a dollar sign. Element ids are prefixed per chart, because several
SVGs share one HTML document. Output is deterministic (fixed hash salt, no date).
"""

from __future__ import annotations

import io
import warnings
from typing import Any, Final

import polars as pl
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from screening.formatting import money_tick
from screening.report.html_data import SCORE_BINS

RC: Final[dict[Any, Any]] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "screening-report",
    "text.parse_math": False,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
PALETTE: Final = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
WAR_START: Final = 2022 + 54 / 365  # 24 Feb 2022 as a fractional year, the x unit of corridor panels
BASELINE_YEARS: Final = (2019, 2021)  # the bundled corridor rules' default baseline
TOP_DESTINATIONS: Final = 8
TOP_CHAPTERS: Final = 12


def to_svg(figure: Figure, prefix: str) -> str:
    """Return a figure as an SVG element whose ids start with ``prefix``."""
    buffer = io.StringIO()
    with rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs DejaVu lacks (CJK names) only affect layout estimates
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    for before in ('id="', "url(#", 'href="#'):
        svg = svg.replace(before, f"{before}{prefix}-")
    return svg


def _figure(width: float, height: float) -> Figure:
    """Return a figure of the given size in inches, drawn with the report's style."""
    with rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def score_chart(bins: pl.DataFrame) -> str:
    """Return one small histogram of hit scores per rule family."""
    families = bins["family"].unique().sort().to_list()
    ncols = min(4, len(families))
    nrows = -(-len(families) // ncols)
    figure = _figure(7.5, 0.4 + 1.5 * nrows)
    with rc_context(RC):
        axes = figure.subplots(nrows, ncols, squeeze=False, sharex=True).ravel()
        for i, (ax, family) in enumerate(zip(axes, families, strict=False)):
            rows = bins.filter(pl.col("family") == family)
            edges = [b / SCORE_BINS for b in rows["bin"].to_list()]
            ax.bar(edges, rows["len"].to_list(), width=1 / SCORE_BINS, align="edge", color=PALETTE[i % len(PALETTE)])
            ax.set_title(f"{family} ({int(rows['len'].sum()):,} hits)", fontsize=8)
            ax.set_xlim(0, 1)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.tick_params(labelsize=7)
        for ax in axes[len(families) :]:
            ax.set_visible(False)
        figure.supxlabel("score", fontsize=8)
    return to_svg(figure, "scores")


def goods_chart(counts: pl.DataFrame) -> str:
    """Return stacked bars: records with dual-use goods hits per HS chapter, split by destination."""
    top = _largest(counts, "destination").head(TOP_DESTINATIONS).to_list()
    totals = _largest(counts, "chapter")
    kept = totals.head(TOP_CHAPTERS).to_list()
    table = (
        counts.with_columns(
            pl.when(pl.col("destination").is_in(top)).then("destination").otherwise(pl.lit("other")),
            pl.when(pl.col("chapter").is_in(kept)).then("chapter").otherwise(pl.lit("other")),
        )
        .group_by("chapter", "destination")
        .agg(pl.col("records").sum())
    )
    chapters = [*kept, "other"] if totals.len() > TOP_CHAPTERS else kept
    pivot = table.pivot("destination", index="chapter", values="records").fill_null(0)
    pivot = pl.DataFrame({"chapter": chapters}).join(pivot, on="chapter", how="left").fill_null(0)
    figure = _figure(7.5, 0.8 + 0.32 * len(chapters))
    with rc_context(RC):
        ax = figure.add_subplot()
        left = [0] * len(chapters)
        for i, dest in enumerate([*top, "other"] if "other" in pivot.columns else top):
            values = pivot[dest].to_list()
            ax.barh(chapters, values, left=left, color=PALETTE[i % len(PALETTE)], label=dest)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.invert_yaxis()
        ax.set(xlabel="records with a hit of a goods rule", ylabel="HS chapter")
        ax.legend(title="destination", fontsize=8, ncols=3, frameon=False, loc="lower right")
    return to_svg(figure, "goods")


def _largest(counts: pl.DataFrame, column: str) -> pl.Series:
    """Return the values of a column ordered by their records, most first."""
    totals = counts.group_by(column).agg(pl.col("records").sum())
    return totals.sort("records", column, descending=[True, False])[column]


def corridor_chart(keys: pl.DataFrame, series: pl.DataFrame, columns: int = 2) -> str:
    """Return one panel per corridor hit: monthly value, the baseline mean and the flagged year shaded."""
    rows = -(-keys.height // columns)
    figure = _figure(7.5, 2.0 * rows * (2 / columns) ** 0.5 + 0.3)
    with rc_context(RC):
        axes = figure.subplots(rows, columns, squeeze=False).ravel()
        for ax, key in zip(axes, keys.iter_rows(named=True), strict=False):
            _corridor_panel(ax, key, series)
        for ax in axes[keys.height :]:
            ax.set_visible(False)
    return to_svg(figure, "corridors")


def _corridor_panel(ax: Axes, key: dict[str, Any], series: pl.DataFrame) -> None:
    """Draw one corridor's monthly series with its baseline mean and flagged years."""
    rows = series.filter(
        (pl.col("origin") == key["origin"]) & (pl.col("destination") == key["destination"])
        & (pl.col("level") == key["level"]) & (pl.col("code") == key["code"])
    ).sort("mi")  # fmt: skip
    years = [m / 12 for m in rows["mi"].to_list()]  # the start of each month as a fractional year
    ax.plot(years, rows["value"].to_list(), color=PALETTE[0], linewidth=1.2, marker=".", markersize=3)
    base = rows.filter((pl.col("mi") // 12).is_between(*BASELINE_YEARS))
    if base.height:  # the mean month of the baseline years the corridor traded in
        mean = float(base["value"].sum()) / (12 * base.select((pl.col("mi") // 12).n_unique()).item())
        label = f"{BASELINE_YEARS[0]}–{BASELINE_YEARS[1]} mean"
        ax.axhline(mean, color="#555555", linestyle="--", linewidth=1, label=label)
    for n, window in enumerate(sorted(key["windows"])):
        ax.axvspan(window, window + 1, color=PALETTE[1], alpha=0.12, label=None if n else "flagged")
    ax.axvline(WAR_START, color=PALETTE[1], linewidth=0.8, linestyle=":")
    ax.set_title(f"{key['corridor']}  ({key['rule_id']}, score {key['score']:.2f})", fontsize=8)
    ax.xaxis.set_major_locator(MultipleLocator(1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.yaxis.set_major_formatter(FuncFormatter(money_tick))
    ax.set_ylabel("US$ per month", fontsize=7)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6, frameon=False, loc="upper left")


def corridor_scores_chart(keys: pl.DataFrame) -> str:
    """Return the corridor hits' scores as bars, for runs whose store is not at hand."""
    figure = _figure(7.5, 0.8 + 0.3 * keys.height)
    with rc_context(RC):
        ax = figure.add_subplot()
        ax.barh(keys["corridor"].to_list(), keys["score"].to_list(), color=PALETTE[1])
        ax.invert_yaxis()
        ax.set(xlim=(0, 1), xlabel="score")
    return to_svg(figure, "corridor-scores")


def ownership_chart(edges: pl.DataFrame) -> str:
    """Return the ownership chains as a layered graph: owners left, owned entities right, stakes on the arrows."""
    levels = _levels(edges)
    flagged = set(edges.filter("flagged")["owned"].to_list())
    columns: dict[int, list[str]] = {}
    for node, level in sorted(levels.items(), key=lambda item: (item[1], item[0])):
        columns.setdefault(level, []).append(node)
    tallest = max(len(nodes) for nodes in columns.values())
    place = {node: (level, -row) for level, nodes in columns.items() for row, node in enumerate(nodes)}
    figure = _figure(7.5, 0.6 + 0.45 * tallest)
    with rc_context(RC):
        ax = figure.add_subplot()
        for owner, owned, share in edges.select("owner", "owned", "share").iter_rows():
            (x0, y0), (x1, y1) = place[owner], place[owned]
            ax.annotate("", xy=(x1 - 0.12, y1), xytext=(x0 + 0.12, y0),
                        arrowprops={"arrowstyle": "->", "color": "#777777", "linewidth": 0.9})  # fmt: skip
            label = "?" if share is None else f"{share:.0%}"
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, label, fontsize=7, ha="center", color="#444444")
        for node, (x, y) in place.items():
            ax.text(x, y, node, fontsize=7, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": "#f8d0d0" if node in flagged else "#e8e8e8",
                          "edgecolor": PALETTE[1] if node in flagged else "#999999"})  # fmt: skip
        ax.set(xlim=(-0.6, max(columns) + 0.6), ylim=(-tallest + 0.4, 0.6))
        ax.axis("off")
    return to_svg(figure, "ownership")


def _levels(edges: pl.DataFrame) -> dict[str, int]:
    """Return each node's column: the length of the longest owner chain above it (capped, cycles stop)."""
    pairs = edges.select("owner", "owned").rows()
    level = {node: 0 for pair in pairs for node in pair}
    for _ in range(len(level)):  # longest-path relaxation; a cycle stops at the cap
        changed = False
        for owner, owned in pairs:
            if level[owned] < level[owner] + 1 <= len(level):
                level[owned] = level[owner] + 1
                changed = True
        if not changed:
            break
    return level
