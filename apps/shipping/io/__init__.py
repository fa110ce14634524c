"""Shipping zones and rates as CSV: ``format`` names the columns and writes the cells,
``exports`` writes the file, ``plan`` checks an uploaded one row by row (the forms' rules) and
says what importing it would do, ``imports`` runs the dry run and the import (a job when large).
"""
