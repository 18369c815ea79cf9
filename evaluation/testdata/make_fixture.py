#!/usr/bin/env python3
"""Writes the small fixed person-year data sets the Go estimator is checked against.

Run once, from evaluation/testdata:
    /usr/bin/python3 make_fixture.py
It writes logit_pseudo.csv (comparison youths with a pseudo-start year, some
without any) and logit_never.csv (the same rows, comparison youths never
treated: rel_year empty). Python's random with a fixed seed, stdlib only.

Columns: id, participant (1/0), rel_year (empty = none), year, age,
gender (female/male/other), y (1/0 = has a leisure job that year).
"""
import csv
import math
import random

rng = random.Random(20261125)
rows = []
for youth in range(1, 121):
    participant = youth <= 60
    birth = rng.randint(2003, 2008)
    gender = rng.choices(["female", "male", "other"], [0.47, 0.47, 0.06])[0]
    # Start (or pseudo-start) at age 13-15; a third of comparison youths have none.
    start = birth + rng.randint(13, 15)
    has_rel = participant or youth % 3 != 0
    for year in range(2018, 2025):
        age = year - birth
        if age < 11 or age > 18:
            continue
        rel = year - start
        if has_rel and (rel < -2 or rel > 2):
            continue
        eta = -1.2 + 0.35 * (age - 15) - 0.04 * (age - 15) ** 2 + 0.3 * (gender == "female")
        eta += 0.05 * (year - 2018) + 0.2 * participant
        if participant and rel >= 0:
            eta += 0.8
        y = 1 if rng.random() < 1 / (1 + math.exp(-eta)) else 0
        rows.append([youth, int(participant), rel if has_rel else "", year, age, gender, y])

for name, never in [("logit_pseudo.csv", False), ("logit_never.csv", True)]:
    with open(name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "participant", "rel_year", "year", "age", "gender", "y"])
        for r in rows:
            r = list(r)
            if never and r[1] == 0:
                r[2] = ""
            w.writerow(r)
