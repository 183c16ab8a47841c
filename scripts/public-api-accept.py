#!/usr/bin/env python3
"""Accept the public API changes a build reports, after review: for each packable project, adds the symbols of RS0016
("not part of the declared public API") to its PublicAPI.Unshipped.txt and removes those of RS0017 ("part of the
declared API, but ... could not be found").

    dotnet build src/Actors.Orleans/Actors.Orleans.csproj -nologo > build.log; scripts/public-api-accept.py build.log

Read the diff of PublicAPI.Unshipped.txt before committing it: that diff is the review."""
import collections
import re
import sys

added = collections.defaultdict(set)
removed = collections.defaultdict(set)
pattern = re.compile(r"error (RS0016|RS0017): Symbol '(.*)' (?:is not part|is part) of the declared .*\[(.*\.csproj)\]")
for line in open(sys.argv[1], encoding="utf-8"):
    match = pattern.search(line)
    if match:
        (added if match.group(1) == "RS0016" else removed)[match.group(3)].add(match.group(2))

for project in sorted(set(added) | set(removed)):
    path = project.rsplit("/", 1)[0] + "/PublicAPI.Unshipped.txt"
    lines = open(path, encoding="utf-8").read().splitlines()
    header = [l for l in lines if l.startswith("#")]
    body = {l for l in lines if l and not l.startswith("#")} - removed[project] | added[project]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(header + sorted(body, key=str.lower)) + "\n")
    print(f"{path}: +{len(added[project])} -{len(removed[project])}")
