"""Great Expectations suites, declared in Python and reviewed like code (see README.md).

`import great_expectations` takes 6-8 s: the suite modules import it, so import them only
where a validation is about to run, never from a module the CLI loads at start-up.
"""
