"""Analysis layer: coverage statistics, sites, priorities, exports and the CLI.

Everything the app shows comes from functions here that the CLI calls too.
"""
