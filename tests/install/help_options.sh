# help_options.sh: sourced by the install checks. lockstep_help_options LOCKSTEP prints every long option that the
# three help texts (`--help`, `explore --help`, `--help-gui`) name, sorted, one a line.
lockstep_help_options()
{
    {
        "$1" --help
        "$1" explore --help
        "$1" --help-gui
    } | grep -o -E -- '--[a-z][a-z0-9-]*' | sort -u
}
