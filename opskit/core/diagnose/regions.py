"""Tailscale's public DERP regions: ID, code and city, to name a region whichever way a paste shows it.

Old netcheck layouts and tailscaled logs give a region ID (``derp=21``), status gives the code
(``relay "tor"``), new netcheck layouts the city (``Nearest DERP: Toronto``); the JSON output names
each region both ways. IDs and names as shown by ``tailscale netcheck --verbose`` (``derp27, Ashburn``).
Custom regions (Headscale, self-hosted derper) are not listed: their code is kept as shown.
"""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    region_id: int
    code: str
    name: str


PUBLIC_REGIONS: tuple[Region, ...] = (
    Region(1, "nyc", "New York City"),
    Region(2, "sfo", "San Francisco"),
    Region(3, "sin", "Singapore"),
    Region(4, "fra", "Frankfurt"),
    Region(5, "syd", "Sydney"),
    Region(6, "blr", "Bangalore"),
    Region(7, "tok", "Tokyo"),
    Region(8, "lhr", "London"),
    Region(9, "dfw", "Dallas"),
    Region(10, "sea", "Seattle"),
    Region(11, "sao", "São Paulo"),
    Region(12, "ord", "Chicago"),
    Region(13, "den", "Denver"),
    Region(14, "ams", "Amsterdam"),
    Region(15, "jnb", "Johannesburg"),
    Region(16, "mia", "Miami"),
    Region(17, "lax", "Los Angeles"),
    Region(18, "par", "Paris"),
    Region(19, "mad", "Madrid"),
    Region(20, "hkg", "Hong Kong"),
    Region(21, "tor", "Toronto"),
    Region(22, "waw", "Warsaw"),
    Region(23, "dbi", "Dubai"),
    Region(24, "hnl", "Honolulu"),
    Region(25, "nai", "Nairobi"),
    Region(26, "nue", "Nuremberg"),
    Region(27, "iad", "Ashburn"),
    Region(28, "hel", "Helsinki"),
)
_BY_KEY: dict[str, Region] = {}
for _region in PUBLIC_REGIONS:
    for _key in (str(_region.region_id), f"#{_region.region_id}", _region.code, _region.name.lower()):
        _BY_KEY[_key] = _region
_BY_KEY["bengaluru"] = _BY_KEY["blr"]


def region(shown: str | None, known: dict[str, tuple[str, str]] | None = None) -> dict[str, str | None] | None:
    """``{"code", "name"}`` for a region shown as an ID, code or city (None when nothing is shown).

    ``known`` maps lower-cased codes and names seen in the same paste (netcheck's latency list) to
    (code, name); it wins over the public table, so a custom region keeps its own name.
    """
    if not shown:
        return None
    key = shown.strip().strip('"').lower()
    if known and key in known:
        code, name = known[key]
        return {"code": code, "name": name}
    public = _BY_KEY.get(key) or _BY_KEY.get(key.removeprefix("derp"))
    if public is not None:
        return {"code": public.code, "name": public.name}
    return {"code": shown.strip().strip('"'), "name": None}
