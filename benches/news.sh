#!/usr/bin/env bash
# News and the gap report over every subject, as whole processes (round 16 of
# docs/performance.md), on records benches/compare.sh N generated:
#
#   benches/news.sh DATA_DIR WORK_DIR [NEW] [EVERY]
#
# Copies DATA_DIR to WORK_DIR/data and indexes it; then adds NEW datasets (default 100: copies
# of the first ones under new ids, in datasets-new.jsonl), changes the consent (to GRU) and the
# cases of every EVERY-th dataset (default 1,000), and indexes again, so that the latest build
# has news. Then times, with /usr/bin/time (wall and peak memory): `news --format json` for
# every need and proposal, `news --subject` for the first need, and `gaps --format json`.
# MOMENTS=N (round 17) also writes an outreach log naming the first N needs, each at a minute of
# its own before the builds, and times `news --format json --log` with it: N subjects, each
# asked from its own last logged outreach (the command's default), N moments.
# MUSUBI_BIN=path measures a binary built earlier; MUSUBI_BIN2=path measures a second one on
# the same index after it and says whether their outputs are the same. Nothing touches the
# real home: XDG dirs go under WORK_DIR.
set -euo pipefail

DATA=${1:?usage: benches/news.sh DATA_DIR WORK_DIR [NEW] [EVERY]}
WORK=${2:?usage: benches/news.sh DATA_DIR WORK_DIR [NEW] [EVERY]}
NEW=${3:-100}
EVERY=${4:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MUSUBI=${MUSUBI_BIN:-$ROOT/target/release/musubi}
[ -x "$MUSUBI" ] || (cd "$ROOT" && cargo build --release)
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$DATA" "$WORK/data"
cd "$WORK"
export XDG_DATA_HOME=$WORK/xdg/data XDG_CONFIG_HOME=$WORK/xdg/config XDG_STATE_HOME=$WORK/xdg/state
timed() { /usr/bin/time -f "  %e s wall, %M KB peak" "$@"; }

echo "== first build"
timed "$MUSUBI" --data data --index idx index | tail -1
head -n "$NEW" data/datasets.jsonl | sed 's/"id":"DS/"id":"DN/' > data/datasets-new.jsonl
sed -i "0~${EVERY}s/\"data_use\":\[[^]]*\]/\"data_use\":[\"GRU\"]/; 0~${EVERY}s/\"cases\":\([0-9]*\)/\"cases\":9\1/" data/datasets.jsonl
echo "== second build: $NEW datasets added, every ${EVERY}th changed"
timed "$MUSUBI" --data data --index idx index | tail -1
FIRST_NEED=$(head -n 1 data/needs.jsonl | sed 's/^{"id":"\([^"]*\)".*/\1/')
MOMENTS=${MOMENTS:-0}
if [ "$MOMENTS" -gt 0 ]; then
  head -n "$MOMENTS" data/needs.jsonl | python3 -c '
import datetime, json, sys
start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
for i, line in enumerate(sys.stdin):
    at = (start + datetime.timedelta(minutes=i)).isoformat()
    need = json.loads(line)["id"]
    print(json.dumps({"at": at, "by": "bench", "subject": need, "candidate": "DS0000000",
                      "status": "contacted", "note": ""}))
' > outreach-moments.jsonl
fi

measure() {
  local bin=$1 tag=$2
  echo "== $tag: news --format json (every need and proposal)"
  timed "$bin" --data data --index idx news --format json > "news-$tag.json"
  echo "   $(wc -c < "news-$tag.json") bytes"
  echo "== $tag: news --subject $FIRST_NEED"
  timed "$bin" --data data --index idx news --subject "$FIRST_NEED" --format json > "news1-$tag.json"
  echo "== $tag: gaps --format json"
  timed "$bin" --data data --index idx gaps --format json > "gaps-$tag.json"
  if [ "$MOMENTS" -gt 0 ]; then
    echo "== $tag: news --format json --log outreach-moments.jsonl ($MOMENTS needs, a moment each)"
    timed "$bin" --data data --index idx news --format json --log outreach-moments.jsonl > "newsm-$tag.json"
  fi
}
measure "$MUSUBI" a
if [ -n "${MUSUBI_BIN2:-}" ]; then
  measure "$MUSUBI_BIN2" b
  files="news news1 gaps"
  [ "$MOMENTS" -gt 0 ] && files="$files newsm"
  for f in $files; do
    cmp -s "$f-a.json" "$f-b.json" && echo "$f: the same" || echo "$f: DIFFERENT"
  done
fi
