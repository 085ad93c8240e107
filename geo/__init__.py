"""Geographic layer: administrative boundaries, geometry clean-up and map building.

Data flows one way: sources (``../shared/data``) -> ``geo`` -> ``analysis`` ->
presentation (``streamlit_app.py``).
"""
