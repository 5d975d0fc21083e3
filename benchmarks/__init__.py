"""Benchmarks: scripts that measure the site and the training machinery, and what they need to run
(catalogue/: the synthetic catalogue for load tests). None of it is part of the deployed site."""
