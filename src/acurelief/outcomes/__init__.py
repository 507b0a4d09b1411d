"""Endpoints from diaries and questionnaire scores.

Pure functions over domain objects and (patients × days) arrays; no I/O.
"""
