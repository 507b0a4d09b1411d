"""SQLAlchemy storage for SQLite and PostgreSQL: tables, repositories, unit of work, migrations.

Tables are mapped onto the domain from outside: rows are plain table classes here, and the
repositories convert them to and from domain objects, so the core never sees the ORM.
"""
