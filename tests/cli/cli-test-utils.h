/* cli-test-utils.h — running the built cochlea-cli from the CLI tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every run is bounded: a CLI that hangs is killed and fails the test. */
#define CLI_TEST_TIMEOUT_S 60

typedef struct
{
  int    status;      /* exit status, or 128 + signal */
  char  *out;         /* stdout, NUL-terminated (may not be UTF-8) */
  gsize  out_len;
  char  *err;         /* stderr, NUL-terminated */
} CliResult;

void        cli_result_free     (CliResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

/* The cochlea-cli under test ($COCHLEA_CLI). */
const char *cli_test_binary     (void);

/* Runs `[wrapper…] cochlea-cli ARGS…` with @env_extra ("NAME=VALUE",
 * nullable) added to the environment.  Fails the test on a timeout. */
CliResult  *cli_test_run_full   (const char * const *wrapper,
                                 const char * const *args,
                                 const char * const *env_extra);
/* cochlea-cli with a NULL-terminated list of arguments. */
CliResult  *cli_test_run        (const char         *first_arg,
                                 ...) G_GNUC_NULL_TERMINATED;

/* Runs a gst-launch style description to EOS in this process. */
void        cli_test_encode     (const char         *description);
/* A mono sine of @freq Hz at @rate, @seconds long, tagged with
 * title/artist/album/genre when @tags, encoded by @encoder into @path. */
void        cli_test_make_sine  (const char         *path,
                                 const char         *encoder,
                                 int                 rate,
                                 double              seconds,
                                 gboolean            tags);

/* Names in @dir, sorted, as one space-separated string ("" when empty). */
char       *cli_test_list_dir   (const char         *dir);

/* Parses one line of JSON; fails the test when it is not a JSON object. */
JsonObject *cli_test_parse_object (const char       *line);

G_END_DECLS
