"""ICHD-3 classification with its reasons, and the red-flag screen that says "refer first".

Every decision is a trace of criteria, each met, not met, or unknown because the data do not
say — missing data never count as "not met". Criteria follow ICHD-3 (docs/ichd3-criteria.md
quotes them with their sources; clinical-facts §1.1 and §6).
"""
