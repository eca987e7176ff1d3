"""Website and guide-source checks (issue 6), without Prefect: targets → safe fetching →
change detection → status → history; the flow `flows/check_sites.py` calls these modules."""
