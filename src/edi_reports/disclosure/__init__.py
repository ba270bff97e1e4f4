"""Disclosure control: rounding, suppression and the last check before publishing."""
