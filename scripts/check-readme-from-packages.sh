#!/usr/bin/env bash
# Runs the README's Orleans program (section "An Orleans grain on the log") exactly as written, from the packages: packs
# Actors.Packages.slnf into a temporary local feed under a version no registry has, writes a fresh project outside the
# repository (Microsoft.Orleans.Server, .Sdk, .EventSourcing 10.4.2 and Actors.Orleans from that feed, its own
# nuget.config), copies the README's C# block into its Program.cs, and runs it twice with a fresh temp directory: the
# README says the runs print 2 and 4. Exits non-zero (naming what differed) otherwise.
#   scripts/check-readme-from-packages.sh [Debug|Release]   (default Release; Debug reuses a Debug build of the solution)
# Takes a few minutes (a pack of the nine packages, a restore and build, two silo starts); a script, not a test, to keep
# the CI suite short. LocalFeedTests (tests/Actors.Orleans.Package.Tests) covers the packages' path in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
configuration=${1:-Release}
work=$(mktemp -d)
version="0.0.0-readme.$(date -u +%Y%m%d%H%M%S).$$"
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
cleanup() {
  rm -rf "$work"
  find "$cache" -maxdepth 2 -type d -name "$version" -exec rm -rf {} + 2>/dev/null || true
}
trap cleanup EXIT

dotnet pack "$root/Actors.Packages.slnf" -c "$configuration" -o "$work/feed" "-p:PackageVersion=$version" -nologo -v q

mkdir -p "$work/app" "$work/tmp"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="actors-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Orleans.Server" Version="10.4.2" />
    <PackageReference Include="Microsoft.Orleans.Sdk" Version="10.4.2" />
    <PackageReference Include="Microsoft.Orleans.EventSourcing" Version="10.4.2" />
    <PackageReference Include="Actors.Orleans" Version="$version" />
  </ItemGroup>
</Project>
XML
# Empty build files: nothing of the repository's (or anything above the temp directory) is imported.
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo "<Project />" > "$work/app/$file"; done

# The first C# block of the README's section "An Orleans grain on the log", verbatim.
awk '/^## An Orleans grain on the log/ { section = 1; next }
     section && /^## / { exit }
     section && /^```csharp$/ { block = 1; next }
     block && /^```$/ { exit }
     block { print }' README.md > "$work/app/Program.cs"
test -s "$work/app/Program.cs" || { echo "no C# block found in README.md's section 'An Orleans grain on the log'" >&2; exit 1; }

dotnet build "$work/app" -nologo -v q
grep -q "\"Actors.Orleans/$version\"" "$work/app/obj/project.assets.json" \
  || { echo "the app's restore did not take Actors.Orleans $version from the local feed" >&2; exit 1; }

expected=(2 4)
for run in 0 1; do
  output=$(TMPDIR="$work/tmp" dotnet "$work/app/bin/Debug/net10.0/App.dll" 2>&1)
  last=$(printf '%s\n' "$output" | grep -E '^[0-9]+$' | tail -1 || true)
  if [ "$last" != "${expected[$run]}" ]; then
    printf '%s\n' "$output" >&2
    echo "run $((run + 1)) of the README's program printed '${last}', the README says ${expected[$run]}" >&2
    exit 1
  fi
  echo "run $((run + 1)): ${last}"
done
echo "README program from the packages: PASS (Actors.Orleans $version from a local feed)"
