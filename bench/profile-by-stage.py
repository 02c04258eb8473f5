#!/usr/bin/env python3
"""CPU samples and allocated bytes by stage, from `jfr print` of a recording (bench/profile calls this); then each
stage's share of the process's CPU time from the threads' own clocks (jdk.ThreadCPULoad, every second), which also
counts the JIT's compiler threads: execution samples never do, and on a replay they were a third of the CPU.

usage: profile-by-stage.py JFR_TOOL RECORDING LINES
Stages are told by thread names: the Streams threads carry their application's id (httpmon.stats, httpmon.alert),
the parser's and reader's threads their service's name, the broker's its own (data-plane, kafka-, raft...)."""
import os
import re
import subprocess
import sys
from collections import Counter

jfr, recording, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])


def stage(thread):
    t = thread.lower()
    if "httpmon.stats" in t or t.startswith("stats-"):
        return "stats"
    if "httpmon.alert" in t or t.startswith("alert-"):
        return "alert"
    if "parser" in t:
        return "parser"
    if "reader" in t:
        return "reader"
    if "display" in t or t == "main":
        return "display/main"
    if re.search(r"data-plane|kafka-request|kafka-\d|raft|controller|coordinator|log-cleaner|logdir|replica|"
                 r"txnmarker|addpartitionstotxn|expirationreaper|kafka-scheduler|log-closing|quorum", t):
        return "broker"
    if "compilerthread" in t:
        return "jit (compilers)"
    if re.search(r"gc|vm thread|compiler|jfr|service thread|sweeper", t):
        return "jvm (gc, jit, jfr)"
    return "other"


def events(kind):
    out = subprocess.run([jfr, "print", "--events", kind, "--stack-depth", "1", recording],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\n}\n")


UNITS = {"bytes": 1, "byte": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
cpu = Counter()
for e in events("jdk.ExecutionSample"):
    m = re.search(r'sampledThread = "([^"]*)"', e)
    if m:
        cpu[stage(m.group(1))] += 1
alloc = Counter()
for e in events("jdk.ObjectAllocationSample"):
    t = re.search(r'eventThread = "([^"]*)"', e)
    w = re.search(r"weight = ([\d.]+) (bytes|byte|kB|MB|GB)", e)
    if t and w:
        alloc[stage(t.group(1))] += float(w.group(1)) * UNITS[w.group(2)]
total = sum(cpu.values()) or 1
print(f"{'stage':20} {'CPU samples':>12} {'share':>7} {'allocated':>12} {'bytes/line':>11}")
for s, n in cpu.most_common():
    print(f"{s:20} {n:12d} {100.0 * n / total:6.1f}% {alloc[s] / 1e6:10.0f} MB {alloc[s] / lines:11.0f}")
print(f"{'all':20} {total:12d} {100.0:6.1f}% {sum(alloc.values()) / 1e6:10.0f} MB {sum(alloc.values()) / lines:11.0f}")

# Thread CPU time: each event is a thread's user + system share of all the machine's cores over its period (1 s in
# bench/profile), so a share times the cores is CPU-seconds.
cores = os.cpu_count() or 1
seconds = Counter()
for e in events("jdk.ThreadCPULoad"):
    t = re.search(r'eventThread = "([^"]*)"', e)
    user = re.search(r"user = ([\d.]+)%", e)
    system = re.search(r"system = ([\d.]+)%", e)
    if t and user and system:
        seconds[stage(t.group(1))] += (float(user.group(1)) + float(system.group(1))) / 100 * cores
if seconds:
    all_seconds = sum(seconds.values())
    print()
    print(f"{'stage':20} {'CPU s (threads)':>16} {'share':>7} {'us/line':>8}")
    for name, v in seconds.most_common():
        print(f"{name:20} {v:16.1f} {100.0 * v / all_seconds:6.1f}% {v * 1e6 / lines:8.1f}")
    print(f"{'all Java threads':20} {all_seconds:16.1f} {100.0:6.1f}% {all_seconds * 1e6 / lines:8.1f}"
          "  (the collector's own threads are not Java threads: gc-cpu-time.txt)")
