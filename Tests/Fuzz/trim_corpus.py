#!/usr/bin/env python3
"""Picks at most MAX_FILES inputs (and MAX_BYTES in all) that keep the most libFuzzer coverage.

Reads the control file of a `-set_cover_merge=1 -merge_control_file=CTL` run (which lists every
feature of every input; a plain `-merge=1` lists only the features new at each input) and copies
a greedy maximum-coverage selection into OUT_DIR: most new edges first (a feature's edge is
feature // 8: libFuzzer numbers the hit-count buckets of edge i as 8i ... 8i+7), then most new
features, smaller file on ties. For corpora that `-merge=1` leaves too large for the repository.
Usage: trim_corpus.py CTL OUT_DIR [MAX_FILES=200] [MAX_BYTES=1000000]
"""
import os, shutil, sys

ctl, out = sys.argv[1], sys.argv[2]
max_files = int(sys.argv[3]) if len(sys.argv) > 3 else 200
max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000
lines = open(ctl).read().splitlines()
n = int(lines[0])
files = lines[2:2 + n]
features = {}
for line in lines[2 + n:]:
    parts = line.split()
    if parts and parts[0] == "FT":
        features[int(parts[1])] = set(map(int, parts[2:]))
edges = {i: {f // 8 for f in fs} for i, fs in features.items()}
sizes = {i: os.path.getsize(files[i]) for i in features}
covered, covered_edges, chosen, total = set(), set(), [], 0
remaining = set(features)
while remaining and len(chosen) < max_files:
    best = max(remaining, key=lambda i: (len(edges[i] - covered_edges), len(features[i] - covered), -sizes[i]))
    remaining.discard(best)
    if not (features[best] - covered): break
    if total + sizes[best] > max_bytes: continue
    chosen.append(best); covered |= features[best]; covered_edges |= edges[best]; total += sizes[best]
all_features = set().union(*features.values()) if features else set()
all_edges = set().union(*edges.values()) if edges else set()
os.makedirs(out, exist_ok=True)
for i in chosen:
    shutil.copy(files[i], os.path.join(out, os.path.basename(files[i])))
print(f"{len(chosen)} files, {total} bytes, {len(covered_edges)}/{len(all_edges)} edges, {len(covered)}/{len(all_features)} features")
