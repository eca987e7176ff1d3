"""Building the warehouse with dbt and publishing the serving database."""
