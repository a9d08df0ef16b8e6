#!/usr/bin/env bash
# loc.sh counts the lines of code of this port, app and tests, the way
# issue 17 compares it with Flask's tutorial: lines that are neither blank
# nor only a comment, in the code, the templates and the SQL. Given the
# folder of Flask's tutorial (examples/tutorial of pallets/flask), it counts
# that the same way and prints the ratios.
#
#	./loc.sh                          # this port
#	./loc.sh ~/src/flask/examples/tutorial
#
# Comments are # lines and docstrings in Python, // lines and /* */ blocks
# in Go, -- lines in SQL, {# #} in Jinja and {{/* */}} in Go templates.
# Files that are not code (go.mod, the CSS, this script, READMEs) are not
# counted on either side.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# count FILE... prints the number of lines of code in the files.
count() {
	[ $# -eq 0 ] && { echo 0; return; }
	awk '
	FNR == 1 { inblock = 0; ext = FILENAME; sub(/.*\./, "", ext) }
	{
		line = $0
		gsub(/^[ \t]+|[ \t]+$/, "", line)
		if (inblock) {
			if (index(line, endmark)) inblock = 0
			next
		}
		if (line == "") next
		if (ext == "py") {
			if (line ~ /^#/) next
			if (line ~ /^("""|'\'\'\'')/) { # a docstring
				endmark = substr(line, 1, 3)
				if (!index(substr(line, 4), endmark)) inblock = 1
				next
			}
		} else if (ext == "go") {
			if (line ~ /^\/\//) next
			if (line ~ /^\/\*/) { endmark = "*/"; if (!index(line, endmark)) inblock = 1; next }
		} else if (ext == "sql") {
			if (line ~ /^--/) next
		} else if (ext == "html") {
			if (line ~ /^\{#/) { endmark = "#}"; if (!index(line, endmark)) inblock = 1; next }
			if (line ~ /^\{\{-? *\/\*/) { endmark = "*/"; if (!index(line, endmark)) inblock = 1; next }
		}
		n++
	}
	END { print n + 0 }' "$@"
}

# side DIR KIND prints "code templates sql total" of the app or the tests.
side() {
	local dir=$1 kind=$2 code tmpl sql
	if [ -f "$dir/flaskr/__init__.py" ]; then # Flask's layout
		if [ "$kind" = app ]; then
			code=$(count "$dir"/flaskr/*.py)
			tmpl=$(count $(find "$dir/flaskr/templates" -name '*.html' | sort))
			sql=$(count "$dir"/flaskr/*.sql)
		else
			code=$(count "$dir"/tests/*.py)
			tmpl=0
			sql=$(count "$dir"/tests/*.sql)
		fi
	else # this port's
		if [ "$kind" = app ]; then
			code=$(count $(find "$dir" -name '*.go' ! -name '*_test.go' | sort))
			tmpl=$(count $(find "$dir/templates" -name '*.html' | sort))
			sql=$(count "$dir"/*.sql)
		else
			code=$(count $(find "$dir" -name '*_test.go' | sort))
			tmpl=0
			sql=$(count "$dir"/testdata/*.sql)
		fi
	fi
	echo "$code $tmpl $sql $((code + tmpl + sql))"
}

report() {
	local name=$1 dir=$2 app tests
	app=($(side "$dir" app))
	tests=($(side "$dir" tests))
	printf '%-7s app %4d (code %d, templates %d, SQL %d)   tests %4d (code %d, SQL %d)   total %4d\n' \
		"$name" "${app[3]}" "${app[0]}" "${app[1]}" "${app[2]}" "${tests[3]}" "${tests[0]}" "${tests[2]}" \
		"$((app[3] + tests[3]))"
	echo "${app[3]} ${tests[3]} $((app[3] + tests[3]))"
}

go_counts=$(report flasky "$here")
echo "$go_counts" | head -1
if [ $# -gt 0 ]; then
	flask_counts=$(report Flask "$1")
	echo "$flask_counts" | head -1
	read -r ga gt gall <<<"$(echo "$go_counts" | tail -1)"
	read -r fa ft fall <<<"$(echo "$flask_counts" | tail -1)"
	awk -v ga="$ga" -v gt="$gt" -v gall="$gall" -v fa="$fa" -v ft="$ft" -v fall="$fall" 'BEGIN {
		printf "ratio   app %.2f   tests %.2f   total %.2f (goal: at most 1.6)\n", ga / fa, gt / ft, gall / fall
	}'
fi
