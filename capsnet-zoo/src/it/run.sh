#!/usr/bin/env bash
# Builds the Maven projects in this folder as users' projects: against the capsnet4j artifacts installed into
# a private local repository (never ~/.m2/repository, which other builds share; CAPSNET_IT_REPOSITORY names
# another), then runs their tests.
#   consumer/  capsnet-layers + capsnet-zoo + nd4j-native-platform: dependency tree check, the README's graph trains
#   spark/     the capsule graph trained with SparkComputationGraph on local[2] (README "Training on more than one machine")
# Usage: capsnet-zoo/src/it/run.sh [project...]   (default: all of them)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
repo="${CAPSNET_IT_REPOSITORY:-$root/capsnet-zoo/target/it-repository}"
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(consumer spark)

seconds() { date +%s; }

# The private repository starts as hard links to ~/.m2/repository (no copy, no download of what is there).
if [ ! -d "$repo" ]; then
  mkdir -p "$(dirname "$repo")"
  cp -al "$HOME/.m2/repository" "$repo" 2>/dev/null || mkdir -p "$repo"
fi

start=$(seconds)
mvn -B -q -f "$root/pom.xml" -Dmaven.repo.local="$repo" -DskipTests install
echo "it: capsnet4j installed into $repo in $(( $(seconds) - start )) s"

for project in "${projects[@]}"; do
  start=$(seconds)
  # -Djavacpp.platform: nd4j-native-platform downloads this platform's binaries only, as DL4J's docs suggest.
  mvn -B -f "$here/$project/pom.xml" -Dmaven.repo.local="$repo" -Djavacpp.platform=linux-x86_64 verify
  if [ -f "$here/$project/target/dependency-tree.txt" ]; then
    echo "it: $project's dependency tree (mvn dependency:tree -Dverbose):"
    cat "$here/$project/target/dependency-tree.txt"
  fi
  echo "it: $project passed in $(( $(seconds) - start )) s"
done
