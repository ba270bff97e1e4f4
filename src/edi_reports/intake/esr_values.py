"""Value lists as ESR, NHS Digital's workforce statistics and NHS payroll write them.

Spec: methodology §7.1-§7.5 (classifications), data contract §2.1 (accepted values).
Every table below is one published list, named after its source in ``docs/vocabularies.md``
(which gives each list's source, size and mapping). The tables map a spelling to the
project's canonical value (:mod:`edi_reports.intake.classifications`); matching ignores case,
spaces and punctuation (``Band 8 - Range A`` and ``band 8 range a`` are one key).

Nothing here decides a figure: the groupings (WRES group, high-level group, medical
subgroup, WDES cluster) stay in :mod:`edi_reports.intake.classifications`.
"""

from __future__ import annotations

# --- ethnic category ---------------------------------------------------------------------

# NHS Data Dictionary, PDS ETHNIC CATEGORY CODE: the national codes A-S with the local
# two-character codes that roll up to them (the extended list that ESR's "Ethnic Origin"
# uses, e.g. "CA White English", "LH Asian British"). Code -> description as listed.
PDS_LOCAL_ETHNIC_CODES: dict[str, str] = {
    "C2": "Northern Irish",
    "C3": "Other white, white unspecified",
    "CA": "English",
    "CB": "Scottish",
    "CC": "Welsh",
    "CD": "Cornish",
    "CE": "Cypriot (part not stated)",
    "CF": "Greek",
    "CG": "Greek Cypriot",
    "CH": "Turkish",
    "CJ": "Turkish Cypriot",
    "CK": "Italian",
    "CL": "Irish Traveller",
    "CM": "Traveller",
    "CN": "Gypsy/Romany",
    "CP": "Polish",
    "CQ": "All republics which made up the former USSR",
    "CR": "Kosovan",
    "CS": "Albanian",
    "CT": "Bosnian",
    "CU": "Croatian",
    "CV": "Serbian",
    "CW": "Other republics which made up the former Yugoslavia",
    "CX": "Mixed white",
    "CY": "Other white European, European unspecified, European mixed",
    "GA": "Black and Asian",
    "GB": "Black and Chinese",
    "GC": "Black and White",
    "GD": "Chinese and White",
    "GE": "Asian and Chinese",
    "GF": "Other Mixed, Mixed Unspecified",
    "LA": "Mixed Asian",
    "LB": "Punjabi",
    "LC": "Kashmiri",
    "LD": "East African Asian",
    "LE": "Sri Lanka",
    "LF": "Tamil",
    "LG": "Sinhalese",
    "LH": "British Asian",
    "LJ": "Caribbean Asian",
    "LK": "Other Asian, Asian unspecified",
    "PA": "Somali",
    "PB": "Mixed Black",
    "PC": "Nigerian",
    "PD": "Black British",
    "PE": "Other Black, Black unspecified",
    "SA": "Vietnamese",
    "SB": "Japanese",
    "SC": "Filipino",
    "SD": "Malaysian",
    "SE": "Any Other Group",
}

# The high-level word ESR puts before a local description ("CA White English",
# "LH Asian British", "PD Black British"); used to accept the bare ESR label too.
LOCAL_PREFIX: dict[str, str] = {"C": "White", "G": "Mixed", "L": "Asian", "P": "Black", "S": ""}

# ONS Census 2021 / GSS harmonised ethnic group question for England and Wales: 19
# categories in 5 high-level groups. Label -> NHS national code. Chinese is R (the NHS list
# keeps it under "Other"; setting epg.code_R_group moves it to Asian); the three categories
# the NHS 16+1 list lacks go to the "any other" code of their own high-level group, so
# their WRES and high-level groups are the ones Census 2021 gives them: White: Gypsy or
# Irish Traveller and White: Roma -> C; Other ethnic group: Arab -> S.
CENSUS_2021_ETHNIC: dict[str, str] = {
    "Asian, Asian British or Asian Welsh: Bangladeshi": "K",
    "Asian, Asian British or Asian Welsh: Chinese": "R",
    "Asian, Asian British or Asian Welsh: Indian": "H",
    "Asian, Asian British or Asian Welsh: Pakistani": "J",
    "Asian, Asian British or Asian Welsh: Any other Asian background": "L",
    "Black, Black British, Black Welsh, Caribbean or African: African": "N",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": "M",
    "Black, Black British, Black Welsh, Caribbean or African: Any other Black, Black British, or Caribbean background": "P",  # noqa: E501
    "Mixed or Multiple ethnic groups: White and Asian": "F",
    "Mixed or Multiple ethnic groups: White and Black African": "E",
    "Mixed or Multiple ethnic groups: White and Black Caribbean": "D",
    "Mixed or Multiple ethnic groups: Any other Mixed or Multiple ethnic background": "G",
    "White: English, Welsh, Scottish, Northern Irish or British": "A",
    "White: Irish": "B",
    "White: Gypsy or Irish Traveller": "C",
    "White: Roma": "C",
    "White: Any other White background": "C",
    "Other ethnic group: Arab": "S",
    "Other ethnic group: Any other ethnic group": "S",
}

# The same 19 categories as GOV.UK's "List of ethnic groups" writes them (group word,
# then the category) and as many HR and payroll systems display them.
CENSUS_2021_SHORT: dict[str, str] = {
    "Bangladeshi": "K",
    "Indian": "H",
    "Pakistani": "J",
    "Any other Asian background": "L",
    "African": "N",
    "Caribbean": "M",
    "Any other Black, Black British, or Caribbean background": "P",
    "Any other Black background": "P",
    "White and Asian": "F",
    "White and Black African": "E",
    "White and Black Caribbean": "D",
    "Any other Mixed or Multiple ethnic background": "G",
    "Any other mixed background": "G",
    "English, Welsh, Scottish, Northern Irish or British": "A",
    "Gypsy or Irish Traveller": "C",
    "Roma": "C",
    "Any other White background": "C",
    "Arab": "S",
    "Any other ethnic group": "S",
}

# ESR and NHS Digital spellings of "not stated" and "not known" (NHS Data Dictionary:
# Z = not stated, the person was asked and chose not to say; 99 = not known).
ETHNIC_UNKNOWN_WORDS: dict[str, str] = {
    "Not Stated": "Z",
    "Not stated (person asked but declined to provide a response)": "Z",
    "Prefer not to say": "Z",
    "I do not wish to disclose my ethnic origin": "Z",
    "Do not wish to disclose": "Z",
    "Do not wish to say": "Z",
    "I do not wish to disclose": "Z",
    "Declined": "Z",
    "Not known": "99",
    "Unknown": "99",
    "Unspecified": "99",
    "Not specified": "99",
}

# --- Agenda for Change bands, VSM, apprentices -------------------------------------------

# NHS Terms and Conditions of Service Handbook, section 1: nine pay bands, band 8
# "sub-divided into four ranges" (A-D). ESR writes these as "Band 8 - Range A"; NHS
# Digital's workforce statistics write "Band 8a"; payroll exports "AfC Band 8A".
AFC_BAND_FORMS: tuple[str, ...] = (
    "Band {b}",
    "{b}",
    "AfC Band {b}",
    "AfC {b}",
    "Agenda for Change Band {b}",
    "Agenda for Change {b}",
    "Band {b} (AfC)",
    "NHS Band {b}",
)
AFC_BAND8_FORMS: tuple[str, ...] = (
    "Band 8 - Range {r}",
    "Band 8 Range {r}",
    "AfC Band 8 - Range {r}",
    "Agenda for Change Band 8 - Range {r}",
    "Band 8 {r}",
)
VSM_FORMS: tuple[str, ...] = (
    "VSM",
    "Very Senior Manager",
    "Very Senior Managers",
    "Very Senior Manager (VSM)",
    "Senior Manager (VSM)",
)
# Apprentice pay (NHS Terms and Conditions Annex 21, or the apprentice minimum wage) is not
# an AfC band: such staff are counted as Non-AfC (in every figure that needs no band).
NON_AFC_FORMS: tuple[str, ...] = (
    "Non-AfC",
    "Non AfC",
    "Non-Agenda for Change",
    "Not Agenda for Change",
    "Apprentice",
    "Apprentices",
    "Apprenticeship",
    "AfC Apprentice",
    "Annex 21",
    "Annex 21 Apprentice",
)

# --- medical and dental grades ----------------------------------------------------------

# NHS Digital, NHS Workforce Statistics: the grades of HCHS doctors, with the contract
# spellings of NHS Employers' pay circulars and the forms trusts' ESR grade names use.
# Canonical grade -> spellings.
MEDICAL_GRADE_FORMS: dict[str, tuple[str, ...]] = {
    "Consultant": (
        "Consultant",
        "Consultants",
        "Consultant (2003)",
        "Consultant 2003",
        "Consultant (2003 contract)",
        "Consultant (pre-2003)",
        "Medical Consultant",
        "Dental Consultant",
    ),
    "Specialty Doctor": (
        "Specialty Doctor",
        "Speciality Doctor",
        "Specialty Doctor (2021)",
        "Specialty Doctor (2008)",
        "Speciality Doctor (2021)",
        "Speciality Doctor (2008)",
        "Specialty Doctors",
    ),
    "Specialist": ("Specialist", "Specialist (2021)", "Specialist Grade", "Specialist Doctor"),
    "Associate Specialist": (
        "Associate Specialist",
        "Associate Specialist (2008)",
        "Associate Specialists",
    ),
    "Staff Grade": ("Staff Grade", "Staff Grade Practitioner", "Staff Grade Doctor"),
    "Foundation Year 1": (
        "Foundation Year 1",
        "Foundation Doctor Year 1",
        "Foundation Year One",
        "FY1",
        "F1",
        "Foundation House Officer 1",
    ),
    "Foundation Year 2": (
        "Foundation Year 2",
        "Foundation Doctor Year 2",
        "Foundation Year Two",
        "FY2",
        "F2",
        "Foundation House Officer 2",
    ),
    "Specialty Registrar": (
        "Specialty Registrar",
        "Speciality Registrar",
        "Specialty Registrar (StR)",
        "StR",
        "Specialist Registrar",
        "SpR",
        "Specialty Training",
        "Speciality Training",
        "Specialty Trainee",
        *(f"ST{i}" for i in range(1, 9)),
        *(f"Specialty Registrar ST{i}" for i in range(1, 9)),
        "GP Registrar",
        "GP Specialty Registrar",
        "Dental Specialty Registrar",
    ),
    "Core Training": (
        "Core Training",
        "Core Training (CT)",
        "Core Trainee",
        "Core Medical Training",
        "Core Surgical Training",
        *(f"CT{i}" for i in range(1, 4)),
        *(f"Core Training CT{i}" for i in range(1, 4)),
        "Dental Core Training",
        "Dental Core Trainee",
        *(f"DCT{i}" for i in range(1, 4)),
    ),
    # NHS Digital: "Hospital Practitioner / Clinical Assistant" and "Other and Local HCHS
    # Doctor Grades" (trust-grade, locally employed doctors, clinical and teaching fellows).
    "Trust Grade": (
        "Trust Grade",
        "Trust Grade Doctor",
        "Trust Doctor",
        "Trust Grade Registrar",
        "Trust Grade SHO",
        "Locally Employed Doctor",
        "Locally Employed Doctors",
        "LED",
        "Clinical Fellow",
        "Teaching Fellow",
        "Research Fellow",
        "Clinical Research Fellow",
        "Hospital Practitioner",
        "Clinical Assistant",
        "Hospital Practitioner / Clinical Assistant",
        "Other and Local HCHS Doctor Grades",
        "Other and Local Doctor Grades",
        "Other Local HCHS Doctor Grades",
    ),
}

# --- staff groups ---------------------------------------------------------------------------

# ESR's staff group names as its reports print them (some truncated to 30 characters).
ESR_STAFF_GROUP_FORMS: dict[str, tuple[str, ...]] = {
    "Medical and Dental": ("Medical and Dental", "Medical & Dental"),
    "Students": ("Students",),
    "Nursing and Midwifery Registered": (
        "Nursing and Midwifery Registered",
        "Nursing & Midwifery Registered",
        "Nursing and Midwifery",
    ),
    "Allied Health Professionals": ("Allied Health Professionals", "AHP", "AHPs"),
    "Additional Professional Scientific and Technical": (
        "Additional Professional Scientific and Technical",
        "Add Prof Scientific and Technic",
        "Add Prof Scientific & Technic",
        "Additional Prof Scientific and Technical",
    ),
    "Healthcare Scientists": ("Healthcare Scientists", "Healthcare Science"),
    "Additional Clinical Services": ("Additional Clinical Services",),
    "Administrative and Clerical": (
        "Administrative and Clerical",
        "Administrative & Clerical",
        "Admin and Clerical",
        "Admin & Clerical",
    ),
    "Estates and Ancillary": ("Estates and Ancillary", "Estates & Ancillary"),
    "Supplementary roles": ("Supplementary roles",),
}

# NHS Digital, NHS Workforce Statistics "staff group" names (built from occupation codes).
# Only the groups that fall wholly in one ESR staff group are mapped; "Ambulance staff",
# "Scientific, therapeutic and technical staff", "Support to ambulance staff" and
# "Support to ST&T staff" each span several ESR staff groups and stay unrecognised (kept
# as unknown and listed), rather than being guessed.
NHS_DIGITAL_STAFF_GROUPS: dict[str, str] = {
    "HCHS doctors": "Medical and Dental",
    "Nurses & health visitors": "Nursing and Midwifery Registered",
    "Nurses and health visitors": "Nursing and Midwifery Registered",
    "Midwives": "Nursing and Midwifery Registered",
    "Support to doctors, nurses & midwives": "Additional Clinical Services",
    "Support to doctors, nurses and midwives": "Additional Clinical Services",
    "Central functions": "Administrative and Clerical",
    "Hotel, property & estates": "Estates and Ancillary",
    "Hotel, property and estates": "Estates and Ancillary",
    "Senior managers": "Administrative and Clerical",
    "Managers": "Administrative and Clerical",
}

# --- equality values (ESR, NHS Data Dictionary, Census 2021) ------------------------------

# Disability: ESR's values are canonical (methodology §7.2). Other spellings:
DISABILITY_FORMS: dict[str, str] = {
    "Y": "Yes",
    "N": "No",
    "Disabled": "Yes",
    "Yes - Disabled": "Yes",
    "Not disabled": "No",
    "No - Not disabled": "No",
    "Prefer not to say": "Prefer Not To Answer",
    "Prefer not to answer": "Prefer Not To Answer",
    "I do not wish to disclose": "Prefer Not To Answer",
    "Not stated": "Not Declared",
    "Not declared": "Not Declared",
    "Not known": "Unspecified",
    "Unknown": "Unspecified",
}

# Sexual orientation: NHS Data Dictionary SEXUAL ORIENTATION CODE (the Sexual Orientation
# Monitoring information standard, SCCI2077): code and description; Census 2021's
# categories; ESR's values are canonical.
SEXUAL_ORIENTATION_FORMS: dict[str, str] = {
    "1": "Heterosexual or Straight",
    "2": "Gay or Lesbian",
    "3": "Bisexual",
    "4": "Other sexual orientation not listed",
    "U": "Undecided",
    "Z": "Not stated (person asked but declined to provide a response)",
    "9": "Unspecified",
    "Person asked and does not know or is not sure": "Undecided",
    "Not known (not recorded)": "Unspecified",
    "Heterosexual": "Heterosexual or Straight",
    "Straight": "Heterosexual or Straight",
    "Straight or Heterosexual": "Heterosexual or Straight",
    "Straight/Heterosexual": "Heterosexual or Straight",
    "Gay": "Gay or Lesbian",
    "Lesbian": "Gay or Lesbian",
    "Gay man": "Gay or Lesbian",
    "Gay woman/lesbian": "Gay or Lesbian",
    "Pansexual": "Other sexual orientation not listed",
    "Asexual": "Other sexual orientation not listed",
    "Queer": "Other sexual orientation not listed",
    "All other sexual orientations": "Other sexual orientation not listed",
    "Other": "Other sexual orientation not listed",
    "Not stated": "Not stated (person asked but declined to provide a response)",
    "Not answered": "Not stated (person asked but declined to provide a response)",
    "Prefer not to say": "Not stated (person asked but declined to provide a response)",
    "I do not wish to disclose my sexual orientation": (
        "Not stated (person asked but declined to provide a response)"
    ),
}

# Religion or belief: ESR's values are canonical; Census 2021's religion categories map to
# them ("No religion" to Atheism, ESR's value for no religious belief).
RELIGION_FORMS: dict[str, str] = {
    "No religion": "Atheism",
    "None": "Atheism",
    "Atheist": "Atheism",
    "Christian": "Christianity",
    "Buddhist": "Buddhism",
    "Hindu": "Hinduism",
    "Jewish": "Judaism",
    "Muslim": "Islam",
    "Sikh": "Sikhism",
    "Jain": "Jainism",
    "Any other religion": "Other",
    "Other religion": "Other",
    "Not answered": "I do not wish to disclose my religion/belief",
    "Prefer not to say": "I do not wish to disclose my religion/belief",
    "Not disclosed": "I do not wish to disclose my religion/belief",
    "I do not wish to disclose my religion or belief": (
        "I do not wish to disclose my religion/belief"
    ),
}

# Marital status: ESR's values are canonical; Census 2021's legal partnership status
# categories map to them.
MARITAL_FORMS: dict[str, str] = {
    "Never married and never registered a civil partnership": "Single",
    "Never married": "Single",
    "In a registered civil partnership": "Civil Partnership",
    "Civil Partner": "Civil Partnership",
    "Separated, but still legally married": "Legally Separated",
    "Separated, but still legally in a civil partnership": "Legally Separated",
    "Separated": "Legally Separated",
    "Formerly in a civil partnership now legally dissolved": "Divorced",
    "Dissolved civil partnership": "Divorced",
    "Surviving partner from civil partnership": "Widowed",
    "Surviving civil partner": "Widowed",
    "Not known": "Unknown",
    "Not disclosed": "Unknown",
    "Prefer not to say": "Unknown",
}

# Gender reassignment / "Gender Identity Same As Birth" (ESR); Census 2021 asks "Is the
# gender you identify with the same as your sex registered at birth?" (Yes / No).
GENDER_REASSIGNMENT_FORMS: dict[str, str] = {
    "Y": "Yes",
    "N": "No",
    "Prefer not to answer": "Prefer not to say",
    "Not declared": "Prefer not to say",
    "I do not wish to disclose": "Prefer not to say",
    "Not answered": "Prefer not to say",
}

# Contract type (ESR "Assignment Category"): canonical Permanent / Fixed Term Temp / Bank.
CONTRACT_FORMS: dict[str, str] = {
    "Fixed Term": "Fixed Term Temp",
    "Fixed Term Temporary": "Fixed Term Temp",
    "Fixed-term": "Fixed Term Temp",
    "Temporary": "Fixed Term Temp",
    "Fixed Term Contract": "Fixed Term Temp",
    "Bank Staff": "Bank",
    "Bank Worker": "Bank",
    "Staff Bank": "Bank",
}
