"""The store: engines, sessions, schema and migrations (see ``engine`` and ``schema``)."""
