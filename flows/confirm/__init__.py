"""Listing confirmations: signed links, the confirmation page, and the way back to the warehouse."""
