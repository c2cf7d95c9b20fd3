"""Real Tebing Tinggi points used across tests, as (lat, lon)."""

RSUD = (3.329886248000037, 99.15547966300005)  # RSUD dr. H. Kumpulan Pane, BIG RBI point
DAMKAR = (3.3264961405, 99.1558109094957)  # the documented fallback for the Damkar office
CITY_CENTRE = (3.3333, 99.1667)
