#!/usr/bin/env bash
# Prints the java of the first JDK 21 or newer under /usr/lib/jvm: the default java may be older.
for candidate in /usr/lib/jvm/*/bin/java; do
  if "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then echo "$candidate"; exit 0; fi
done
echo "No JDK 21 or newer under /usr/lib/jvm; set JAVA_BIN" >&2
exit 1
