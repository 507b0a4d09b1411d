"""Statistics: immediate relief, prevention, mood, practice benchmarks, trials.

Every result carries its estimate, interval, the n it rests on, the method and its caveats.
"""
