#!/usr/bin/env bash
# The tool that teaches (issue 14): typos get a suggestion, a missing
# argument is named, every command's --help has an example, and the man
# page and bash completion are generated from the same help text.
TOOL=$1
source "$(dirname "$0")/lib.sh"

expect 2 "$TOOL" audti verify
check "typo of a group suggests the command" grep -qF "did you mean 'audit verify'?" <<<"$err"
expect 2 "$TOOL" audit verifx
check "typo of a subcommand suggests it" grep -qF "did you mean 'audit verify'?" <<<"$err"
expect 2 "$TOOL" zzzqqq
check "no suggestion when nothing is close" grep -qF "unknown command 'zzzqqq' (see sspf-tool --help)" <<<"$err"
expect 2 "$TOOL" case close
check "a missing positional argument is named" grep -qF "missing argument ID in 'case close ID'" <<<"$err"
check "not as boost's option name" not_in "--id" "$err"
expect 2 "$TOOL" --json case close
check "the same under --json" grep -qF '"message":"case close: missing argument ID' <<<"$err"

# A parse error names the option, never its value (a mistyped option or a
# personnummer in the command's place must not reach a terminal log).
pnr=$(make_pnr 15 417)
for args in "subject add --pn=$pnr" "subject add --nam=Ung_Testsson_Hemlig" \
            "subject add --guardain=Vera_Testsson_Hemlig" "grant emergency --hours Hemlig_Namn" \
            "$pnr" "subject $pnr"; do
  # shellcheck disable=SC2086
  expect 2 "$TOOL" $args
  for secret in "$pnr" "${pnr:2}" Hemlig; do
    check "'$args' does not echo its value" not_in "$secret" "$err"
  done
  # shellcheck disable=SC2086
  expect 2 "$TOOL" --json $args
  check "'$args' does not echo its value (json)" not_in "Hemlig" "$err"
  check "'$args' does not echo the number (json)" not_in "${pnr:2}" "$err"
done
expect 2 "$TOOL" subject add --guardain=x
check "the mistyped option is still named" grep -qF "unknown option '--guardain'" <<<"$err"

# Numbers are range-checked before anything else happens.
for bad in "-1" "0" "1x" "99999999999999999999"; do
  expect 2 "$TOOL" audit query --limit "$bad"
  check "--limit $bad is refused" grep -q "limit" <<<"$err"
done
expect 2 "$TOOL" audit query --limit -1
check "a bad number says what the option takes" \
  grep -qF "audit query: --limit takes a whole number (up to 15 digits, no sign)" <<<"$err"
expect 2 "$TOOL" due --days 1e2
check "so does an exponent" grep -qF -- "--days takes a whole number" <<<"$err"
expect 2 "$TOOL" audit prove --index -1
check "--index -1 is refused" grep -q "index" <<<"$err"
# Every other number too, each refusal naming its option.
while IFS='|' read -r opt args; do
  # shellcheck disable=SC2086
  expect 2 "$TOOL" $args
  check "'$args' is refused naming $opt" grep -q -- "$opt" <<<"$err"
done <<'NUMBERS'
--days|due --days 367
--days|due --days -1
--radius|audit query --around 5 --radius 1001
--radius|audit query --around 5 --radius 99999999999999999999
--top|audit review --top 1001
--idle-timeout|agent --idle-timeout 0
--idle-timeout|agent --idle-timeout 86401
--hours|grant emergency --case 0123456789abcdef0123456789abcdef --provision x --reason r --hours 99999999999
NUMBERS
expect 2 "$TOOL" audit review --top 1001
check "an out-of-range value says the range" grep -q "0 to 1000" <<<"$err"

# A group alone is an error that says so, then lists its commands; with
# --help it is the group's help.
expect 2 "$TOOL" case
check "'case' alone says it needs a subcommand" \
  test "$(head -n1 <<<"$err")" = "sspf-tool: 'case' needs a subcommand; they are:"
check "and lists them" grep -q "case show" <<<"$err"
expect 2 "$TOOL" plan action
check "a two-word group too" grep -q "'plan action' needs a subcommand" <<<"$err"
check "listing its commands" grep -q "plan action done" <<<"$err"
expect 0 "$TOOL" plan action --help
check "the group's help on stdout" grep -q "plan action add" <<<"$out"
expect 2 "$TOOL"
check "no command at all says so" grep -q "^sspf-tool: no command given" <<<"$err"

# entry add on a terminal says it waits for the body (a pseudo-terminal
# from python's pty module; the tool is killed once it has said so).
pw=$(pass_file nobody "nobody passphrase 123")
tty_out=$("${PYTHON:-python3}" - "$TOOL" "$work/none.db" "$pw" <<'PY'
import os, pty, select, signal, sys, time
tool, store, pw = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(tool, [tool, "--store", store, "--user", "nobody", "--passphrase-file", pw,
                    "entry", "add", "--case", "c", "--category", "school"])
out, deadline = b"", time.time() + 20
while time.time() < deadline and b"Ctrl-D" not in out:
    if select.select([fd], [], [], 0.5)[0]:
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
PY
)
check "entry add explains that it reads the body" grep -q "Ctrl-D" <<<"$tty_out"

# Every command listed in the overview has a --help with an example, and a
# section in the man page.
expect 0 "$TOOL" --man
man_page=$out
commands=$("$TOOL" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z -]*[a-z]\)  .*/\1/p' | sed 's/ *$//')
check "the overview lists commands" test "$(wc -l <<<"$commands")" -ge 30
while IFS= read -r c; do
  # shellcheck disable=SC2086
  expect 0 "$TOOL" $c --help
  check "'$c --help' has an example" grep -q "Example" <<<"$out"
  check "'$c' has a man page section" grep -qF ".SS \"${c//-/\\-}\"" <<<"$man_page"
done <<<"$commands"
if command -v man >/dev/null; then
  rendered=$(man -l - <<<"$man_page" 2>"$work/man.err")
  check "the man page renders" grep -q "audit verify" <<<"$rendered"
  check "without roff warnings" test ! -s "$work/man.err"
else
  echo "man is not installed: the rendering check is skipped"
fi

# The bash completion, driven as bash drives it.
expect 0 "$TOOL" --completion bash
printf '%s\n' "$out" > "$work/completion.bash"
complete_words() {  # complete_words WORD... -> the candidates for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sspf_tool
           printf "%s\n" "${COMPREPLY[@]}"' _ "$work/completion.bash" "$@"
}
check "completes a group" grep -qx "audit" <<<"$(complete_words sspf-tool aud)"
check "completes a subcommand" grep -qx "verify" <<<"$(complete_words sspf-tool audit ve)"
check "completes a third word" grep -qx "cosign" <<<"$(complete_words sspf-tool audit witness co)"
check "completes an option of the command" \
  grep -qx -- "--checkpoint" <<<"$(complete_words sspf-tool audit verify --chec)"
check "skips global options and their values" \
  grep -qx "verify" <<<"$(complete_words sspf-tool --store x.db audit ve)"
expect 2 "$TOOL" --completion zsh
check "an unknown shell is a usage error" grep -qF "completion bash" <<<"$err"

exit $((fails > 0))
