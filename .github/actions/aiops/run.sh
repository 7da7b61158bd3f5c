#!/usr/bin/env bash
# Runs one aiops command for the composite action: GitHub annotations on standard
# output, a SARIF log for the upload step, and the Markdown summary appended to the
# job summary within GitHub's 1 MiB cap. Writes the exit code and the SARIF path as
# step outputs and always exits 0, so that the upload runs before the gate fails.
#
# The action passes --sarif, --markdown, --category and --github itself (for validate,
# scan and behave). A value the args input gives for one of them is used instead: a
# --sarif FILE there is the log the upload step sends.
set -uo pipefail

command="${AIOPS_COMMAND:?the command input is required}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/aiops-${command}-$$"
mkdir -p "$out_dir"
sarif="$out_dir/aiops.sarif"
summary="$out_dir/summary.md"
category="${AIOPS_SARIF_CATEGORY:-$command}"
# GitHub refuses a step summary over 1 MiB; keep room for the truncation note.
summary_limit="${AIOPS_SUMMARY_LIMIT:-1048576}"
note_room=200

finish() {
  {
    echo "exit-code=$1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
      echo "sarif=$2"
    fi
  } >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 0
}

# The arguments are split as a shell would split quoted words, without expanding
# anything in them. A quote left open is an error (exit 2), not a run on the defaults.
args=()
if [ -n "${AIOPS_ARGS:-}" ]; then
  if ! printf '%s' "$AIOPS_ARGS" | xargs -r printf '%s\0' > "$out_dir/args" 2> "$out_dir/args.err"; then
    echo "::error title=aiops::the args input cannot be split into words ($(cat "$out_dir/args.err")): close each quote, or escape it"
    finish 2
  fi
  while IFS= read -r -d '' word; do
    args+=("$word")
  done < "$out_dir/args"
fi

# What the args already choose: a report file, a category, annotations, or a JSON or
# SARIF document on standard output (which annotations would break).
document_on_stdout=false
own_annotations=false
own_markdown=false
own_sarif=false
own_category=false
previous=""
for word in "${args[@]+"${args[@]}"}"; do
  case "$previous" in
    --format)
      case "$word" in json|sarif) document_on_stdout=true ;; github) own_annotations=true ;; esac ;;
    --sarif) sarif="$word" ;;
    --markdown) summary="$word" ;;
  esac
  case "$word" in
    --format=json|--format=sarif) document_on_stdout=true ;;
    --format=github|--github) own_annotations=true ;;
    --sarif) own_sarif=true ;;
    --sarif=*) own_sarif=true; sarif="${word#--sarif=}" ;;
    --markdown) own_markdown=true ;;
    --markdown=*) own_markdown=true; summary="${word#--markdown=}" ;;
    --category|--category=*) own_category=true ;;
  esac
  previous="$word"
done

# The upload step reads the log from the workspace, not from the working directory.
case "$sarif" in
  /*) ;;
  *) sarif="$PWD/$sarif" ;;
esac

reports=()
case "$command" in
  validate|scan|behave)
    "$own_sarif" || reports+=(--sarif "$sarif")
    "$own_markdown" || reports+=(--markdown "$summary")
    "$own_category" || reports+=(--category "$category")
    # behave has no annotations: its failed cases are in the summary and the SARIF log.
    if [ "$command" != behave ] && ! "$document_on_stdout" && ! "$own_annotations"; then
      reports+=(--github)
    fi
    ;;
  *)
    # generate writes no summary or SARIF log; its outcome is in the step's log.
    sarif=""
    summary=""
    ;;
esac

aiops "$command" "${args[@]+"${args[@]}"}" "${reports[@]+"${reports[@]}"}"
code=$?

if [ -n "$summary" ] && [ -f "$summary" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  size=$(wc -c < "$summary")
  if [ "$size" -gt "$summary_limit" ]; then
    # Cut at a line end, so that no Markdown table row or UTF-8 character is split;
    # under the note's own room, there is room for the note only.
    keep=$((summary_limit > note_room ? summary_limit - note_room : 0))
    if [ "$keep" -gt 0 ]; then
      head -c "$keep" "$summary" | sed '$d' >> "$GITHUB_STEP_SUMMARY"
      printf '\n\n_The summary was cut at %s bytes to fit GitHub'"'"'s step summary limit; the SARIF log has every finding._\n' \
        "$keep" >> "$GITHUB_STEP_SUMMARY"
    else
      printf '_The summary (%s bytes) is over the limit of %s bytes and is left out; the SARIF log has every finding._\n' \
        "$size" "$summary_limit" >> "$GITHUB_STEP_SUMMARY"
    fi
  else
    cat "$summary" >> "$GITHUB_STEP_SUMMARY"
  fi
fi

finish "$code" "$sarif"
