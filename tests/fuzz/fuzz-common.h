/* fuzz-common.h: what every fuzzing harness shares: the libFuzzer entry point, strict logging and
 * a private folder for inputs that the code under test only takes as a file. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* libFuzzer's entry point; each harness defines it, fuzz-main.c calls it in plain builds. */
int         LLVMFuzzerTestOneInput (const uint8_t *data,
                                    size_t         size);

/* Once per process: makes warnings and criticals fatal (bad input must never reach a
 * g_return_if_fail or a g_warning in the core), and reads nothing from the environment that a
 * test or fuzzing run could have set differently. */
void        fuzz_init              (void);
/* A folder of the process's own, removed at exit. */
const char *fuzz_get_dir           (void);
/* Writes @data to @name in fuzz_get_dir() (replacing it) and returns the path. */
char       *fuzz_write_file        (const char    *name,
                                    const uint8_t *data,
                                    size_t         size);

G_END_DECLS
