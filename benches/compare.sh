#!/usr/bin/env bash
# Side by side, in one run: musubi and its peers on the same N synthetic records.
#
#   benches/compare.sh N            (e.g. 200000, 1000000)
#
# Generates N records with musubi::synthetic (examples/synthetic.rs), installs what it compares
# against when missing (tantivy-cli 0.24 with cargo, fzf and hyperfine from Debian), then times
# whole processes: index build (wall, peak RSS), `musubi search` against `tantivy search`,
# `musubi match --need`, and `fzf --filter` over the same titles; then the app through tmux
# (benches/app.sh: first results, keystrokes, idle CPU). Prints one table with the ratio to the
# peer. Work files go to ${COMPARE_DIR:-target/compare}/N; nothing touches the real home.
# Figures and how to read them: docs/performance.md.
set -euo pipefail

N=${1:?usage: benches/compare.sh N}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${COMPARE_DIR:-$ROOT/target/compare}/$N
RUNS=${COMPARE_RUNS:-30}
mkdir -p "$WORK"
export XDG_DATA_HOME=$WORK/xdg/data XDG_CONFIG_HOME=$WORK/xdg/config XDG_STATE_HOME=$WORK/xdg/state

say() { printf '%s\n' "$*" >&2; }

# --- what is compared against ---------------------------------------------------------------
export PATH=$HOME/.cargo/bin:$PATH
if ! command -v tantivy >/dev/null 2>&1; then
    say "installing tantivy-cli 0.24 (cargo install; a few minutes)"
    # Its lock file pins traitobject 0.1.0, which newer compilers refuse: then without it.
    cargo install --locked tantivy-cli --version '^0.24' -j 2 >&2 ||
        cargo install tantivy-cli --version '^0.24' -j 2 >&2 ||
        say "no tantivy-cli: its figures are left out"
fi
PEER=yes
command -v tantivy >/dev/null 2>&1 || PEER=no
for tool in fzf hyperfine; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        say "installing $tool (Debian package)"
        { apt-get install -y "$tool" || sudo apt-get install -y "$tool"; } >&2 || say "no $tool: its figures are left out"
    fi
done
export PATH=$HOME/.cargo/bin:$PATH

# --- the records -----------------------------------------------------------------------------
# MUSUBI_BIN measures a binary built earlier (kept aside while the tree changes).
if [ -z "${MUSUBI_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --release --quiet --bin musubi --example synthetic)
fi
MUSUBI=${MUSUBI_BIN:-$ROOT/target/release/musubi}
if [ ! -f "$WORK/titles.txt" ]; then
    (cd "$ROOT" && cargo build --release --quiet --example synthetic)
    "$ROOT/target/release/examples/synthetic" "$N" "$WORK" >&2
fi
DATA=$WORK/data
NEED=$(head -c 400 "$DATA/needs.jsonl" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -1)
QUERY=${COMPARE_QUERY:-pancreatic cancer}

# Wall seconds and peak RSS (MiB) of one command: "SECONDS MIB".
measure() {
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
        say "failed: $*"; cat "$WORK/stderr.txt" >&2; exit 1; }
    awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$WORK/time.txt"
}

# p50 and p99 in milliseconds of a whole command over $RUNS runs (hyperfine, else a loop).
percentiles() {
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --style none --warmup 3 --runs "$RUNS" --export-json "$WORK/hf.json" -N "$1" >/dev/null 2>&1 ||
            hyperfine --style none --warmup 3 --runs "$RUNS" --export-json "$WORK/hf.json" "$1" >/dev/null
        python3 - "$WORK/hf.json" <<'PY'
import json, sys
t = sorted(json.load(open(sys.argv[1]))["results"][0]["times"])
pick = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))] * 1000
print(f"{pick(0.5):.0f} {pick(0.99):.0f}")
PY
    else
        local times=()
        for _ in $(seq "$RUNS"); do
            local s e
            s=$(date +%s%N); bash -c "$1" >/dev/null 2>&1; e=$(date +%s%N)
            times+=($(( (e - s) / 1000000 )))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%d %d\n", a[int(NR*0.5+0.5)], a[int(NR*0.99+0.5)] }'
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }'; }

# --- index build ----------------------------------------------------------------------------
T_BUILD=—; T_RSS=—; T_P50=—; T_P99=—
if [ "$PEER" = yes ]; then
    say "tantivy-cli: index"
    rm -rf "$WORK/tantivy-index" && mkdir -p "$WORK/tantivy-index"
    cp "$ROOT/benches/tantivy-meta.json" "$WORK/tantivy-index/meta.json"
    read -r T_BUILD T_RSS < <(measure tantivy index -i "$WORK/tantivy-index" -f "$WORK/tantivy.jsonl")
fi
say "musubi: index"
rm -rf "$WORK/musubi-index"
read -r M_BUILD M_RSS < <(measure "$MUSUBI" --data "$DATA" --index "$WORK/musubi-index" index)

# --- one data file changed: what a re-index costs -------------------------------------------
touch "$DATA/proposals.jsonl"
read -r M_REBUILD _ < <(measure "$MUSUBI" --data "$DATA" --index "$WORK/musubi-index" index)
PROPOSALS=$(wc -l < "$DATA/proposals.jsonl")
# A copy of the data and its index (times kept, so the index stays current for the copy), with
# a file of 10,000 more needs (ids of their own) added, then 100 of its needs edited: what
# `musubi index` costs for a 10,000-record file. The peers' records stay as they were.
say "musubi: re-index after a 10,000-record file is added, then changed"
rm -rf "$WORK/reindex" && mkdir -p "$WORK/reindex"
cp -a "$DATA" "$WORK/reindex/data" && cp -a "$WORK/musubi-index" "$WORK/reindex/index"
head -n 10000 "$DATA/needs.jsonl" | sed 's/"id":"N/"id":"NX/' > "$WORK/reindex/data/needs-extra.jsonl"
read -r M_ADDED M_ADDED_RSS < <(measure "$MUSUBI" --data "$WORK/reindex/data" --index "$WORK/reindex/index" index)
sed -i '1,100s/"text":"/"text":"edited /' "$WORK/reindex/data/needs-extra.jsonl"
read -r M_CHANGED M_CHANGED_RSS < <(measure "$MUSUBI" --data "$WORK/reindex/data" --index "$WORK/reindex/index" index)
rm -rf "$WORK/reindex"

# --- search, whole process ------------------------------------------------------------------
say "search: $QUERY"
read -r M_P50 M_P99 < <(percentiles "$MUSUBI --data $DATA --index $WORK/musubi-index search $QUERY --format json")
if [ "$PEER" = yes ]; then
    read -r T_P50 T_P99 < <(percentiles "tantivy search -i $WORK/tantivy-index -q '$QUERY'")
fi

# --- match, whole process -------------------------------------------------------------------
say "match --need $NEED"
read -r MATCH_S MATCH_RSS < <(measure "$MUSUBI" --data "$DATA" --index "$WORK/musubi-index" match --need "$NEED" --format json)

# --- titles: fzf --filter -------------------------------------------------------------------
F_P50=—; F_P99=—
if command -v fzf >/dev/null 2>&1; then
    read -r F_P50 F_P99 < <(RUNS=10 percentiles "bash -c \"fzf --filter 'pancreatic' < $WORK/titles.txt\"")
fi

# --- the app, through tmux (benches/app.sh) ---------------------------------------------------
APP_ROWS=""
if command -v tmux >/dev/null 2>&1; then
    say "app: first results, keystrokes, idle CPU"
    APP_ROWS=$(MUSUBI_BIN=$MUSUBI "$ROOT/benches/app.sh" "$DATA" "$WORK/musubi-index" | grep '^| app') ||
        say "the app could not be measured"
fi

cat <<TABLE

## $N records ($(nproc) cores, $(date -u +%Y-%m-%d))

| figure | musubi | peer, same run | ratio |
|---|---|---|---|
| index build, wall | ${M_BUILD} s | tantivy-cli ${T_BUILD} s | $(ratio "$M_BUILD" "$T_BUILD") |
| index build, peak RSS | ${M_RSS} MiB | tantivy-cli ${T_RSS} MiB | $(ratio "$M_RSS" "$T_RSS") |
| re-index after one file was touched ($PROPOSALS proposals, bytes unchanged) | ${M_REBUILD} s | — | — |
| re-index after a 10,000-record file was added / then changed | ${M_ADDED} s / ${M_CHANGED} s, peak ${M_ADDED_RSS} / ${M_CHANGED_RSS} MiB | — | — |
| search \`$QUERY\`, whole process, p50 / p99 | ${M_P50} / ${M_P99} ms | tantivy-cli ${T_P50} / ${T_P99} ms | $(ratio "$M_P99" "$T_P99") (p99) |
| \`match --need $NEED\`, whole process | ${MATCH_S} s, ${MATCH_RSS} MiB | — | — |
| titles filtered as typed, whole process, p50 / p99 | — | fzf --filter ${F_P50} / ${F_P99} ms | — |
TABLE
[ -n "$APP_ROWS" ] && printf '%s\n' "$APP_ROWS" | sed 's/ |$/ | — | — |/'
true
