"""The LMIA pull: discover, download, archive, parse, load. Plain modules, no Prefect."""
