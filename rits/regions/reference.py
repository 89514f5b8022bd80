"""Loading the CBS reference data shipped in rits/regions/data.

Used by the data migration and by ``load_regions`` (which an operator can run
again after a municipal reorganisation file is dropped in). Idempotent.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows() -> list[dict[str, str]]:
    """One row per municipality: code, name, province code and name, region code and name."""
    with (DATA_DIR / "gemeenten-2023.csv").open(encoding="utf-8", newline="") as f:
        provinces = {r["GemeentecodeGM"]: r for r in csv.DictReader(f)}
    rows = []
    with (DATA_DIR / "gemeente-jeugdregio-2023.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            p = provinces[r["gemeentecode_gm"]]
            rows.append(
                {
                    "code": r["gemeentecode_gm"],
                    "name": r["gemeentenaam"],
                    "province_code": p["ProvinciecodePV"],
                    "province_name": p["Provincienaam"],
                    "region_code": r["jeugdregio_code"],
                    "region_name": r["jeugdregio_naam"],
                }
            )
    return rows


def load(region_model: Any, municipality_model: Any) -> tuple[int, int]:
    """Create or update regions and municipalities; returns (regions, municipalities)."""
    rows = read_rows()
    regions = {}
    for r in rows:
        if r["region_code"] not in regions:
            regions[r["region_code"]], _ = region_model.objects.update_or_create(
                code=r["region_code"], defaults={"name": r["region_name"]}
            )
    for r in rows:
        municipality_model.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "province_code": r["province_code"],
                "province_name": r["province_name"],
                "region": regions[r["region_code"]],
            },
        )
    return len(regions), len(rows)
