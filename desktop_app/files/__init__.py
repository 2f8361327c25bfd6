"""Neutral file facts any layer may use: where the app keeps its files
(:mod:`.paths`), writing a file completely or not at all (:mod:`.atomic`)
and the session log (:mod:`.crashlog`).  Imports nothing of the project."""
