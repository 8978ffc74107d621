"""Draw the pictures the README shows, from the bundled case.

    python docs/make_readme_figures.py

Each is made by the same library calls the notebooks use; nothing is edited by
hand afterwards.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from osint_kit import load_case
from osint_kit.report.export import save_figure

HERE = Path(__file__).resolve().parent


def main() -> None:
    from osint_kit.analysis.corroboration import corroborate
    from osint_kit.views import maps, matrix, timeline

    case = load_case("ru-ir-missile-experts-2024")
    figures = {
        "route_map": lambda: maps.plot_route(case).figure,
        "story_spread": lambda: timeline.plot_story_spread(case).figure,
        "claim_matrix": lambda: matrix.plot_matrix(corroborate(case)).figure,
    }
    for name, draw in figures.items():
        fig = draw()
        for path in save_figure(fig, HERE / name, formats=("png",), dpi=100):
            print("wrote", path)
        plt.close(fig)


if __name__ == "__main__":
    main()
