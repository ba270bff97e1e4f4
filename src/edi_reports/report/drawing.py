"""Charts drawn as SVG, by vl-convert: the static image of every chart (the PDF's, and the
web page's until its script draws the chart).

Standard library and vl-convert only: a build's helper process draws its charts with this
module alone (:mod:`edi_reports.pipeline.helper`), without importing the report.
"""

from __future__ import annotations

import re
from typing import Any

#: Width in pixels used when a responsive ("container") chart is drawn as a static SVG.
svg_width = 640


def _fixed_width(spec: dict[str, Any], width: int) -> dict[str, Any]:
    """A copy of ``spec`` with every ``width: "container"`` replaced by ``width`` pixels."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: (width if k == "width" and v == "container" else walk(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(spec)


def spec_to_svg(spec: dict[str, Any], width: int = svg_width) -> str:
    """Draw a Vega-Lite spec as SVG with vl-convert (no network access allowed)."""
    import vl_convert

    fixed = _fixed_width(spec, width)
    # room around the plot, so an axis label drawn in a slightly wider font (the PDF's)
    # than the one it was measured in is never cut off at the edge of the image
    fixed.setdefault("padding", {"left": 16, "right": 24, "top": 8, "bottom": 8})
    svg = vl_convert.vegalite_to_svg(fixed, allowed_base_urls=[])
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)
