#!/usr/bin/env bash
# vendor.sh refreshes the JavaScript libraries the admin panel and the API
# docs page use from the npm registry. Nothing runs Node at run time: the
# files it writes under assets/static/vendor/<package>@<version>/ are
# committed and embedded into the binary.
#
# For each pinned package it runs `npm pack <package>@<version>` in a temporary
# folder, checks the tarball's SHA-512 against the registry's
# `dist.integrity`, and extracts only the dist files the panel loads plus the
# licence. Older versions of the same package are removed. A manifest of what
# was vendored is written to assets/static/vendor/MANIFEST.txt.
#
#   assets/vendor.sh          refresh the files
#   assets/vendor.sh --check  download again and fail if a committed file
#                             differs from the pinned tarball (for CI)
#
# To bump a library, change its version below, run the script and commit
# the result: templates name a vendored file without its version
# ({{vendor "easymde/easymde.min.js"}}); the panel finds the one version
# vendored (admin/panel_assets.go).
set -euo pipefail

# package@version  then the files to take, as path-in-tarball[=name-in-vendor]
PACKAGES=(
	"htmx.org@2.0.11 dist/htmx.min.js LICENSE"
	"easymde@2.21.0 dist/easymde.min.js dist/easymde.min.css LICENSE"
	"sortablejs@1.15.7 Sortable.min.js LICENSE"
	"redoc@2.5.4 bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt LICENSE"
)

here=$(cd "$(dirname "$0")" && pwd)
dest="$here/static/vendor"
check=0
case "${1:-}" in
--check) check=1 ;;
"") ;;
*)
	echo "usage: $0 [--check]" >&2
	exit 2
	;;
esac

# sha512_base64 prints the SHA-512 of file $1 in base64, as npm's integrity
# strings have it.
sha512_base64() {
	if command -v openssl >/dev/null; then
		openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n'
	else
		local hex
		hex=$(sha512sum "$1" | cut -d' ' -f1 | sed 's/../\\x&/g')
		printf '%b' "$hex" | base64 | tr -d '\n'
	fi
}

for tool in npm tar base64; do
	command -v "$tool" >/dev/null || {
		echo "vendor.sh: $tool is required" >&2
		exit 1
	}
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

manifest="$work/MANIFEST.txt"
{
	echo "# Vendored by assets/vendor.sh — do not edit by hand."
	echo "# package@version  sha512 integrity (npm dist.integrity)  files"
} >"$manifest"

failed=0
for entry in "${PACKAGES[@]}"; do
	read -r spec files <<<"$entry"
	name=${spec%@*}
	version=${spec##*@}
	pkgdir="$work/$name"
	mkdir -p "$pkgdir"

	echo "== $spec"
	want=$(cd "$pkgdir" && npm view "$spec" dist.integrity 2>/dev/null)
	case "$want" in
	sha512-*) ;;
	*)
		echo "   registry gives no sha512 integrity for $spec (got '$want')" >&2
		exit 1
		;;
	esac
	tarball=$(cd "$pkgdir" && npm pack "$spec" --silent 2>/dev/null | tail -n 1)
	got="sha512-$(sha512_base64 "$pkgdir/$tarball")"
	if [ "$got" != "$want" ]; then
		echo "   integrity mismatch for $tarball:" >&2
		echo "     registry: $want" >&2
		echo "     tarball:  $got" >&2
		exit 1
	fi
	echo "   verified $tarball ($want)"
	tar -xzf "$pkgdir/$tarball" -C "$pkgdir"

	out="$dest/$name@$version"
	if [ "$check" = 0 ]; then
		for old in "$dest/$name@"*; do
			if [ -e "$old" ] && [ "$old" != "$out" ]; then
				rm -rf "$old"
				echo "   removed $(basename "$old")"
			fi
		done
		mkdir -p "$out"
	fi
	taken=""
	for f in $files; do
		src=${f%%=*}
		base=$(basename "${f#*=}")
		if [ ! -f "$pkgdir/package/$src" ]; then
			echo "   $src is not in the tarball" >&2
			exit 1
		fi
		if [ "$check" = 1 ]; then
			if cmp -s "$pkgdir/package/$src" "$out/$base"; then
				echo "   ok $name@$version/$base"
			else
				echo "   DIFFERS $name@$version/$base (run assets/vendor.sh)" >&2
				failed=1
			fi
		else
			cp "$pkgdir/package/$src" "$out/$base"
			chmod 0644 "$out/$base"
			echo "   wrote static/vendor/$name@$version/$base ($(wc -c <"$out/$base") bytes)"
		fi
		taken="$taken $base"
	done
	echo "$spec  $want ${taken}" >>"$manifest"
done

if [ "$check" = 1 ]; then
	# A directory no pinned package explains (a version left behind) would
	# be embedded and served too.
	for dir in "$dest"/*/; do
		dir=$(basename "$dir")
		if ! awk -v d="$dir" '$1 == d { found = 1 } END { exit !found }' "$manifest"; then
			echo "   static/vendor/$dir is not a pinned package (remove it, or run assets/vendor.sh)" >&2
			failed=1
		fi
	done
	if ! cmp -s "$manifest" "$dest/MANIFEST.txt"; then
		echo "MANIFEST.txt differs (run assets/vendor.sh)" >&2
		failed=1
	fi
	exit "$failed"
fi
cp "$manifest" "$dest/MANIFEST.txt"
chmod 0644 "$dest/MANIFEST.txt"
echo "wrote static/vendor/MANIFEST.txt"
