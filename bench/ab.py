#!/usr/bin/env python3
"""Two builds of reptempo side by side: `stats` and `log --csv` over LOG, each binary in
turn, RUNS times; wall time and the user + system CPU of each run (getrusage).

    python3 bench/history.py --keep /tmp/sets.jsonl
    python3 bench/ab.py OLD_BINARY target/release/reptempo /tmp/sets.jsonl 20
"""
import subprocess, resource, os, time, statistics, sys
bins={"before":sys.argv[1],"now":sys.argv[2]}
cmds={"stats":["stats"],"log --csv":["log","--csv"]}
n=int(sys.argv[4]) if len(sys.argv)>4 else 20
print("load before", os.getloadavg())
res={}
for i in range(n):
    for c,args in cmds.items():
        for k,b in bins.items():
            r0=resource.getrusage(resource.RUSAGE_CHILDREN); t0=time.perf_counter()
            subprocess.run([b,*args,"--log",sys.argv[3]],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
            t1=time.perf_counter(); r1=resource.getrusage(resource.RUSAGE_CHILDREN)
            res.setdefault((c,k),[]).append(((t1-t0)*1000,(r1.ru_utime+r1.ru_stime-r0.ru_utime-r0.ru_stime)*1000))
print("load after", os.getloadavg())
print("| command | build | wall median | wall best | CPU median | CPU least |")
for (c,k),v in res.items():
    w=[a for a,_ in v]; u=[b for _,b in v]
    print(f"| {c} | {k} | {statistics.median(w):.0f} ms | {min(w):.0f} ms | {statistics.median(u):.0f} ms | {min(u):.0f} ms |")
