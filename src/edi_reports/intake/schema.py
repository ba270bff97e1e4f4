"""The canonical cleaned tables that the clean stage writes and every measure reads.

Spec: data contract §2 (inputs) and §3 (``data/processed/<ORG>/<YEAR>/*.parquet``).
The clean stage (:mod:`edi_reports.intake.clean`) maps raw headers and values to these columns;
measures never look at raw column names.
"""

from __future__ import annotations

# Input files of data contract §2 (stem -> required?)
INPUT_FILES: dict[str, bool] = {
    "workforce": True,
    "recruitment": False,
    "casework": False,
    "training": False,
    "staff_survey": False,
    "board": False,
}

# Cleaned workforce table, one row per person (data contract §2.1).
# column -> (pandas dtype, meaning)
WORKFORCE: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based data row in the input file (for quarantine and messages)"),
    "staff_id": ("string", "pseudonymous id; never published"),
    "ethnic_code": ("string", "national code A-S, Z, 99; <NA> when blank or unrecognised"),
    "ethnic_wres": ("category", "White / BME / Unknown (methodology §3.1)"),
    "ethnic_group": (
        "category",
        "White British / White other / Mixed / Asian / Black / Other / Unknown (§2.3)",
    ),
    "sex": ("category", "Male / Female / Unknown"),
    "age": ("Int64", "whole years at the snapshot date"),
    "age_band": ("category", "§7.2 age bands, Unknown"),
    "disability": ("string", "ESR value (Yes, No, Not Declared, ...) or <NA>"),
    "disability_group": ("category", "Disabled / Non-disabled / Unknown (§2.6)"),
    "sexual_orientation": ("string", "ESR value or <NA>"),
    "sexual_orientation_group": ("category", "Heterosexual / LGB+ / Unknown (§2.6)"),
    "religion_belief": ("string", "ESR value or <NA>"),
    "marital_status": ("string", "ESR value or <NA>"),
    "gender_reassignment": ("string", "Yes / No / Prefer not to say / <NA>"),
    "on_maternity_leave": ("boolean", "pregnancy and maternity (profile)"),
    "staff_group": ("category", "canonical staff group (§7.3)"),
    "clinical": ("boolean", "clinical per §7.3"),
    "pay_band": ("category", "canonical band/grade (classifications.PAY_BANDS)"),
    "directorate": ("string", "free text or <NA>"),
    "contract_type": ("category", "Permanent / Fixed Term Temp / Bank"),
    "contracted_hours": ("float64", "weekly hours, > 0 and <= 168"),
    "pay_frequency": ("category", "monthly / weekly / fortnightly / 4-weekly"),
    "ordinary_pay": ("float64", "£ in the relevant pay period"),
    "bonus_pay_in_period": ("float64", "£ bonus paid in the pay period (0 if none)"),
    "bonus_period_days": ("float64", "days the in-period bonus relates to (<NA> = pay period)"),
    "bonus_pay_12m": ("float64", "£ bonus paid in the 12 months to the snapshot (0 if none)"),
    "full_pay": ("boolean", "False when paid reduced or nil because of leave"),
    "hourly_rate_given": ("float64", "payroll's own hourly rate, NaN when blank"),
}

RECRUITMENT: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based data row"),
    "application_id": ("string", "unique id"),
    "ethnic_code": ("string", "as workforce"),
    "ethnic_wres": ("category", "White / BME / Unknown"),
    "disability_group": ("category", "Disabled / Non-disabled / Unknown"),
    "sex": ("category", "Male / Female / Unknown"),
    "shortlisted": ("boolean", ""),
    "appointed": ("boolean", ""),
    "post_band": ("string", "canonical band or <NA>"),
}

CASEWORK: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based data row"),
    "case_id": ("string", "unique id"),
    "staff_id": ("string", "optional"),
    "process": ("category", "disciplinary / capability"),
    "start_date": ("datetime64[ns]", ""),
    "ethnic_code": ("string", ""),
    "ethnic_wres": ("category", "White / BME / Unknown"),
    "disability_group": ("category", "Disabled / Non-disabled / Unknown"),
    "sex": ("category", "Male / Female / Unknown"),
}

TRAINING: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based data row"),
    "staff_id": ("string", "must be in workforce"),
    "course": ("string", ""),
    "start_date": ("datetime64[ns]", ""),
}

STAFF_SURVEY: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based data row"),
    "question": ("string", "measure id, e.g. wres.5, wdes.4a"),
    "item": ("string", "sub-item (public / managers / colleagues) or <NA>"),
    "group": ("string", "White / BME / Disabled / Non-disabled / All"),
    "percent": ("float64", "0-100 (or score 0-10 for wdes.9a)"),
    "responses": ("Int64", "respondent count"),
}

BOARD: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based data row"),
    "member_id": ("string", ""),
    "voting": ("boolean", ""),
    "executive": ("boolean", ""),
    "ethnic_code": ("string", ""),
    "ethnic_wres": ("category", "White / BME / Unknown"),
    "disability_group": ("category", "Disabled / Non-disabled / Unknown"),
    "sex": ("category", "Male / Female / Unknown"),
}

TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "workforce": WORKFORCE,
    "recruitment": RECRUITMENT,
    "casework": CASEWORK,
    "training": TRAINING,
    "staff_survey": STAFF_SURVEY,
    "board": BOARD,
}

# ``value``: the offending cell as read (quarantine.csv is internal), left blank for ids,
# pay, dates and ages (see intake.PRIVATE_VALUE_COLUMNS).
QUARANTINE_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "reason", "action")
