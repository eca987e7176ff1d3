"""The maintainers' update tasks: the yearly campaign's checklist and the calls to make."""
