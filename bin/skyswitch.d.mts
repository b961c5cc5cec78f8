// The command runs for its effect (argv in, stdout and exit code out); it exports nothing.
export {}
