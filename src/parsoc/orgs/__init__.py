"""A directory of organisations: co-operatives, credit unions, mutual aid, land trusts, chapters.

Pure Python (no Django): the vocabulary of kinds and sectors (with the ESSGLOBAL codes that
solidarity-economy maps exchange), one record type, and the file layouts the directory reads
and writes — the "standard" CSV layout of those maps, the ICA youth-network layout, GeoJSON.
"""
