"""Hypothesis profiles for the hostile suite.

``HYPOTHESIS_PROFILE=ci`` (the default) is derandomized, so a CI run is
reproducible and its example counts are fixed; ``HYPOTHESIS_PROFILE=dev``
draws fresh random inputs with five times as many examples per test (see
:func:`strategies.examples`).  Run with ``--hypothesis-show-statistics`` to
see how many inputs each property test ran.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = {
    "deadline": None,  # file I/O and pandas start-up make the first examples slow on 2 cores
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
    "print_blob": True,
}
# CI does not shrink: a failing input is reported as found (shrinking a pandas
# reader's input can take minutes on 2 cores); dev shrinks to a minimal one
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=25,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    **_COMMON,
)
settings.register_profile("dev", derandomize=False, max_examples=125, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
