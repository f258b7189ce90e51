"""The one indicator registry.

Every indicator the product shows is declared here once. The pickers, colour direction,
area profile, exports, API and the methods page are all driven from this tuple; the
build fails if an indicator has no data or a data column has no indicator.

Ids are stable: partners' scripts rely on them. Add new ids, never rename old ones.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Literal

from .sources import SOURCES

Level = Literal["individual", "relationships", "community", "society"]
Role = Literal["risk", "protective", "outcome"]
Geography = Literal["lsoa21", "lsoa11", "msoa", "borough"]

LEVELS: tuple[Level, ...] = ("individual", "relationships", "community", "society")
ROLES: tuple[Role, ...] = ("risk", "protective", "outcome")
LEVEL_LABELS = {
    "individual": "Individual",
    "relationships": "Relationships (family and peers)",
    "community": "Community",
    "society": "Society",
}
GEOGRAPHY_LABELS = {
    "lsoa21": "small area (LSOA 2021)",
    "lsoa11": "small area (LSOA 2011, carried to LSOA 2021 by the ONS lookup)",
    "msoa": "neighbourhood (MSOA 2021): every small area in it shares the figure",
    "borough": "borough-wide figure (not measured for small areas)",
}
# Geographies that may colour the small-area map: each LSOA 2021 has its own value or
# honestly shares its neighbourhood's (MSOA) value. Borough figures never colour the map.
MAPPABLE_GEOGRAPHIES = ("lsoa21", "lsoa11", "msoa")


# ---------------------------------------------------------------------------- derivations
#
# Where an indicator's numbers come from, as data: the build reads these (geodata/build.py),
# and ``describe`` writes the same facts out for people (methods page, exports, API). Each
# names its raw file relative to ../shared/data/raw.

CARRIED = ", carried to LSOA 2021 by the ONS lookup"
AREA_KEYS = {"lsoa21": "lsoa21_code", "lsoa11": "lsoa11_code", "msoa": "msoa21_code"}  # code column by geography


@dataclass(frozen=True)
class Column:
    """One column of a table with a row per area: ``value = scale × column`` or, with
    ``per``, ``100 × column / per``. ``key`` is the area code column (for a borough figure
    in a file of small areas, the borough's: the build checks it is one value per borough)."""

    file: str
    column: str
    scale: float = 1.0
    per: str = ""
    key: str = ""
    note: str = ""  # a census table number, or (after ": ") why a figure is shown as it is

    def describe(self, geography: str) -> str:
        if self.per:
            what = f"100 × {self.column} / {self.per} of {self.file}"
        else:
            scaled = f" (× {self.scale:g})" if self.scale != 1 else ""
            what = f"column {self.column}{scaled} of {self.file}"
        note = self.note if self.note.startswith(":") else f" ({self.note})" if self.note else ""
        return what + note + (CARRIED if geography == "lsoa11" else "")


@dataclass(frozen=True)
class LaitMeasure:
    """A measure of the DfE Local Authority Interactive Tool's long files (``measure_short``):
    the latest period with a value for every borough, which must match the indicator's period."""

    file: str
    measure: str

    def describe(self, geography: str) -> str:
        return f"LAIT measure '{self.measure}' in {self.file}"


@dataclass(frozen=True)
class HealthIndexMeasure:
    """One indicator of the ONS Health Index for local authorities, for one year."""

    file: str
    indicator: str
    year: str

    def describe(self, geography: str) -> str:
        return f"indicator '{self.indicator}', year {self.year}, of {self.file}"


@dataclass(frozen=True)
class SitesWithin:
    """Sport England Active Places sites (distinct site_id, operational, public access)
    within ``radius_m`` metres of each small area's centre (the mean of its live postcodes)."""

    file: str
    radius_m: float = 1000.0

    def describe(self, geography: str) -> str:
        return (
            "count of distinct site_id with status Operational and access_group 'Public Access' in "
            f"{self.file} within {self.radius_m / 1000:g} km of each LSOA's centre (the mean of its live postcodes)"
        )


Derivation = Column | LaitMeasure | HealthIndexMeasure | SitesWithin


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    description: str  # one plain-English line
    level: Level
    role: Role
    higher_is_worse: bool
    unit: str  # short, for tables and axis titles
    unit_plain: str  # the unit in words a resident can follow (FIELD_DOCS)
    geography: Geography
    period: str
    source: str  # key into SOURCES
    derived: Derivation  # where the numbers come from: raw file, column or measure, transform
    agg: Literal["mean", "median"] = "mean"  # how areas combine (population-weighted mean)
    decimals: int = 1
    national_note: str = ""  # what the value means against England, where the source says

    @property
    def mappable(self) -> bool:
        return self.geography in MAPPABLE_GEOGRAPHIES

    @property
    def derivation(self) -> str:
        """Which raw column(s), and how, in words (from ``derived``)."""
        return self.derived.describe(self.geography)

    def to_dict(self) -> dict:
        src = SOURCES[self.source]
        d = asdict(self)
        derived = d.pop("derived")
        d.update(
            derivation=self.derivation,
            derived_from={"kind": type(self.derived).__name__, **derived},
            publisher=src.publisher,
            dataset=src.dataset,
            source_url=src.url,
            licence=src.licence,
            licence_confirmed=src.licence_confirmed,
            attribution=src.attribution,
            geography_label=GEOGRAPHY_LABELS[self.geography],
        )
        return d


# What each field of an indicator's record means: the API's schema (web/api/openapi.py) is
# generated from the dataclasses with these words, so a new field is documented once, here.
FIELD_DOCS = {
    "id": "Stable indicator id.",
    "description": "One plain-English line.",
    "level": "Socio-ecological level.",
    "role": "Risk factor, protective factor or outcome.",
    "higher_is_worse": "True when a higher value means more risk or less protection.",
    "unit": "The unit, short, for tables and axis titles.",
    "unit_plain": "The unit in words a resident can follow: what the number counts, its range only where the "
    "source fixes one, and which way is better.",
    "geography": "The geography the source measures it on.",
    "source": "Key of the source dataset.",
    "agg": "How small areas combine: population-weighted mean or median.",
    "decimals": "Decimal places the value is shown with.",
    "national_note": "What the value means against England, where the source says.",
    "derivation": "Which raw column(s), and how, in words.",
    "derived_from": "The same derivation as data: its kind and fields (raw file, column or measure, transform).",
    "publisher": "Who publishes the source.",
    "licence_confirmed": "False where the source's licence is not confirmed in its PROVENANCE.md.",
    "geography_label": "The geography in words.",
}
DERIVATIONS: tuple[type, ...] = (Column, LaitMeasure, HealthIndexMeasure, SitesWithin)


_IOD = "iod2025"
_IOD_PERIOD = "IoD 2025 (published Oct 2025)"
_DECILE_PLAIN = (
    "decile from 1 to 10 among all small areas in England: 1 = the most deprived tenth, 10 = the least deprived tenth"
)
_DECILE_NOTE = "Deciles are national: 1 = the most deprived 10% of areas in England, 10 = the least deprived."
_IOD_FILE = "deprivation/iod2025_lsoa21_west_midlands.csv"
_IOD_UI = "deprivation/iod2025_underlying_indicators_lsoa21_west_midlands.csv"
_CENSUS = "census/census2021_lsoa21_west_midlands.csv"
_LAIT = "education/lait_wm_indicators_long.csv.gz"
_LAIT_H = "health/lait_wm_health_youth_indicators_long.csv"
_HI = "protective/ons_health_index_indicators_ltla_wm.csv"
_CNI = "protective/cni2023_lsoa21_wm.csv"
_AHAH3 = "protective/ahah_v3_domains_lsoa11_wm.csv"
_AHAH4 = "protective/ahah_v4_lsoa21_wm.csv"


def _decile(id_: str, label: str, description: str, level: Level, role: Role, column: str) -> Indicator:
    return Indicator(
        id=id_,
        label=label,
        description=description,
        level=level,
        role=role,
        higher_is_worse=False,
        unit="decile (1 = most deprived 10% in England)",
        unit_plain=_DECILE_PLAIN,
        geography="lsoa21",
        period=_IOD_PERIOD,
        source=_IOD,
        derived=Column(_IOD_FILE, column),
        agg="median",
        decimals=0,
        national_note=_DECILE_NOTE,
    )


def _crime(id_: str, label: str, description: str, column: str, unit_plain: str) -> Indicator:
    return Indicator(
        id=id_,
        label=label,
        description=description,
        level="community",
        role="outcome",
        higher_is_worse=True,
        unit="per 1,000 residents",
        unit_plain=unit_plain,
        geography="lsoa21",
        period="IoD 2025 crime domain (police recorded crime)",
        source=_IOD,
        derived=Column(_IOD_UI, column),
    )


def _lait(
    id_: str,
    label: str,
    description: str,
    level: Level,
    role: Role,
    higher_is_worse: bool,
    unit: str,
    period: str,
    measure: str,
    file: str = _LAIT,
    *,
    unit_plain: str,
) -> Indicator:
    return Indicator(
        id=id_,
        label=label,
        description=description,
        level=level,
        role=role,
        higher_is_worse=higher_is_worse,
        unit=unit,
        unit_plain=unit_plain,
        geography="borough",
        period=period,
        source="dfe_lait",
        derived=LaitMeasure(file, measure),
        decimals=2,
    )


INDICATORS: tuple[Indicator, ...] = (
    # ---- Violence and crime outcomes (shown beside the factors, never inside a risk score)
    _crime(
        "violence_with_injury_rate",
        "Violence with injury",
        "Police-recorded violence with injury, per 1,000 people living in the area.",
        "violence_with_injury_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more violence with injury",
    ),
    _crime(
        "violence_without_injury_rate",
        "Violence without injury",
        "Police-recorded violence without injury, per 1,000 people living in the area.",
        "violence_without_injury_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more violence without injury",
    ),
    _crime(
        "public_order_weapons_rate",
        "Public order and weapons offences",
        "Police-recorded public order and weapon possession offences, per 1,000 people.",
        "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more public order and weapons offences",
    ),
    _crime(
        "antisocial_behaviour_rate",
        "Anti-social behaviour",
        "Police-recorded anti-social behaviour incidents, per 1,000 people.",
        "anti_social_behaviour_rate_per_1_000_at_risk_population",
        unit_plain="incidents recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more anti-social behaviour",
    ),
    _crime(
        "stalking_harassment_rate",
        "Stalking and harassment",
        "Police-recorded stalking and harassment, per 1,000 people.",
        "stalking_and_harassment_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more stalking and harassment",
    ),
    Indicator(
        id="crime_severity_score",
        label="Crime severity score",
        description="All recorded crime weighted by how serious each offence is (borough-wide).",
        level="community",
        role="outcome",
        higher_is_worse=True,
        unit="score (England = about 20)",
        unit_plain="score with no fixed range; higher means more recorded crime, with more serious offences counting for more",
        geography="borough",
        period="April 2022 to March 2023",
        source="crime_severity",
        derived=Column("crime/crime_severity_score_ltla_wm_2022-23.csv", "crime_severity_score", key="ltla23_code"),
    ),
    # ---- Individual
    _decile(
        "cyp_education_decile",
        "Children's education (deprivation decile)",
        "How children and young people here fare in school attainment, staying on and entry to higher education.",
        "individual",
        "risk",
        "cyp_subdomain_decile",
    ),
    _decile(
        "health_decile",
        "Health and disability (deprivation decile)",
        "Premature death, illness, disability and mental ill health compared with England.",
        "individual",
        "risk",
        "health_decile",
    ),
    Indicator(
        id="mental_health_score",
        label="Mental ill health (indicator)",
        description="Modelled rate of adults with mood and anxiety disorders; above 0 is worse than England's average.",
        level="individual",
        role="risk",
        higher_is_worse=True,
        unit="standardised score (0 = England average)",
        unit_plain="score with no fixed range (it can be below 0); higher means more mental ill health among adults",
        geography="lsoa21",
        period=_IOD_PERIOD,
        source=_IOD,
        derived=Column(_IOD_UI, "mental_health_indicator"),
        decimals=2,
    ),
    _lait(
        "permanent_exclusion_rate",
        "Permanent exclusions from school",
        "Pupils permanently excluded, as a percentage of all pupils (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2023/24 academic year",
        "TotPermEx",
        unit_plain="permanent exclusions in the school year for every 100 pupils; lower is better",
    ),
    _lait(
        "suspension_rate",
        "Suspensions from school",
        "Suspensions as a percentage of all pupils (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2023/24 academic year",
        "TotFixedEx",
        unit_plain="suspensions in the school year for every 100 pupils (a pupil can be suspended more than once); lower is better",
    ),
    _lait(
        "persistent_absence_rate",
        "Persistent absence from school",
        "Pupils missing at least 10% of school sessions (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2025 (2024/25 academic year)",
        "TotPerAbNew",
        unit_plain="% of pupils who missed 10% or more of their school sessions; lower is better",
    ),
    _lait(
        "youth_alcohol_admissions_rate",
        "Under-18 alcohol hospital admissions",
        "Hospital admissions of under-18s for alcohol-specific conditions, per 100,000 (borough-wide).",
        "individual",
        "risk",
        True,
        "per 100,000 aged under 18",
        "2021/22-23/24 (three years pooled)",
        "Hosp_Adm_Alc_<18yrs",
        _LAIT_H,
        unit_plain="hospital admissions for alcohol-specific conditions for every 100,000 people under 18, three years pooled; lower is better",
    ),
    Indicator(
        id="early_years_development",
        label="School readiness (early years development)",
        description="ONS Health Index score for children's development at age 5; higher is better (borough-wide).",
        level="individual",
        role="protective",
        higher_is_worse=False,
        unit="% reaching a good level of development",
        unit_plain="% of young children reaching a good level of development (school readiness); higher is better",
        geography="borough",
        period="2021",
        source="ons_health_index",
        derived=HealthIndexMeasure(_HI, "Early years development", "2021"),
    ),
    Indicator(
        id="young_people_in_education_employment",
        label="Young people in education, employment or training",
        description="Share of young people in education, employment or apprenticeships (borough-wide).",
        level="individual",
        role="protective",
        higher_is_worse=False,
        unit="%",
        unit_plain="% of young people in education, a job or an apprenticeship; higher is better",
        geography="borough",
        period="2021",
        source="ons_health_index",
        derived=HealthIndexMeasure(_HI, "Young people in education, employment and apprenticeships", "2021"),
    ),
    _lait(
        "attainment8_score",
        "GCSE attainment (Attainment 8)",
        "Average Attainment 8 score per pupil at the end of secondary school; higher is better (borough-wide).",
        "individual",
        "protective",
        False,
        "score per pupil",
        "2025",
        "AVG_Attain8_Score",
        unit_plain="average Attainment 8 GCSE score per pupil in state-funded schools; higher means better GCSE results",
    ),
    # ---- Relationships (family and peers)
    _decile(
        "idaci_decile",
        "Children in low-income families (IDACI decile)",
        "Income Deprivation Affecting Children Index: share of children in income-deprived families.",
        "relationships",
        "risk",
        "idaci_decile",
    ),
    Indicator(
        id="overcrowded_households_pct",
        label="Overcrowded homes",
        description="Households with fewer bedrooms than they need.",
        level="relationships",
        role="risk",
        higher_is_worse=True,
        unit="% of households",
        unit_plain="% of households with fewer bedrooms than they need; lower is better",
        geography="lsoa21",
        period="Census 2021",
        source="census2021",
        derived=Column(_CENSUS, "pct_hh_overcrowded_bedrooms", note="TS052"),
    ),
    Indicator(
        id="household_churn",
        label="Household turnover",
        description="Share of households that changed between 2018 and 2023; high turnover means less stable homes.",
        level="relationships",
        role="risk",
        higher_is_worse=True,
        unit="% of households",
        unit_plain="% of households that changed between 2018 and 2023; higher means homes are less settled",
        geography="lsoa11",
        period="2018 to 2023",
        source="cdrc_churn",
        derived=Column("protective/cdrc_household_churn_2018_2023_lsoa11_wm.csv", "churn_2018_2023", scale=100),
    ),
    _lait(
        "children_in_need_rate",
        "Children in need",
        "Children assessed as needing social care support, per 10,000 children (borough-wide).",
        "relationships",
        "risk",
        True,
        "per 10,000 children",
        "2025",
        "CIN",
        unit_plain="children in need of social care support for every 10,000 children; lower is better",
    ),
    _lait(
        "child_protection_plan_rate",
        "Child protection plans starting",
        "Child protection plans started in the year, per 10,000 children (borough-wide).",
        "relationships",
        "risk",
        True,
        "per 10,000 children",
        "2025",
        "CPP_Abuse_Rate",
        unit_plain="child protection plans started in the year for every 10,000 children; lower is better",
    ),
    Indicator(
        id="households_not_deprived_pct",
        label="Households not deprived",
        description="Households not deprived in any of employment, education, health or housing: financial security.",
        level="relationships",
        role="protective",
        higher_is_worse=False,
        unit="% of households",
        unit_plain="% of households deprived in none of the four ways the census counts (employment, education, health and disability, housing); higher is better",
        geography="lsoa21",
        period="Census 2021",
        source="census2021",
        derived=Column(_CENSUS, "ts011_hh_deprived_0_dims", per="ts011_households_total", note="TS011"),
    ),
    Indicator(
        id="same_address_pct",
        label="Settled homes",
        description="Residents living at the same address a year earlier: stable homes (neighbourhood figure).",
        level="relationships",
        role="protective",
        higher_is_worse=False,
        unit="% of residents",
        unit_plain="% of residents living at the same address a year before the census; higher means more settled homes",
        geography="msoa",
        period="Census 2021",
        source="census2021",
        derived=Column(
            "protective/census2021_ts019_migration_msoa21_wm.csv", "pct_same_address_one_year_ago", note="TS019"
        ),
    ),
    # ---- Community
    Indicator(
        id="loneliness_pct",
        label="Loneliness (modelled)",
        description="Estimated share of adults who feel lonely often or some of the time; a proxy for low connectedness.",
        level="community",
        role="risk",
        higher_is_worse=True,
        unit="% of adults (modelled)",
        unit_plain="estimated % of adults who feel lonely often, always or some of the time (modelled from a national survey, not counted here); lower is better",
        geography="lsoa21",
        period="Community Life Survey 2020/21",
        source="loneliness",
        derived=Column("protective/loneliness_cls_lsoa21_wm.csv", "pct_lonely_often_some_of_time"),
    ),
    Indicator(
        id="community_needs_score",
        label="Community needs (social infrastructure)",
        description="Community Needs Index: lack of places to meet, connectivity and community activity; higher is more need.",
        level="community",
        role="risk",
        higher_is_worse=True,
        unit="index score",
        unit_plain="score with no fixed range; higher means more need: fewer places to meet, weaker connections and less community activity",
        geography="lsoa21",
        period="2023",
        source="cni2023",
        derived=Column(_CNI, "cni_score"),
    ),
    Indicator(
        id="retail_hazards_score",
        label="Retail hazards nearby",
        description="Closeness to fast food, gambling, pubs, off-licences and tobacco shops; higher is more exposure.",
        level="community",
        role="risk",
        higher_is_worse=True,
        unit="AHAH domain score",
        unit_plain="score with no fixed range (it can be below 0); higher means more fast food outlets, gambling shops, pubs and bars, off-licences and tobacco shops close by",
        geography="lsoa11",
        period="AHAH v3 (inputs 2019–2022)",
        source="ahah",
        derived=Column(_AHAH3, "ah3r"),
        decimals=2,
    ),
    Indicator(
        id="civic_assets_score",
        label="Places to meet (civic assets)",
        description="Community Needs Index civic-assets domain: fewer community, sports and cultural spaces scores higher.",
        level="community",
        role="protective",
        higher_is_worse=True,
        unit="domain score (higher = fewer assets)",
        unit_plain="score with no fixed range (it can be below 0); higher means fewer community, sports and cultural spaces nearby",
        geography="lsoa21",
        period="2023",
        source="cni2023",
        derived=Column(_CNI, "civic_assets_score"),
        decimals=2,
    ),
    Indicator(
        id="active_community_score",
        label="Active and engaged community",
        description="Community Needs Index domain for volunteering, charities and civic participation; higher is more need.",
        level="community",
        role="protective",
        higher_is_worse=True,
        unit="domain score (higher = less active)",
        unit_plain="score with no fixed range; higher means less volunteering, charity and civic activity",
        geography="lsoa21",
        period="2023",
        source="cni2023",
        derived=Column(_CNI, "active_engaged_community_score"),
    ),
    Indicator(
        id="connectedness_score",
        label="Connected community",
        description="Community Needs Index domain for connection to key services, digital infrastructure and "
        "local jobs; higher is more need.",
        level="community",
        role="protective",
        higher_is_worse=True,
        unit="domain score (higher = less connected)",
        unit_plain="score with no fixed range; higher means weaker links to key services, digital infrastructure and local jobs",
        geography="lsoa21",
        period="2023",
        source="cni2023",
        derived=Column(_CNI, "connectedness_score"),
    ),
    Indicator(
        id="leisure_centre_minutes",
        label="Time to a leisure centre",
        description="Average travel time by road from homes here to the nearest leisure centre.",
        level="community",
        role="protective",
        higher_is_worse=True,
        unit="minutes",
        unit_plain="average travel time by road, in minutes, from homes here to the nearest leisure centre; lower is better",
        geography="lsoa21",
        period="AHAH v4 (inputs 2022–2024)",
        source="ahah",
        derived=Column(_AHAH4, "ah4leis"),
        decimals=2,
    ),
    Indicator(
        id="sports_sites_within_1km",
        label="Sports sites within 1 km",
        description="Operational, publicly accessible Sport England Active Places sites within 1 km of the area's centre.",
        level="community",
        role="protective",
        higher_is_worse=False,
        unit="sites",
        unit_plain="number of open, publicly accessible sports sites within 1 km of the area's central point; more is better",
        geography="lsoa21",
        period="Active Places, January 2026",
        source="sport_england",
        derived=SitesWithin("protective/sport_england_active_places_facilities_wm.csv"),
        decimals=0,
    ),
    Indicator(
        id="green_space_score",
        label="Access to green and blue space",
        description="AHAH green and blue space domain; higher means less green and blue space nearby.",
        level="community",
        role="protective",
        higher_is_worse=True,
        unit="AHAH domain score",
        unit_plain="score with no fixed range (it can be below 0); higher means less green space and water (blue space) nearby",
        geography="lsoa11",
        period="AHAH v3 (inputs 2019–2022)",
        source="ahah",
        derived=Column(_AHAH3, "ah3g"),
        decimals=2,
    ),
    # ---- Society
    _decile(
        "imd_decile",
        "Overall deprivation (IMD decile)",
        "Index of Multiple Deprivation 2025: 1 means among the most deprived 10% of areas in England.",
        "society",
        "risk",
        "imd_decile",
    ),
    _decile(
        "income_decile",
        "Income deprivation (decile)",
        "Share of people on low incomes or out-of-work benefits, as a national decile.",
        "society",
        "risk",
        "income_decile",
    ),
    _decile(
        "employment_decile",
        "Employment deprivation (decile)",
        "Working-age people involuntarily out of work, as a national decile.",
        "society",
        "risk",
        "employment_decile",
    ),
    Indicator(
        id="homelessness_rate",
        label="Homelessness",
        description="Households owed a homelessness duty, per 1,000 households (one figure for the whole borough).",
        level="society",
        role="risk",
        higher_is_worse=True,
        unit="per 1,000 households",
        unit_plain="homelessness cases counted by the Indices of Deprivation for every 1,000 households, one figure for the whole borough; lower is better",
        geography="borough",
        period=_IOD_PERIOD,
        source=_IOD,
        derived=Column(
            _IOD_UI,
            "homelessness_indicator_rate_per_1_000_households",
            key="ltla24_code",
            note=": the IoD gives every LSOA its local authority's figure, so it is shown as a borough figure",
        ),
        decimals=2,
    ),
    Indicator(
        id="households_deprived_2plus_pct",
        label="Households deprived in two or more ways",
        description="Households deprived in at least two of employment, education, health and housing.",
        level="society",
        role="risk",
        higher_is_worse=True,
        unit="% of households",
        unit_plain="% of households deprived in two or more of the four ways the census counts (employment, education, health and disability, housing); lower is better",
        geography="lsoa21",
        period="Census 2021",
        source="census2021",
        derived=Column(_CENSUS, "pct_hh_deprived_2plus_dims", note="TS011"),
    ),
    _decile(
        "housing_quality_decile",
        "Housing quality (indoor living environment decile)",
        "Housing in poor condition or without central heating; a high decile means good housing.",
        "society",
        "protective",
        "indoors_subdomain_decile",
    ),
    Indicator(
        id="gp_minutes",
        label="Time to a GP",
        description="Average travel time by road to the nearest GP surgery: how reachable services are.",
        level="society",
        role="protective",
        higher_is_worse=True,
        unit="minutes",
        unit_plain="average travel time by road, in minutes, from homes here to the nearest GP surgery; lower is better",
        geography="lsoa21",
        period="AHAH v4 (inputs 2022–2024)",
        source="ahah",
        derived=Column(_AHAH4, "ah4gp"),
        decimals=2,
    ),
    Indicator(
        id="life_satisfaction",
        label="Life satisfaction",
        description="ONS Health Index measure of adults' life satisfaction; higher is better (borough-wide).",
        level="society",
        role="protective",
        higher_is_worse=False,
        unit="Health Index indicator value",
        unit_plain="average of the ratings adults give their own life satisfaction in a survey; higher is better",
        geography="borough",
        period="2021",
        source="ons_health_index",
        derived=HealthIndexMeasure(_HI, "Life satisfaction", "2021"),
        decimals=2,
    ),
)

# ---------------------------------------------------------------------------- other measures
#
# Besides the indicators, the map and the planners' tools show composite indices built from
# them and, when monthly police.uk files were built, police.uk rates. Both are typed entries
# here, looked up by id (never recognised by an id's prefix).

IndexRole = Literal["risk", "protective"]
INDEX_ROLES: tuple[IndexRole, ...] = ("risk", "protective")


@dataclass(frozen=True)
class CompositeIndex:
    """A risk or protective index over the small-area indicators of one role (and level)."""

    id: str
    role: IndexRole
    level: Level | None  # None: all levels

    @property
    def label(self) -> str:
        name = {"risk": "Risk index", "protective": "Protective index"}[self.role]
        return f"{name}: {LEVEL_LABELS[self.level]}" if self.level else f"{name} (all levels)"

    @property
    def factors(self) -> tuple[Indicator, ...]:
        """Its indicators: mappable ones of its role (and level); outcomes are never inside an index."""
        return tuple(i for i in INDICATORS if i.mappable and i.role == self.role and self.level in (None, i.level))


# data.police.uk's street-level categories (since May 2013; older months used two others
# and LSOA 2011 codes, so they are out of scope for LSOA 2021 counts).
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)


@dataclass(frozen=True)
class PoliceRate:
    """A pooled, smoothed police.uk rate: all crime, or one crime type."""

    id: str
    crime_type: str | None  # None: all crime and anti-social behaviour

    @property
    def label(self) -> str:
        what = self.crime_type or "All crime and anti-social behaviour"
        return f"{what} (police.uk, pooled months)"


def _index_id(role: str, level: str | None) -> str:
    return f"{role}_index" + (f"_{level}" if level else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


_BY_ID = {ind.id: ind for ind in INDICATORS}
DEFAULT_INDICATOR = "violence_with_injury_rate"

# Every index with at least one small-area factor, each role's overall index first.
INDICES: tuple[CompositeIndex, ...] = tuple(
    ix
    for role in INDEX_ROLES
    for ix in (
        CompositeIndex(_index_id(role, None), role, None),
        *(CompositeIndex(_index_id(role, lv), role, lv) for lv in LEVELS),
    )
    if ix.factors
)
POLICE_RATES: tuple[PoliceRate, ...] = (
    PoliceRate("police_all_crime", None),
    *(PoliceRate("police_" + _slug(t), t) for t in CRIME_TYPES),
)
_INDEX_BY_ID = {ix.id: ix for ix in INDICES}
_POLICE_BY_ID = {p.id: p for p in POLICE_RATES}


def get(indicator_id: str) -> Indicator:
    """The indicator with this id; KeyError if there is none."""
    return _BY_ID[indicator_id]


def exists(indicator_id: object) -> bool:
    return isinstance(indicator_id, str) and indicator_id in _BY_ID


def mappable() -> tuple[Indicator, ...]:
    return tuple(i for i in INDICATORS if i.mappable)


def index(measure_id: object) -> CompositeIndex | None:
    """The composite index with this id, or None."""
    return _INDEX_BY_ID.get(measure_id) if isinstance(measure_id, str) else None


def police_rate(measure_id: object) -> PoliceRate | None:
    """The police.uk rate with this id (whether or not its files were built), or None."""
    return _POLICE_BY_ID.get(measure_id) if isinstance(measure_id, str) else None
