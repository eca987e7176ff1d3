"""Data quality checkpoints: read frames from DuckDB, run the suites in expectations/,
act on the outcome. No Prefect here: the flows call these as tasks, tests call them directly."""
