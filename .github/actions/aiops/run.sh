#!/usr/bin/env bash
# Runs one aiops command for the composite action: GitHub annotations on standard
# output, a SARIF log for the upload step, and the Markdown summary appended to the
# job summary within GitHub's 1 MiB cap. Writes the exit code and the SARIF path as
# step outputs and always exits 0, so that the upload runs before the gate fails.
set -uo pipefail

command="${AIOPS_COMMAND:?the command input is required}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/aiops-${command}-$$"
mkdir -p "$out_dir"
sarif="$out_dir/aiops.sarif"
summary="$out_dir/summary.md"
# GitHub refuses a step summary over 1 MiB; keep room for the truncation note.
summary_limit="${AIOPS_SUMMARY_LIMIT:-1048576}"

# The arguments are split as a shell would split quoted words, without expanding
# anything in them.
args=()
if [ -n "${AIOPS_ARGS:-}" ]; then
  while IFS= read -r -d '' word; do
    args+=("$word")
  done < <(printf '%s' "$AIOPS_ARGS" | xargs -r printf '%s\0')
fi

reports=()
case "$command" in
  validate|scan)
    reports+=(--sarif "$sarif" --markdown "$summary" --category "${AIOPS_SARIF_CATEGORY:-$command}")
    # Annotations go to standard output, unless it carries a JSON or SARIF document.
    if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -qxE -- '--format(=(json|sarif))?|json|sarif'; then
      reports+=(--github)
    fi
    ;;
esac

aiops "$command" "${args[@]+"${args[@]}"}" "${reports[@]+"${reports[@]}"}"
code=$?

if [ -f "$summary" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  size=$(wc -c < "$summary")
  if [ "$size" -gt "$summary_limit" ]; then
    keep=$((summary_limit - 200))
    # Cut at a line end, so that no Markdown table row or UTF-8 character is split.
    head -c "$keep" "$summary" | sed '$d' >> "$GITHUB_STEP_SUMMARY"
    printf '\n\n_The summary was cut at %s bytes to fit GitHub'"'"'s step summary limit; the SARIF log has every finding._\n' \
      "$keep" >> "$GITHUB_STEP_SUMMARY"
  else
    cat "$summary" >> "$GITHUB_STEP_SUMMARY"
  fi
fi

{
  echo "exit-code=$code"
  if [ -f "$sarif" ]; then
    echo "sarif=$sarif"
  fi
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
