"""Submissions: the files organisations upload to GOV.UK and NHS England."""
