"""Simulation studies: cultures draw elections, measures count what rules and procedures do
with them, chunk by chunk from a seed, in process or on a Dask cluster (:mod:`.study`)."""
