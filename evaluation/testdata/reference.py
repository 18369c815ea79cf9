#!/usr/bin/env python3
"""Independent reference for the Go event-study logit (evaluation.Fit).

Computed once and committed; the Go test compares to the JSON to 1e-6.
Command (Debian bookworm, python3-statsmodels 0.13.5, python3-pandas 1.5.3,
installed with `apt-get install -y python3-statsmodels python3-pandas`),
from evaluation/testdata:
    /usr/bin/python3 reference.py
It reads logit_pseudo.csv and logit_never.csv and writes
logit_pseudo_reference.json and logit_never_reference.json.

Model (window -2..+2, reference year -1), the same terms as Fit documents:
intercept, participant, rel[k] (only when comparison youths have relative
years), participant:rel[k], no_rel (idem, for comparison youths without one),
age = age-15, age2 = (age-15)^2, gender dummies against male, year dummies
against the first year. Fitted by statsmodels Logit with Newton's method;
model-based SEs from the inverse Hessian; cluster-robust SEs by youth with
statsmodels' correction G/(G-1)*(N-1)/(N-K). Cells: the mean fitted
probability over the person-years of a group x relative year (for never-
treated comparison youths: over participants' person-years with the
participant terms set to zero), SE by the delta method on the clustered
covariance; differences (participants minus comparison per relative year)
likewise, with the gradient difference.
"""
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm

MIN_REL, MAX_REL, REF = -2, 2, -1


def rel_name(k):
    return f"rel[+{k}]" if k >= 0 else f"rel[{k}]"


def design(df):
    comp_has_rel = bool(((df.participant == 0) & df.rel_year.notna()).any())
    comp_no_rel = bool(((df.participant == 0) & df.rel_year.isna()).any())
    X = pd.DataFrame(index=df.index)
    X["intercept"] = 1.0
    X["participant"] = df.participant.astype(float)
    ks = [k for k in range(MIN_REL, MAX_REL + 1) if k != REF]
    if comp_has_rel:
        for k in ks:
            X[rel_name(k)] = (df.rel_year == k).astype(float)
    for k in ks:
        X["participant:" + rel_name(k)] = ((df.rel_year == k) & (df.participant == 1)).astype(float)
    if comp_has_rel and comp_no_rel:
        X["no_rel"] = df.rel_year.isna().astype(float)
    X["age"] = (df.age - 15).astype(float)
    X["age2"] = ((df.age - 15) ** 2).astype(float)
    for g in ["female", "other"]:
        X[f"gender[{g}]"] = (df.gender == g).astype(float)
    for y in sorted(df.year.unique())[1:]:
        X[f"year[{y}]"] = (df.year == y).astype(float)
    return X, comp_has_rel


def run(name):
    df = pd.read_csv(f"{name}.csv", dtype={"rel_year": "float64"})
    X, comp_has_rel = design(df)
    model = sm.Logit(df.y.astype(float), X)
    plain = model.fit(method="newton", maxiter=100, tol=1e-13, disp=0)
    clus = model.fit(method="newton", maxiter=100, tol=1e-13, disp=0,
                     cov_type="cluster", cov_kwds={"groups": df.id.values, "use_correction": True})
    beta = clus.params.values
    V = clus.cov_params().values
    cells, grads = [], {}
    for participant in (1, 0):
        for k in range(MIN_REL, MAX_REL + 1):
            if participant == 1 or comp_has_rel:
                m = (df.participant == participant) & (df.rel_year == k)
                Xc = X[m].values.copy()
            else:
                m = (df.participant == 1) & (df.rel_year == k)
                Xc = X[m].copy()
                Xc["participant"] = 0.0
                for kk in range(MIN_REL, MAX_REL + 1):
                    if kk != REF:
                        Xc["participant:" + rel_name(kk)] = 0.0
                Xc = Xc.values
            p = 1 / (1 + np.exp(-Xc @ beta))
            grad = (p * (1 - p)) @ Xc / len(p)
            grads[(participant, k)] = (p.mean(), grad)
            cells.append({"participant": bool(participant), "rel_year": k, "obs": int(len(p)),
                          "prob": float(p.mean()), "se": float(np.sqrt(grad @ V @ grad))})
    diffs = []
    for k in range(MIN_REL, MAX_REL + 1):
        (p1, g1), (p0, g0) = grads[(1, k)], grads[(0, k)]
        g = g1 - g0
        diffs.append({"rel_year": k, "diff": float(p1 - p0), "se": float(np.sqrt(g @ V @ g))})
    out = {
        "tool": f"statsmodels {sm.__version__ if hasattr(sm, '__version__') else ''} Logit newton",
        "n": int(len(df)),
        "loglik": float(clus.llf),
        "coefs": [{"name": n, "estimate": float(b), "se": float(s), "cluster_se": float(c)}
                  for n, b, s, c in zip(X.columns, beta, plain.bse.values, clus.bse.values)],
        "cells": cells,
        "differences": diffs,
    }
    with open(f"{name}_reference.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(name, "converged", plain.mle_retvals["converged"], "k", X.shape[1], "n", len(df))


run("logit_pseudo")
run("logit_never")
