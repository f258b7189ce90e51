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
    plus: tuple[str, ...] = ()  # further count columns added to ``column`` (only with ``per``)

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, *self.plus)

    def describe(self, geography: str) -> str:
        if self.per:
            counts = " + ".join(self.columns)
            what = f"100 × {f'({counts})' if self.plus else counts} / {self.per} of {self.file}"
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
    caveat: str = ""  # what the figure does not measure, or how far it is a proxy for its factor

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
    "caveat": "What the figure does not measure, or how far it stands in for its factor (empty when nothing to add).",
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
_EYFS_CAVEAT = (
    "Teachers' assessment against the Early Years Foundation Stage Profile; the profile was revised in "
    "2021/22, so it is not comparable with earlier years."
)
_FSM_CAVEAT = (
    "Eligibility, not take-up; since April 2018 transitional protection keeps pupils eligible when their "
    "family's circumstances change, which has pushed the share up."
)
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


# The IoD 2025 File 8 crime rates, as the raw columns name them: per 1,000 of the "at-risk
# population" (burglary: per 1,000 at-risk properties), not per 1,000 residents. Neither the raw
# file nor its PROVENANCE.md names the years of police recorded crime behind them, so the period
# says that rather than guess.
_AT_RISK = "per 1,000 at-risk population"
_CRIME_PERIOD = "IoD 2025 crime domain (published Oct 2025; police recorded crime, years not stated in the raw file)"
_CRIME_CAVEAT = (
    "A rate per 1,000 of what the Indices of Deprivation call the at-risk population, not per 1,000 residents; "
    "the raw file does not say which years of police recorded crime it covers."
)


def _crime(
    id_: str,
    label: str,
    description: str,
    column: str,
    unit_plain: str,
    role: Role = "outcome",
    unit: str = _AT_RISK,
) -> Indicator:
    return Indicator(
        id=id_,
        label=label,
        description=description,
        level="community",
        role=role,
        higher_is_worse=True,
        unit=unit,
        unit_plain=unit_plain,
        geography="lsoa21",
        period=_CRIME_PERIOD,
        source=_IOD,
        derived=Column(_IOD_UI, column),
        caveat=_CRIME_CAVEAT,
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
    caveat: str = "",
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
        caveat=caveat,
    )


INDICATORS: tuple[Indicator, ...] = (
    # ---- Violence and crime outcomes (shown beside the factors, never inside a risk score)
    _crime(
        "violence_with_injury_rate",
        "Violence with injury",
        "Police-recorded violence with injury, per 1,000 of the at-risk population.",
        "violence_with_injury_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more violence with injury",
    ),
    _crime(
        "violence_without_injury_rate",
        "Violence without injury",
        "Police-recorded violence without injury, per 1,000 of the at-risk population.",
        "violence_without_injury_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more violence without injury",
    ),
    _crime(
        "public_order_weapons_rate",
        "Public order and weapons offences",
        "Police-recorded public order and weapon possession offences, per 1,000 of the at-risk population.",
        "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population",
        unit_plain="offences recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more public order and weapons offences",
    ),
    _crime(
        "antisocial_behaviour_rate",
        "Anti-social behaviour",
        "Police-recorded anti-social behaviour incidents, per 1,000 of the at-risk population.",
        "anti_social_behaviour_rate_per_1_000_at_risk_population",
        unit_plain="incidents recorded by the police for every 1,000 people in what the source calls the at-risk population; higher means more anti-social behaviour",
    ),
    _crime(
        "stalking_harassment_rate",
        "Stalking and harassment",
        "Police-recorded stalking and harassment, per 1,000 of the at-risk population.",
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
        unit="score (no fixed range)",
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
        "Suspensions from school (per 100 pupils)",
        "Suspensions in the school year for every 100 pupils; one pupil can be suspended several times (borough-wide).",
        "individual",
        "risk",
        True,
        "suspensions per 100 pupils",
        "2023/24 academic year",
        "TotFixedEx",
        unit_plain="suspensions in the school year for every 100 pupils (a pupil can be suspended more than once); lower is better",
        caveat="Counts suspensions, not pupils: one pupil suspended three times counts three times. "
        "pupils_suspended_pct is the share of pupils suspended at least once.",
    ),
    _lait(
        "pupils_suspended_pct",
        "Pupils suspended at least once",
        "Pupils with one or more suspensions in the school year, as a share of all pupils (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2023/24 academic year",
        "Total_ Pup_FixedEx",
        unit_plain="% of pupils suspended at least once in the school year; lower is better",
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
        "severe_absence_pct",
        "Severe absence from school",
        "Pupils missing at least half of their school sessions (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2025 (2024/25 academic year)",
        "TotSevPerAbNew",
        unit_plain="% of pupils who missed half or more of their school sessions; lower is better",
    ),
    _lait(
        "ehcp_pupils_pct",
        "Pupils with an education, health and care plan",
        "Pupils with an education, health and care (EHC) plan or statement of special educational needs, "
        "all schools (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2025",
        "SEN_TotStat",
        unit_plain="% of pupils with an education, health and care plan (or a statement) for special educational "
        "needs; higher means more pupils with the greatest identified needs",
        caveat="Counts needs that have been identified and planned for, so it reflects councils' and schools' "
        "practice as well as children's learning and behavioural difficulties.",
    ),
    _lait(
        "sen_support_pct",
        "Pupils on special educational needs support",
        "Pupils receiving special educational needs (SEN) support without an EHC plan, all schools (borough-wide).",
        "individual",
        "risk",
        True,
        "% of pupils",
        "2025",
        "SEN_TotSENSuP",
        unit_plain="% of pupils receiving support in school for special educational needs without an education, "
        "health and care plan; higher means more pupils with identified needs",
        caveat="Counts needs that schools have identified, so it reflects schools' practice as well as children's "
        "learning and behavioural difficulties.",
    ),
    _lait(
        "low_birth_weight_pct",
        "Low birth weight at term",
        "Babies born at full term (37 weeks or more) weighing under 2.5 kg (borough-wide).",
        "individual",
        "risk",
        True,
        "% of births",
        "2024",
        "Low_Birth_Weight_Babies",
        unit_plain="% of live births at full term (37 weeks or more) with a birth weight under 2,500 g; lower is better",
        caveat="A proxy for perinatal adversity: it does not measure birth trauma itself.",
    ),
    _lait(
        "child_injury_admissions_rate",
        "Hospital admissions for injuries, under 15s",
        "Children under 15 admitted to hospital as an emergency for an injury, accidental or deliberate, per 10,000 "
        "(borough-wide).",
        "individual",
        "risk",
        True,
        "per 10,000 aged under 15",
        "2024",
        "HospAd0-14",
        unit_plain="hospital admissions caused by unintentional and deliberate injuries for every 10,000 children "
        "under 15; lower is better",
        caveat="Every kind of injury, not brain injury alone: the nearest open figure to traumatic brain injury, "
        "and only a partial proxy for it.",
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
    _lait(
        "early_years_development",
        "School readiness (early years development)",
        "Children reaching a good level of development at the end of reception, the year they turn 5 (borough-wide).",
        "individual",
        "protective",
        False,
        "% of children",
        "2025 (2024/25 academic year)",
        "FSP_NEW_GOODDEV",
        unit_plain="% of children assessed by their teachers as reaching a good level of development at the end of "
        "reception (school readiness); higher is better",
        caveat=_EYFS_CAVEAT,
    ),
    _lait(
        "early_years_social_emotional_pct",
        "Personal, social and emotional development at age 5",
        "Children reaching the expected level in personal, social and emotional development at the end of reception "
        "(borough-wide): the nearest open measure of emotional regulation.",
        "individual",
        "protective",
        False,
        "% of children",
        "2025 (2024/25 academic year)",
        "FSP_NEW_PSE",
        unit_plain="% of children reaching the expected level in personal, social and emotional development "
        "(self-regulation, managing themselves, building relationships) at the end of reception; higher is better",
        caveat=_EYFS_CAVEAT,
    ),
    _lait(
        "early_years_communication_pct",
        "Communication and language at age 5",
        "Children reaching the expected level in communication and language at the end of reception (borough-wide).",
        "individual",
        "protective",
        False,
        "% of children",
        "2025 (2024/25 academic year)",
        "FSP_NEW_COMMS",
        unit_plain="% of children reaching the expected level in communication and language (listening, attention, "
        "understanding and speaking) at the end of reception; higher is better",
        caveat=_EYFS_CAVEAT,
    ),
    _lait(
        "neet_16_17_pct",
        "16-17 year olds not in education, employment or training",
        "Estimated share of 16 and 17 year olds not in education, employment or training (NEET) (borough-wide).",
        "individual",
        "risk",
        True,
        "% of 16-17 year olds",
        "2025",
        "16-17 NEET",
        unit_plain="estimated % of 16 and 17 year olds not in education, employment or training; lower is better",
        caveat="An estimate, averaged over December, January and February (LAIT data dictionary); young people "
        "whose activity is not known are reported separately and are not in this figure.",
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
    _decile(
        "adult_skills_decile",
        "Adult skills and English (deprivation decile)",
        "Adults with few or no qualifications or who cannot speak English well: a high decile means good skills.",
        "individual",
        "protective",
        "adult_skills_subdomain_decile",
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
        derived=Column(
            _CENSUS,
            "ts052_occ_rating_bedrooms_minus1",
            plus=("ts052_occ_rating_bedrooms_minus2_or_less",),
            per="ts052_households_total",
            note="TS052",
        ),
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
    _lait(
        "children_looked_after_rate",
        "Children looked after",
        "Children in the care of the council on 31 March, per 10,000 children under 18 (borough-wide).",
        "relationships",
        "risk",
        True,
        "per 10,000 children",
        "2025",
        "LAC",
        unit_plain="children looked after by the council on 31 March for every 10,000 children under 18; lower is better",
        caveat="A proxy for family breakdown: children come into care for many reasons, and a council's practice "
        "affects the rate.",
    ),
    _lait(
        "child_poverty_pct",
        "Children in low-income families",
        "Children living in low-income families (borough-wide).",
        "relationships",
        "risk",
        True,
        "% of children",
        "2025",
        "ChildPov",
        unit_plain="% of children living in families on a low income; lower is better",
    ),
    _lait(
        "fsm_primary_pct",
        "Free school meals: primary pupils",
        "Pupils in state-funded primary schools eligible for free school meals (borough-wide).",
        "relationships",
        "risk",
        True,
        "% of pupils",
        "2025 (January 2025 school census)",
        "PriFSM",
        unit_plain="% of primary school pupils eligible for free school meals (their family receives a qualifying "
        "benefit on a low income); lower is better",
        caveat=_FSM_CAVEAT,
    ),
    _lait(
        "fsm_secondary_pct",
        "Free school meals: secondary pupils",
        "Pupils in state-funded secondary schools eligible for free school meals (borough-wide).",
        "relationships",
        "risk",
        True,
        "% of pupils",
        "2025 (January 2025 school census)",
        "SecFSM",
        unit_plain="% of secondary school pupils eligible for free school meals (their family receives a qualifying "
        "benefit on a low income); lower is better",
        caveat=_FSM_CAVEAT,
    ),
    _lait(
        "first_time_entrants_rate",
        "First-time entrants to youth justice",
        "Children aged 10 to 17 receiving their first caution or conviction, per 100,000 (borough-wide).",
        "relationships",
        "risk",
        True,
        "per 100,000 aged 10-17",
        "2024",
        "FirstYJS",
        unit_plain="children aged 10 to 17 cautioned or convicted for the first time in the year for every 100,000 "
        "children of that age living in the borough; lower is better",
        caveat="Counts children's offending, not family offending; it also reflects how the police deal with "
        "young people (penalty notices are not counted).",
    ),
    _lait(
        "youth_reoffending_pct",
        "Reoffending by 15-17 year olds",
        "Young people aged 15 to 17 who reoffended after a caution, a court sentence or release from custody "
        "(borough-wide).",
        "relationships",
        "risk",
        True,
        "% who reoffend",
        "2024",
        "ReoffYO15-17",
        unit_plain="% of 15 to 17 year olds cautioned, sentenced or released from custody who were proven to "
        "reoffend; lower is better",
        caveat="The source has no England figure for this period. Small numbers in each borough make it move a "
        "lot from year to year; the 10 to 14 year olds' figure is suppressed for most boroughs, so it is not shown.",
    ),
    _lait(
        "children_cautioned_sentenced_rate",
        "Children cautioned or sentenced",
        "Children aged 10 to 17 cautioned or sentenced in the year, per 10,000 (borough-wide).",
        "relationships",
        "risk",
        True,
        "per 10,000 aged 10-17",
        "2024-25",
        "YJS_Caution-Sentence10-17_YO",
        unit_plain="children aged 10 to 17 cautioned or sentenced in the year for every 10,000 children of that age; "
        "lower is better",
        caveat="The source has no West Midlands region or England figure for this measure.",
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
    _crime(
        "burglary_rate",
        "Burglary",
        "Police-recorded burglary, per 1,000 properties at risk.",
        "burglary_rate_per_1_000_at_risk_properties",
        unit_plain="burglaries recorded by the police for every 1,000 properties the source counts as at risk; "
        "lower is better",
        unit="per 1,000 at-risk properties",
    ),
    _crime(
        "theft_rate",
        "Theft",
        "Police-recorded theft, per 1,000 of the at-risk population.",
        "theft_rate_per_1_000_at_risk_population",
        unit_plain="thefts recorded by the police for every 1,000 people in what the source calls the at-risk "
        "population; lower is better",
    ),
    _crime(
        "criminal_damage_rate",
        "Criminal damage",
        "Police-recorded criminal damage, per 1,000 of the at-risk population.",
        "criminal_damage_rate_per_1_000_at_risk_population",
        unit_plain="criminal damage offences recorded by the police for every 1,000 people in what the source calls "
        "the at-risk population; lower is better",
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
    _decile(
        "outdoor_environment_decile",
        "Outdoor living environment (decile)",
        "The IoD outdoors sub-domain (air quality and road traffic accidents in its IoD 2019 inputs): a high decile "
        "means a cleaner, safer outdoor environment.",
        "community",
        "protective",
        "outdoors_subdomain_decile",
    ),
    Indicator(
        id="blue_space_minutes",
        label="Time to blue space",
        description="Average travel time by road from homes here to the nearest blue space.",
        level="community",
        role="protective",
        higher_is_worse=True,
        unit="minutes",
        unit_plain="average travel time by road, in minutes, from homes here to the nearest blue space; lower is better",
        geography="lsoa21",
        period="AHAH v4 (inputs 2022–2024)",
        source="ahah",
        derived=Column(_AHAH4, "ah4blue"),
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
        derived=Column(
            _CENSUS,
            "ts011_hh_deprived_2_dims",
            plus=("ts011_hh_deprived_3_dims", "ts011_hh_deprived_4_dims"),
            per="ts011_households_total",
            note="TS011",
        ),
    ),
    _decile(
        "barriers_decile",
        "Barriers to housing and services (decile)",
        "How hard services and housing are to reach (in IoD 2025's File 8: connectivity, broadband speeds, patients "
        "per GP, housing affordability, overcrowding and homelessness): a high decile means fewer barriers.",
        "society",
        "risk",
        "barriers_decile",
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
        id="dentist_minutes",
        label="Time to a dentist",
        description="Average travel time by road to the nearest dentist.",
        level="society",
        role="protective",
        higher_is_worse=True,
        unit="minutes",
        unit_plain="average travel time by road, in minutes, from homes here to the nearest dentist; lower is better",
        geography="lsoa21",
        period="AHAH v4 (inputs 2022–2024)",
        source="ahah",
        derived=Column(_AHAH4, "ah4dent"),
        decimals=2,
    ),
    Indicator(
        id="pharmacy_minutes",
        label="Time to a pharmacy",
        description="Average travel time by road to the nearest pharmacy.",
        level="society",
        role="protective",
        higher_is_worse=True,
        unit="minutes",
        unit_plain="average travel time by road, in minutes, from homes here to the nearest pharmacy; lower is better",
        geography="lsoa21",
        period="AHAH v4 (inputs 2022–2024)",
        source="ahah",
        derived=Column(_AHAH4, "ah4phar"),
        decimals=2,
    ),
    Indicator(
        id="hospital_minutes",
        label="Time to a hospital",
        description="Average travel time by road to the nearest hospital.",
        level="society",
        role="protective",
        higher_is_worse=True,
        unit="minutes",
        unit_plain="average travel time by road, in minutes, from homes here to the nearest hospital; lower is better",
        geography="lsoa21",
        period="AHAH v4 (inputs 2022–2024)",
        source="ahah",
        derived=Column(_AHAH4, "ah4hosp"),
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

# ---------------------------------------------------------------------------- the frame's factors
#
# The unit's own lists of risk and protective factors (product.md), each with the indicators
# that measure it or stand in for it (wherever each is filed: travel time to a GP, a protective
# factor, measures how reachable services are), or, where the raw data holds nothing for it, why not.
# The methods page and docs/methods.md show this list, so a factor with no open data is named
# rather than silently missing.


@dataclass(frozen=True)
class FrameFactor:
    level: Level
    role: Literal["risk", "protective"]
    factor: str
    indicators: tuple[str, ...] = ()  # ids that measure it or stand in for it
    no_open_data: str = ""  # why nothing measures it, when ``indicators`` is empty


def _no(level: Level, role: Literal["risk", "protective"], factor: str, why: str) -> FrameFactor:
    return FrameFactor(level, role, factor, (), why)


_NO_RAW = "no open data for it is in the raw folder, at any geography"
FRAME: tuple[FrameFactor, ...] = (
    # Individual
    FrameFactor("individual", "risk", "perinatal trauma", ("low_birth_weight_pct",)),
    _no(
        "individual",
        "risk",
        "early malnutrition",
        "no open measure of malnutrition: the raw folder has only excess weight at reception and Year 6 "
        "and breastfeeding at 6 weeks (LAIT, borough), which measure other things",
    ),
    FrameFactor(
        "individual",
        "risk",
        "behavioural and learning difficulties",
        ("ehcp_pupils_pct", "sen_support_pct", "permanent_exclusion_rate", "suspension_rate", "pupils_suspended_pct"),
    ),
    FrameFactor("individual", "risk", "alcohol and substance misuse", ("youth_alcohol_admissions_rate",)),
    FrameFactor("individual", "risk", "traumatic brain injury", ("child_injury_admissions_rate",)),
    _no(
        "individual",
        "risk",
        "gender",
        "a characteristic of people, not of places: the explorer describes areas, never people",
    ),
    FrameFactor(
        "individual",
        "protective",
        "healthy problem solving and emotional regulation",
        ("early_years_social_emotional_pct",),
    ),
    FrameFactor("individual", "protective", "school readiness", ("early_years_development",)),
    FrameFactor(
        "individual",
        "protective",
        "good communication skills",
        ("early_years_communication_pct", "adult_skills_decile"),
    ),
    _no("individual", "protective", "healthy social relationships", _NO_RAW),
    # Relationships
    FrameFactor(
        "relationships",
        "risk",
        "low family income",
        ("idaci_decile", "child_poverty_pct", "fsm_primary_pct", "fsm_secondary_pct"),
    ),
    _no("relationships", "risk", "poor parenting", _NO_RAW),
    FrameFactor("relationships", "risk", "family size", ("overcrowded_households_pct",)),
    FrameFactor("relationships", "risk", "abuse and neglect", ("child_protection_plan_rate", "children_in_need_rate")),
    _no("relationships", "risk", "household substance misuse", _NO_RAW),
    FrameFactor("relationships", "risk", "mental illness", ("mental_health_score",)),
    _no(
        "relationships",
        "risk",
        "violence in the family",
        "no open small-area or borough figure for domestic abuse is in the raw folder",
    ),
    FrameFactor("relationships", "risk", "family breakdown", ("children_looked_after_rate", "household_churn")),
    FrameFactor(
        "relationships",
        "risk",
        "offending",
        ("first_time_entrants_rate", "youth_reoffending_pct", "children_cautioned_sentenced_rate"),
    ),
    FrameFactor("relationships", "protective", "stable homes", ("same_address_pct",)),
    _no("relationships", "protective", "nurturing relationships", _NO_RAW),
    _no("relationships", "protective", "consistent parenting", _NO_RAW),
    _no("relationships", "protective", "shared activities", _NO_RAW),
    FrameFactor(
        "relationships", "protective", "financial security and economic opportunity", ("households_not_deprived_pct",)
    ),
    # Community
    FrameFactor(
        "community",
        "risk",
        "unsafe or violent communities",
        ("burglary_rate", "theft_rate", "criminal_damage_rate", "retail_hazards_score"),
    ),
    FrameFactor(
        "community", "risk", "low social integration and mobility", ("loneliness_pct", "community_needs_score")
    ),
    FrameFactor("community", "risk", "lack of recreation", ("civic_assets_score", "leisure_centre_minutes")),
    _no(
        "community",
        "risk",
        "too little for young people to do",
        "no open count of youth clubs or activities for young people: sports sites, libraries and warm spaces "
        "are the nearest, and are shown as nearby strengths",
    ),
    FrameFactor("community", "protective", "belonging and connectedness", ("connectedness_score",)),
    FrameFactor("community", "protective", "a safe environment", ("outdoor_environment_decile",)),
    FrameFactor("community", "protective", "cohesion", ("active_community_score",)),
    FrameFactor(
        "community",
        "protective",
        "opportunities for sport and hobbies",
        ("sports_sites_within_1km", "leisure_centre_minutes", "green_space_score", "blue_space_minutes"),
    ),
    # Society
    FrameFactor(
        "society",
        "risk",
        "socio-economic deprivation",
        ("imd_decile", "income_decile", "households_deprived_2plus_pct"),
    ),
    FrameFactor("society", "risk", "high unemployment", ("employment_decile",)),
    FrameFactor(
        "society", "risk", "homelessness and poor housing", ("homelessness_rate", "overcrowded_households_pct")
    ),
    _no("society", "risk", "a culture that normalises violence", _NO_RAW),
    _no(
        "society",
        "risk",
        "discrimination",
        "no open measure of discrimination is in the raw folder; ethnicity is context, never a risk factor",
    ),
    FrameFactor(
        "society",
        "risk",
        "hard-to-reach services",
        ("barriers_decile", "gp_minutes", "dentist_minutes", "pharmacy_minutes", "hospital_minutes"),
    ),
    FrameFactor("society", "protective", "good housing", ("housing_quality_decile",)),
    FrameFactor(
        "society",
        "protective",
        "high standards of living",
        ("households_not_deprived_pct",),
    ),
    FrameFactor("society", "protective", "valued social roles", ("life_satisfaction",)),
)
NO_OPEN_DATA: tuple[FrameFactor, ...] = tuple(f for f in FRAME if not f.indicators)

# Ids no longer served, and why (ids are never reused for another meaning).
RETIRED: dict[str, str] = {
    "young_people_in_education_employment": "the ONS Health Index 2021 figure had no England comparator; replaced by "
    "neet_16_17_pct (LAIT 16-17 NEET, 2025), which counts the young people not in education, employment or training",
}


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
