#!/usr/bin/env bash
# The app as a person meets it, on records indexed earlier (benches/compare.sh N builds them):
#
#   benches/app.sh DATA_DIR INDEX_DIR [QUERY]
#
# Runs musubi in a detached tmux session (140×45) with MUSUBI_TRACE=1 and prints:
#   - first results: from launch until the tab bar shows record counts (the preview's, read
#     from the index's snapshot in place, or the loaded list's);
#   - ready: from launch until the list's first search is done (every record read);
#   - per keystroke while QUERY (default "pancreatic") is typed one character at a time, waiting
#     for each search to settle: key sent → search result reported (whole, through tmux), and the
#     search's own time on the worker thread; p50 / p95 / max; typed twice: at once when the
#     list is ready (the app still working out facet values on a low-priority thread), and
#     again, the box cleared, once that is done;
#   - idle CPU: CPU time the process used over 3 s with nothing typed (should be 0), once the
#     work the app does ahead (every record's facet values, on a low-priority thread) is done.
# Needs tmux and python3. Nothing touches the real home: XDG dirs go under the index's parent.
set -euo pipefail

DATA=${1:?usage: benches/app.sh DATA_DIR INDEX_DIR [QUERY]}
INDEX=${2:?usage: benches/app.sh DATA_DIR INDEX_DIR [QUERY]}
QUERY=${3:-pancreatic}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MUSUBI=${MUSUBI_BIN:-$ROOT/target/release/musubi}
WORK=$(mktemp -d)
trap 'tmux -L musubi-bench kill-server >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state

python3 - "$MUSUBI" "$DATA" "$INDEX" "$QUERY" "$WORK" <<'PY'
import os, re, subprocess, sys, time

musubi, data, index, query, work = sys.argv[1:]
trace = os.path.join(work, "trace.txt")
tmux = ["tmux", "-L", "musubi-bench"]

def run(*args):
    return subprocess.run(tmux + list(args), capture_output=True, text=True).stdout

def screen():
    return run("capture-pane", "-p", "-t", "app")

def searches():
    try:
        with open(trace, encoding="utf-8") as f:
            return re.findall(r'search "([^"]*)": ([0-9.]+) ms', f.read())
    except FileNotFoundError:
        return []

def wait(check, what, limit=600):
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > limit:
            sys.exit(f"gave up waiting for {what}")
        time.sleep(0.005)

def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

command = (f"MUSUBI_TRACE=1 {musubi} --fresh --data {data} --index {index} 2>{trace}")
started = time.monotonic()
run("new-session", "-d", "-s", "app", "-x", "140", "-y", "45", command)
wait(lambda: re.search(r"Datasets [1-9]", screen()), "the first results")
first = (time.monotonic() - started) * 1000
wait(lambda: any(q == "" for q, _ in searches()), "the first search")
ready = (time.monotonic() - started) * 1000

def type_query():
    """Types the query a character at a time, each once the last one's search is done."""
    whole, inner = [], []
    typed = ""
    for ch in query:
        typed += ch
        seen = len(searches())
        sent = time.monotonic()
        run("send-keys", "-t", "app", "-l", ch)
        wait(lambda: any(q == typed for q, _ in searches()[seen:]), f"the search for {typed!r}")
        whole.append((time.monotonic() - sent) * 1000)
        inner.append(float([ms for q, ms in searches()[seen:] if q == typed][-1]))
    return whole, inner

# At once when the list is ready, while the app still works out the facet values (on a
# low-priority thread); then again once that work is done, the box cleared first (Ctrl-U).
early_whole, early_inner = type_query()
wait(lambda: "facet values" in open(trace, encoding="utf-8").read(), "the facet values")
seen = len(searches())
run("send-keys", "-t", "app", "C-u")
wait(lambda: any(q == "" for q, _ in searches()[seen:]), "the cleared box's search")
whole, inner = type_query()
pid = run("display-message", "-p", "-t", "app", "#{pane_pid}").strip()
# The pane runs a shell that runs musubi: find musubi among its children.
children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
target = children[0] if children else pid
def cpu():
    fields = open(f"/proc/{target}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
time.sleep(0.5)
before = cpu()
time.sleep(3)
idle_ticks = cpu() - before
run("send-keys", "-t", "app", "C-c")

print(f"| app: first results (counts and first rows drawn) | {first:.0f} ms |")
print(f"| app: ready (every record read, the list's first search done) | {ready:.0f} ms |")
for label, (w, i) in [("typed at once when ready", (early_whole, early_inner)),
                      ("typed after the work done ahead", (whole, inner))]:
    print(f"| app: keystroke to settled results, {label}, whole (tmux), p50 / p95 / max over "
          f"{len(w)} keys | {pct(w, .5):.0f} / {pct(w, .95):.0f} / {max(w):.0f} ms |")
    print(f"| app: search on the worker thread, {label}, p50 / p95 / max | "
          f"{pct(i, .5):.1f} / {pct(i, .95):.1f} / {max(i):.1f} ms |")
print(f"| app: idle CPU over 3 s | {idle_ticks * 10} ms |")
print()
with open(trace, encoding="utf-8") as f:
    print("phases: " + "; ".join(
        l.removeprefix("musubi trace: ").strip() for l in f if "search \"" not in l))
for label, (w, i) in [("at once", (early_whole, early_inner)), ("after", (whole, inner))]:
    print(f"per key, {label} (query: worker ms / whole ms): " + ", ".join(
        f"{query[:k + 1]}: {i[k]:.0f} / {w[k]:.0f}" for k in range(len(w))))
PY
