#!/usr/bin/env bash
# Runs ScratchNet's whole test suite (unit, property and real-data tests) in Release.
# Installs what the tests need when missing (Fashion-MNIST, Chromium, fonts, GNU parallel, Slurm, PyTorch for Python)
# and ends with "N passed, N failed, N skipped", after the failed and skipped tests with their reasons.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter Calculus).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
ensure_fashion_mnist || true
ensure_deb chromium /usr/bin/chromium "the report's browser test" || true
ensure_deb fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "the figures' font" || true
ensure_deb parallel /usr/bin/parallel "the GNU parallel scheduler test" || true
ensure_deb slurm-wlm /usr/sbin/slurmctld "the Slurm scheduler test" || true
ensure_deb munge /usr/sbin/munged "the Slurm scheduler test" || true
ensure_deb python3-numpy /usr/lib/python3/dist-packages/numpy/__init__.py "the exported models' numpy test" || true
ensure_deb python3-torch /usr/lib/python3/dist-packages/torch/__init__.py "the exported models' PyTorch test" || true

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet test "$root/ScratchNet.sln" -c Release --nologo --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
shopt -s nullglob
trxs=("$results"/*.trx)
for trx in "${trxs[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  # A skipped test is counted in total but not in executed (its "notExecuted" counter stays 0).
  passed=$((passed + $(value passed))); failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value total) - $(value executed)))
done
# The failed and skipped tests again, last, with their first message line (a skip's is its reason): a log read from
# its end shows what failed or did not run, and why.
list() {
  local heading="$1" outcome="$2"
  echo "$heading"
  for trx in "${trxs[@]}"; do
    tr -d '\r' <"$trx" | awk -v outcome="$outcome" '
      /<UnitTestResult / && index($0, "outcome=\"" outcome "\"") { if (match($0, /testName="[^"]*"/)) { name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 } }
      want && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); out = "  " name ": " substr(line, 1, 400)
        gsub(/&quot;/, "\"", out); gsub(/&apos;/, "\x27", out); gsub(/&lt;/, "<", out); gsub(/&gt;/, ">", out); gsub(/&amp;/, "\\&", out)
        print out; want = 0 }'
  done
}
[[ $skipped -gt 0 ]] && list "Skipped tests:" NotExecuted
[[ $failed -gt 0 ]] && list "Failed tests:" Failed
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; echo "test.sh: dotnet test failed before reporting results (build error?)" >&2; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
