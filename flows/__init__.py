"""Observatoire TMT: the flows (one per job) and the plain modules they call."""
