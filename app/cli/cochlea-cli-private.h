/* cochlea-cli-private.h — shared by the cochlea-cli subcommands.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses, the same for every subcommand. */
#define CLI_EXIT_OK      0   /* every file succeeded */
#define CLI_EXIT_FAILED  1   /* at least one file failed; the others were still done */
#define CLI_EXIT_USAGE   2   /* bad command line */

typedef int (*CochleaCliCommand) (int    argc,
                                  char **argv);

int  cochlea_cli_mel     (int argc, char **argv);
int  cochlea_cli_analyze (int argc, char **argv);
int  cochlea_cli_train   (int argc, char **argv);
int  cochlea_cli_generate_corpus (int argc, char **argv);
int  cochlea_cli_import  (int argc, char **argv);
int  cochlea_cli_recommend (int argc, char **argv);
int  cochlea_cli_feedback (int argc, char **argv);
int  cochlea_cli_discover (int argc, char **argv);
int  cochlea_cli_playlist (int argc, char **argv);

/* Parses @context against argc/argv, printing the problem and returning
 * FALSE on a usage error. */
gboolean cochlea_cli_parse (GOptionContext  *context,
                            int             *argc,
                            char          ***argv);
void     cochlea_cli_print_json_line (JsonNode *node);
gboolean cochlea_cli_is_cancelled (void);
GCancellable *cochlea_cli_get_cancellable (void);

G_END_DECLS
