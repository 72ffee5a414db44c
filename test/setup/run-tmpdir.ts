/** Where the global set-up keeps the run's temporary folder for the tear-down (jest runs both in one process). */
export const RUN_TMPDIR_HOLDER = 'hubTestRunTmpdir'
