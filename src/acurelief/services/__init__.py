"""Use cases: the one place that authorises, audits and opens a unit of work.

Each public function here is one use case. It takes the unit of work, the actor and the
current time from its caller (web, CLI), checks access through ``services.access``, records
an audit entry for every patient it touches, and commits once. Anything raised before the
commit rolls everything back.
"""
