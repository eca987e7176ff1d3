"""ESDC's annual LMIA statistics and IRCC's temporary-resident tables: read, parse, load."""
