"""Server-side SVG bar charts for the dashboard: stacked bars per day, bars per hour.

No script and no ``style`` attribute (the CSP allows neither inline): colours come from the
classes ``chart-s0``… in ``static/portal/dashboard.css``, tooltips from ``<title>``.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from maventa_portal.core.dashboard import Figure

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 48
LEGEND_Y = HEIGHT - 10
X_LABELS = 8


def render(figure: Figure) -> SafeString:
    """The figure's series as an SVG chart, or an empty-state text when nothing was counted."""
    series = figure.series or []
    labels = list(series[0][1]) if series else []
    highest = max((sum(counts.values()) for _bucket, counts in series), default=0)
    if not highest:
        return mark_safe('<p class="chart-empty">Nothing in this period.</p>')
    hourly = isinstance(series[0][0], datetime)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(series)
    bar = max(slot * 0.8, 1)
    parts: list[str] = []
    for index, (bucket, counts) in enumerate(series):
        x = LEFT + index * slot + (slot - bar) / 2
        base = TOP + plot_height
        when = _when(bucket, hourly)
        for colour, label in enumerate(labels):
            count = counts.get(label, 0)
            if not count:
                continue
            height = count / highest * plot_height
            base -= height
            parts.append(
                f'<rect class="chart-s{colour}" x="{x:.1f}" y="{base:.1f}" '
                f'width="{bar:.1f}" height="{height:.1f}">'
                f"<title>{escape(when)} {escape(label)}: {count}</title></rect>"
            )
    step = max(1, -(-len(series) // X_LABELS))
    for index in range(0, len(series), step):
        x = LEFT + index * slot + slot / 2
        parts.append(
            f'<text class="chart-axis" x="{x:.1f}" y="{TOP + plot_height + 14}" '
            f'text-anchor="middle">{escape(_tick(series[index][0], hourly))}</text>'
        )
    parts.append(
        f'<line class="chart-axis-line" x1="{LEFT}" y1="{TOP + plot_height}" '
        f'x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}"/>'
        f'<text class="chart-axis" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">'
        f"{highest}</text>"
        f'<text class="chart-axis" x="{LEFT - 4}" y="{TOP + plot_height}" text-anchor="end">'
        "0</text>"
    )
    x = LEFT
    for colour, label in enumerate(labels):
        parts.append(
            f'<rect class="chart-s{colour}" x="{x}" y="{LEGEND_Y - 9}" width="10" height="10"/>'
            f'<text class="chart-legend" x="{x + 14}" y="{LEGEND_Y}">{escape(label)}</text>'
        )
        x += 24 + 7 * len(label)
    per = "hour" if hourly else "day"
    summary = f"{figure.title} per {per}: {sum(sum(c.values()) for _b, c in series)} in all"
    return mark_safe(  # noqa: S308 - every text part above is escaped
        f'<svg class="chart" role="img" aria-label="{escape(summary)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )


def _when(bucket, hourly: bool) -> str:
    return localtime(bucket).strftime("%Y-%m-%d %H:00") if hourly else bucket.isoformat()


def _tick(bucket, hourly: bool) -> str:
    return localtime(bucket).strftime("%H:00") if hourly else bucket.strftime("%d.%m.")
