"""Simulation studies: how often each rule and procedure finds the majority.

Holds the cultures that draw elections (:mod:`.cultures`, :mod:`.voters`), a batch of
elections (:mod:`.elections`), the engine's rules and procedures over whole batches
(:mod:`.rules`, :mod:`.elimination`, :mod:`.procedures`), coalitional manipulability
(:mod:`.manipulation`), the measures (:mod:`.measures`), and a study planned, run chunk by
chunk from a seed in process or on Dask, and summarised (:mod:`.plan`, :mod:`.study`,
:mod:`.execution`, :mod:`.results`). May import numpy, scipy, dask (here alone in the
package), the rest of :mod:`tellers.ballots` and :mod:`tellers.errors`; a culture drawn from a
parliament is a sampler the parliament layer hands in.
"""
