# SPDX-License-Identifier: Apache-2.0
# What bench.sh and faults.sh share; sourced by them from the repository's root.

# tool_java MODULE CLASS ARGS...: runs the tool's main class from its module's JAR and libraries.
tool_java() {
  local module="$1" class="$2"
  shift 2
  exec java -cp "$module/target/$module-0.1.0-SNAPSHOT.jar:$module/target/lib/*" "$class" "$@"
}

# tool_help SCRIPT MODULE CLASS ARGS...: when ARGS hold --help or -h, answers at once, without a
# build: the tool's own option list when it is built, else the script's header comment.
tool_help() {
  local script="$1" module="$2" class="$3"
  shift 3
  for arg in "$@"; do
    if [ "$arg" = "--help" ] || [ "$arg" = "-h" ]; then
      if [ -f "$module/target/$module-0.1.0-SNAPSHOT.jar" ]; then
        tool_java "$module" "$class" --help
      fi
      sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$script"
      echo "(every option is listed by ./$script --help once the tool is built: ./$script builds it)"
      exit 0
    fi
  done
}
