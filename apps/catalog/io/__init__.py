"""Catalog CSV/XLSX import and export.

``columns`` names the file format, ``apps.core.tabular`` (shared with other imports) turns an
uploaded file into rows of text, ``validation`` checks one row at a time (pure), ``bulk`` stages
rows with COPY and upserts them in PostgreSQL, ``exporter`` writes the same columns back out,
``services`` ties a job together.
"""
