#!/usr/bin/env bash
# Checks that a fresh project can adopt Owin4J as the README says: it installs this build into a
# temporary local repository (never the shared ~/.m2), then builds project/, which imports the BOM
# and declares owin-api, owin-undertow and owin-testkit without versions, and runs its
# @OwinHostTest tests. It also checks that an older JUnit gets one message naming the version
# needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/repository"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/owin4j-bom/pom.xml" | head -1)"

# A copy of the local repository spares downloads; the copy is what gets written, never the original.
if [[ -d "$HOME/.m2/repository" ]]; then
  cp -a "$HOME/.m2/repository" "$repo"
  rm -rf "$repo/io/owin4j"
fi

echo "adoption-check: installing Owin4J $version into $repo"
mvn -B -q -f "$root/pom.xml" -Dmaven.repo.local="$repo" -DskipTests install \
  -pl owin4j-bom,owin-api,owin-features,owin-core,owin-undertow,owin-testkit,owin-middleware -am

for artifact in owin-api owin-features owin-core owin-undertow owin-testkit; do
  dir="$repo/io/owin4j/$artifact/$version"
  for suffix in .jar -sources.jar -javadoc.jar; do
    [[ -f "$dir/$artifact-$version$suffix" ]] || { echo "missing $artifact-$version$suffix" >&2; exit 1; }
  done
  unzip -p "$dir/$artifact-$version.jar" META-INF/MANIFEST.MF | grep -q '^Automatic-Module-Name: io\.owin4j\.' \
    || { echo "$artifact has no Automatic-Module-Name" >&2; exit 1; }
done
echo "adoption-check: sources, javadoc and Automatic-Module-Name present"

cp -r "$root/adoption-check/project" "$work/project"
echo "adoption-check: building the fresh project"
mvn -B -nsu -f "$work/project/pom.xml" -Dmaven.repo.local="$repo" -Dowin4j.version="$version" verify \
  > "$work/fresh.log" 2>&1 || { cat "$work/fresh.log"; exit 1; }
report="$work/project/target/surefire-reports/TEST-com.example.greeter.GreeterTest.xml"
for mode in in-memory undertow; do
  grep -q "classname=\"GreeterTest $mode\"" "$report" \
    || { echo "no test case names the $mode host in $report:" >&2; grep testcase "$report" >&2; exit 1; }
done
grep 'testcase' "$report"

echo "adoption-check: building it again with JUnit 5.11.4, which is too old"
if mvn -B -nsu -f "$work/project/pom.xml" -Dmaven.repo.local="$repo" -Dowin4j.version="$version" \
    -Djunit.version=5.11.4 verify > "$work/old-junit.log" 2>&1; then
  echo "the build passed with JUnit 5.11.4, but @OwinHostTest cannot run on it" >&2
  exit 1
fi
grep -q "@OwinHostTest needs JUnit Jupiter 5.13 or newer" "$work/old-junit.log" \
  || { cat "$work/old-junit.log"; echo "no message naming the JUnit version needed" >&2; exit 1; }
grep -m1 "@OwinHostTest needs JUnit Jupiter" "$work/old-junit.log"
echo "adoption-check: passed"
