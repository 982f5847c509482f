#!/bin/sh
# Installs the command-line programs, their shell completions and a manual page.
#
#   scripts/install.sh [PREFIX]        # default PREFIX: $HOME/.local
#
# Builds release binaries first (`swift build -c release`) unless LEDGER_BIN names a directory
# that already holds ledger, ledger-verify and ledger-net. Installs:
#   PREFIX/bin/{ledger,ledger-verify,ledger-net}
#   PREFIX/share/bash-completion/completions/{ledger,ledger-verify}
#   PREFIX/share/zsh/site-functions/{_ledger,_ledger-verify}
#   PREFIX/share/fish/vendor_completions.d/{ledger,ledger-verify}.fish
#   PREFIX/share/man/man1/{ledger,ledger-verify}.1
set -eu
prefix=${1:-"$HOME/.local"}
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${LEDGER_BIN:-}" ]; then
    (cd "$here" && swift build -c release --product ledger && swift build -c release --product ledger-verify \
        && swift build -c release --product ledger-net)
    LEDGER_BIN=$(cd "$here" && swift build -c release --show-bin-path)
fi
for program in ledger ledger-verify ledger-net; do
    [ -x "$LEDGER_BIN/$program" ] || { echo "install.sh: no $program in $LEDGER_BIN" >&2; exit 1; }
done

mkdir -p "$prefix/bin" "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
         "$prefix/share/fish/vendor_completions.d" "$prefix/share/man/man1"
for program in ledger ledger-verify ledger-net; do
    cp "$LEDGER_BIN/$program" "$prefix/bin/$program.tmp" && mv "$prefix/bin/$program.tmp" "$prefix/bin/$program"
done

for program in ledger ledger-verify; do
    bin="$prefix/bin/$program"
    "$bin" --generate-completion-script bash > "$prefix/share/bash-completion/completions/$program"
    "$bin" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_$program"
    "$bin" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/$program.fish"
    # A manual page from the programs' own help: the overview, then each subcommand's.
    {
        upper=$(echo "$program" | tr 'a-z' 'A-Z')
        echo ".TH $upper 1 \"\" \"disclosure-ledger\" \"User Commands\""
        echo ".SH NAME"
        echo "$program \\- $("$bin" --help | head -n 1 | sed 's/^OVERVIEW: //')"
        echo ".SH DESCRIPTION"
        echo ".nf"
        "$bin" --help | sed 's/\\/\\\\/g; s/^\./\\\&./'
        for sub in $("$bin" --help | sed -n '/^SUBCOMMANDS:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
            echo ""
            echo ".SH $(echo "$sub" | tr 'a-z' 'A-Z')"
            "$bin" help "$sub" 2>/dev/null | sed 's/\\/\\\\/g; s/^\./\\\&./' || true
        done
        echo ".fi"
        echo ".SH SEE ALSO"
        echo "README.md, docs/FORMAT.md, docs/SCHEMA.md and docs/API.md in the source tree."
    } > "$prefix/share/man/man1/$program.1"
done
echo "installed ledger, ledger-verify and ledger-net in $prefix/bin, with completions and manual pages under $prefix/share"
