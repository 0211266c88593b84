#!/bin/sh
# collect-pses.sh — read-only collection of the PSEs of one SAP instance for "pse-doctor landscape".
#
# Run as <sid>adm on each application server instance:
#   sh collect-pses.sh [-s SECDIR] [-o OUTDIR] [-i INSTANCE] [-S SID] [-p PINFILE]
#
# Writes OUTDIR/<SID>/<instance>/sec/ with a copy of every *.pse file of the sec directory and, for each,
# "<file>.maintain_pk.txt" (sapgenpse maintain_pk -l) and "<file>.get_my_name.txt" (sapgenpse get_my_name -v).
# Nothing in the sec directory is changed. cred_v2 and other files are never copied.
# PINs never leave the host: without -p the listings use the SSO credentials (cred_v2) of <sid>adm, as
# SAP's own tools do; with -p PINFILE the PIN is read from that file and given to sapgenpse (-x) for the
# two listings on this host only (local process listings can see it while sapgenpse runs); it is never
# written to OUTDIR. PIN-protected PSE files are copied as they are (still encrypted).
# Copy OUTDIR to the machine running pse-doctor and merge the <SID> folders of all instances:
#   pse-doctor landscape collected/ [--pin-file pin.txt]
set -eu

SID="${SAPSYSTEMNAME:-}"
INSTANCE=""
SECDIR="${SECUDIR:-}"
OUTDIR="./collected"
PINFILE=""

usage() {
  echo "usage: $0 [-s SECDIR] [-o OUTDIR] [-i INSTANCE] [-S SID] [-p PINFILE]" >&2
  exit 2
}

while getopts "s:o:i:S:p:h" opt; do
  case "$opt" in
    s) SECDIR="$OPTARG" ;;
    o) OUTDIR="$OPTARG" ;;
    i) INSTANCE="$OPTARG" ;;
    S) SID="$OPTARG" ;;
    p) PINFILE="$OPTARG" ;;
    *) usage ;;
  esac
done

if [ -z "$SID" ]; then
  echo "No SID: run as <sid>adm (SAPSYSTEMNAME set) or pass -S SID." >&2
  exit 2
fi
if [ -z "$SECDIR" ]; then
  # DIR_INSTANCE/sec, e.g. /usr/sap/ABC/D00/sec: take the instance folder from the environment or the first match.
  for d in /usr/sap/"$SID"/*/sec; do
    if [ -d "$d" ]; then SECDIR="$d"; break; fi
  done
fi
if [ -z "$SECDIR" ] || [ ! -d "$SECDIR" ]; then
  echo "No sec directory found: pass -s /usr/sap/$SID/<instance>/sec." >&2
  exit 2
fi
if [ -z "$INSTANCE" ]; then
  # Instance name + host keep instances of one system apart (D00 on two hosts).
  INSTANCE="$(basename "$(dirname "$SECDIR")")_$(hostname | cut -d. -f1)"
fi
case "$SID$INSTANCE" in
  */* | *..* ) echo "SID and instance must not contain / or .." >&2; exit 2 ;;
esac
if [ -n "$PINFILE" ] && [ ! -r "$PINFILE" ]; then
  echo "Cannot read the PIN file $PINFILE." >&2
  exit 2
fi

SAPGENPSE="$(command -v sapgenpse || true)"
if [ -z "$SAPGENPSE" ] && [ -x "/usr/sap/$SID/SYS/exe/run/sapgenpse" ]; then
  SAPGENPSE="/usr/sap/$SID/SYS/exe/run/sapgenpse"
fi

DEST="$OUTDIR/$SID/$INSTANCE/sec"
umask 077
mkdir -p "$DEST"

count=0
for pse in "$SECDIR"/*.pse; do
  [ -f "$pse" ] || continue
  name="$(basename "$pse")"
  cp -p -- "$pse" "$DEST/$name"
  count=$((count + 1))
  if [ -n "$SAPGENPSE" ]; then
    if [ -n "$PINFILE" ]; then
      # The PIN goes to sapgenpse on its command line for this one call on this host only.
      PIN="$(head -n 1 -- "$PINFILE")"
      SECUDIR="$SECDIR" "$SAPGENPSE" maintain_pk -l -p "$pse" -x "$PIN" >"$DEST/$name.maintain_pk.txt" 2>&1 || true
      SECUDIR="$SECDIR" "$SAPGENPSE" get_my_name -v -p "$pse" -x "$PIN" >"$DEST/$name.get_my_name.txt" 2>&1 || true
      PIN=""
    else
      SECUDIR="$SECDIR" "$SAPGENPSE" maintain_pk -l -p "$pse" >"$DEST/$name.maintain_pk.txt" 2>&1 </dev/null || true
      SECUDIR="$SECDIR" "$SAPGENPSE" get_my_name -v -p "$pse" >"$DEST/$name.get_my_name.txt" 2>&1 </dev/null || true
    fi
  fi
done

{
  echo "collected: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(hostname)"
  echo "sec: $SECDIR"
  echo "sapgenpse: ${SAPGENPSE:-not found (PSE files only)}"
} >"$OUTDIR/$SID/$INSTANCE/collect-info.txt"

echo "Copied $count PSE file(s) from $SECDIR to $DEST."
