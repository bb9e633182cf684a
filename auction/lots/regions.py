"""Where seized property is: the regions and cities of republican significance of Kazakhstan
(the administrative division since 8 June 2022: 17 regions, 3 cities). The catalogue filters by it."""
from __future__ import annotations

REGIONS = (
    "astana", "almaty", "shymkent",  # cities of republican significance
    "abai", "akmola", "aktobe", "almaty_region", "atyrau", "east_kazakhstan", "zhambyl", "zhetysu",
    "west_kazakhstan", "karaganda", "kostanay", "kyzylorda", "mangystau", "pavlodar", "north_kazakhstan",
    "turkistan", "ulytau",
)
