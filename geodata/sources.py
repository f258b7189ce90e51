"""Every dataset the explorer uses: publisher, vintage, licence and the raw files.

One entry per source. The build records each raw file's checksum in the manifest under
the source key, and every indicator in :mod:`geodata.registry` names its source here, so
every number the app shows traces back to a raw file.

Licences are given exactly as the raw folder's PROVENANCE.md states them; where that
file says the licence was *not confirmed*, ``licence_confirmed`` is False and the app
says so next to the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True)
class Source:
    key: str
    publisher: str
    dataset: str
    vintage: str
    licence: str
    licence_confirmed: bool
    url: str
    attribution: str
    files: tuple[str, ...]  # paths relative to the raw folder


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            key="ons_geography",
            publisher="Office for National Statistics",
            dataset="LSOA 2021, ward 2025 and borough boundaries (generalised 20 m) and best-fit lookups",
            vintage="LSOA 2021; wards May 2025",
            licence=OGL,
            licence_confirmed=True,
            url="https://geoportal.statistics.gov.uk/",
            attribution=(
                "Source: Office for National Statistics licensed under the Open Government "
                "Licence v.3.0. Contains OS data © Crown copyright and database right 2025."
            ),
            files=(
                "geography/boundaries/lsoa21_wm.geojson",
                "geography/boundaries/wards2025_wm.geojson",
                "geography/boundaries/lad_wm.geojson",
                "geography/lookups/lsoa21_lookup_wm.csv",
                "geography/lookups/lsoa11_lsoa21_wm.csv",
                "geography/lookups/wards2025_wm.csv",
                "geography/context/place_labels_wm.csv",
            ),
        ),
        Source(
            key="postcodes",
            publisher="Office for National Statistics (NSPL) and Ordnance Survey (Code-Point Open)",
            dataset="NSPL May 2025 postcode coordinates; Code-Point Open Oct 2025 live postcodes",
            vintage="NSPL May 2025; Code-Point Open October 2025",
            licence=OGL,
            licence_confirmed=True,
            url="https://geoportal.statistics.gov.uk/",
            attribution=(
                "Contains OS data © Crown copyright and database right 2025. Contains Royal Mail "
                "data © Royal Mail copyright and database right 2025. Source: Office for National "
                "Statistics licensed under the Open Government Licence v.3.0."
            ),
            files=(
                "geography/postcodes/postcodes_wm.csv",
                "geography/postcodes/nspl_may2025_latlon/B.csv",
                "geography/postcodes/nspl_may2025_latlon/CV.csv",
                "geography/postcodes/nspl_may2025_latlon/DY.csv",
                "geography/postcodes/nspl_may2025_latlon/WS.csv",
                "geography/postcodes/nspl_may2025_latlon/WV.csv",
            ),
        ),
        Source(
            key="ons_postcode_lookup",
            publisher="Office for National Statistics",
            dataset="Postcode to OA, LSOA, MSOA and LAD lookup (May 2022), PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU",
            vintage="May 2022",
            licence=OGL,
            licence_confirmed=True,
            url="https://geoportal.statistics.gov.uk/",
            attribution=(
                "Source: Office for National Statistics licensed under the Open Government Licence "
                "v.3.0. Contains OS data © Crown copyright and database right 2022. Contains Royal "
                "Mail data © Royal Mail copyright and database right 2022."
            ),
            files=(
                "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz",
                "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_england.parquet",
            ),
        ),
        Source(
            key="iod2025",
            publisher="Ministry of Housing, Communities and Local Government",
            dataset="English Indices of Deprivation 2025 (Files 3, 7 and 8)",
            vintage="IoD 2025, published 30 October 2025",
            licence=OGL,
            licence_confirmed=True,
            url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
            attribution=(
                "Contains public sector information licensed under the Open Government Licence "
                "v3.0 (MHCLG, English Indices of Deprivation)."
            ),
            files=(
                "deprivation/iod2025_lsoa21_west_midlands.csv",
                "deprivation/iod2025_underlying_indicators_lsoa21_west_midlands.csv",
            ),
        ),
        Source(
            key="iod2019",
            publisher="Ministry of Housing, Communities and Local Government",
            dataset="English Indices of Deprivation 2019 (Files 2, 3, 4, 6 and 9), LSOA 2011",
            vintage="IoD 2019, published 26 September 2019",
            licence=OGL,
            licence_confirmed=True,
            url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
            attribution=(
                "Contains public sector information licensed under the Open Government Licence "
                "v3.0 (MHCLG, English Indices of Deprivation)."
            ),
            files=("deprivation/iod2019_lsoa11_west_midlands.csv",),
        ),
        Source(
            key="census2021",
            publisher="Office for National Statistics",
            dataset="Census 2021 (TS011, TS052, TS038, age) at LSOA 2021 and TS019 migration at MSOA 2021",
            vintage="Census 2021 (21 March 2021)",
            licence=OGL,
            licence_confirmed=True,
            url="https://www.nomisweb.co.uk/sources/census_2021",
            attribution="Source: Office for National Statistics licensed under the Open Government Licence v3.0.",
            files=(
                "census/census2021_lsoa21_west_midlands.csv",
                "protective/census2021_ts019_migration_msoa21_wm.csv",
            ),
        ),
        Source(
            key="cni2023",
            publisher="OCSI for Local Trust",
            dataset="Community Needs Index 2023",
            vintage="2023",
            licence="Not stated in the source repository (licence not confirmed)",
            licence_confirmed=False,
            url="https://ocsi.uk/",
            attribution="Community Needs Index 2023, OCSI for Local Trust.",
            files=("protective/cni2023_lsoa21_wm.csv",),
        ),
        Source(
            key="ahah",
            publisher="ESRC Consumer Data Research Centre (CDRC)",
            dataset="Access to Healthy Assets and Hazards (AHAH) v4 (LSOA 2021) and v3 domains (LSOA 2011)",
            vintage="AHAH v4 (inputs 2022–2024); v3 (inputs 2019–2022)",
            licence="CDRC Open data, believed OGL v3.0 (licence not confirmed)",
            licence_confirmed=False,
            url="https://data.cdrc.ac.uk/dataset/access-healthy-assets-hazards-ahah",
            attribution="Data provided by the ESRC Consumer Data Research Centre.",
            files=("protective/ahah_v4_lsoa21_wm.csv", "protective/ahah_v3_domains_lsoa11_wm.csv"),
        ),
        Source(
            key="cdrc_churn",
            publisher="ESRC Consumer Data Research Centre (CDRC)",
            dataset="Residential Mobility Index (household churn) 2018–2023",
            vintage="2018 to 2023",
            licence="CDRC Open data (licence not confirmed)",
            licence_confirmed=False,
            url="https://data.cdrc.ac.uk/dataset/cdrc-residential-mobility-index",
            attribution="Data provided by the ESRC Consumer Data Research Centre.",
            files=("protective/cdrc_household_churn_2018_2023_lsoa11_wm.csv",),
        ),
        Source(
            key="loneliness",
            publisher="DCMS Community Life Survey, modelled by British Red Cross (humaniverse)",
            dataset="Loneliness index for England (Community Life Survey 2020/21 by area classification)",
            vintage="Community Life Survey 2020/21",
            licence="Open Government Licence v3.0 (survey); MIT (derived file)",
            licence_confirmed=True,
            url="https://github.com/humaniverse/loneliness",
            attribution="DCMS Community Life Survey 2020/21 (OGL v3.0); loneliness index by British Red Cross.",
            files=("protective/loneliness_cls_lsoa21_wm.csv",),
        ),
        Source(
            key="dfe_lait",
            publisher="Department for Education (with OHID, NHS England and the Youth Justice Board)",
            dataset="Local Authority Interactive Tool (LAIT)",
            vintage="LAIT release of 8 April 2026",
            licence=OGL,
            licence_confirmed=True,
            url="https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
            attribution="Contains public sector information licensed under the Open Government Licence v3.0 (DfE LAIT).",
            files=(
                "education/lait_wm_indicators_long.csv.gz",
                "health/lait_wm_health_youth_indicators_long.csv",
            ),
        ),
        Source(
            key="ons_health_index",
            publisher="Office for National Statistics",
            dataset="Health Index for England, underlying indicators by local authority (copied from the humaniverse/healthyr R package)",
            vintage="2021",
            licence=OGL,
            licence_confirmed=True,
            url="https://github.com/humaniverse/healthyr",
            attribution="Source: Office for National Statistics licensed under the Open Government Licence v3.0.",
            files=("protective/ons_health_index_indicators_ltla_wm.csv",),
        ),
        Source(
            key="crime_severity",
            publisher="Office for National Statistics",
            dataset="Crime Severity Score (experimental statistics), community safety partnerships",
            vintage="April 2022 to March 2023",
            licence=OGL,
            licence_confirmed=True,
            url="https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice/datasets/crimeseverityscoreexperimentalstatistics",
            attribution="Source: Office for National Statistics licensed under the Open Government Licence v3.0.",
            files=("crime/crime_severity_score_ltla_wm_2022-23.csv",),
        ),
        Source(
            key="sport_england",
            publisher="Sport England",
            dataset="Active Places facilities",
            vintage="Data version 13 January 2026",
            licence="Sport England Active Places licence, recorded elsewhere as CC BY 4.0 (licence not confirmed)",
            licence_confirmed=False,
            url="https://www.activeplacespower.com/pages/license",
            attribution="Contains data Copyright Sport England.",
            files=("protective/sport_england_active_places_facilities_wm.csv",),
        ),
        Source(
            key="libraries",
            publisher="Libraries Hacked (compiled from council publications)",
            dataset="Public library open data schema export",
            vintage="28 April 2025",
            licence="Repository MIT; councils' data licence not stated (licence not confirmed)",
            licence_confirmed=False,
            url="https://github.com/LibrariesHacked/librarydata-db",
            attribution="Library data compiled by Libraries Hacked from local-authority publications.",
            files=("protective/public_libraries_wm.csv",),
        ),
        Source(
            key="warm_spaces",
            publisher="Open Innovations warm-spaces aggregator",
            dataset="Warm and welcoming spaces",
            vintage="Updated 17 August 2026",
            licence="None stated (licence not confirmed; reference use)",
            licence_confirmed=False,
            url="https://github.com/open-innovations/warm-spaces",
            attribution="Warm spaces aggregated by Open Innovations from council and Warm Welcome directories.",
            files=("protective/warm_spaces_wm.csv",),
        ),
        Source(
            key="gias",
            publisher="Department for Education",
            dataset="Get Information About Schools: open establishments",
            vintage="Download of 24 May 2025",
            licence=OGL,
            licence_confirmed=True,
            url="https://get-information-schools.service.gov.uk/",
            attribution="Contains public sector information licensed under the Open Government Licence v3.0 (DfE).",
            files=("schools/gias_open_establishments_wm.csv",),
        ),
    )
}
