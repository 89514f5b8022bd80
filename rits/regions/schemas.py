from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str


class MunicipalityOut(Schema):
    code: str
    name: str
    province_name: str
    region_code: str
