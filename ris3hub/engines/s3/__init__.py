"""S3 analytics engines: specialisation, relatedness, complexity, dynamics, opportunities, trends.

Pure numpy / scipy / pandas (no Django). Matrices are regions x domains, numpy arrays or
scipy.sparse; long tables are pandas DataFrames checked by panel_from_long. Every measure is
one function with its formula and reference in the docstring; see docs/s3-engines.md.
"""

from .complexity import (ComplexityMeasures, coi_cog, complexity_measures, diversity, eci_pci, kci_tci,
                         log_supermodularity, reflections, ubiquity)
from .dynamics import entries, entry_exit_growth, exits, growth
from .ecomplexity_compat import ecomplexity_table, proximity_table
from .opportunities import diversification_opportunities
from .panel import Panel, YearMatrix, long_table, panel_from_long
from .peers import lagging_regions, similar_regions
from .relatedness import co_occurrence, density, proximity, relatedness, relatedness_density
from .specialisation import (entropy, gini, herfindahl, hoover, krugman, location_quotient, locational_gini, presence,
                             rca, related_unrelated_variety)
from .stress_test import stress_test
from .trends import emerging_trends
from .validation import S3InputError

__all__ = [
    "ComplexityMeasures", "Panel", "S3InputError", "YearMatrix", "co_occurrence", "coi_cog", "complexity_measures",
    "density", "diversification_opportunities", "diversity", "eci_pci", "ecomplexity_table", "emerging_trends",
    "entries", "entropy", "entry_exit_growth", "exits", "gini", "growth", "herfindahl", "hoover", "kci_tci",
    "krugman", "lagging_regions", "location_quotient", "locational_gini", "log_supermodularity", "long_table",
    "panel_from_long", "presence", "proximity", "proximity_table", "rca", "reflections",
    "related_unrelated_variety", "relatedness", "relatedness_density", "similar_regions", "stress_test",
    "ubiquity",
]
