/* cochlea-cli-analyze.c — `cochlea-cli analyze FILE…`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"

static JsonNode *
error_node (const char   *path,
            const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *display = g_filename_display_name (path);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, display);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

int
cochlea_cli_analyze (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) files = NULL;
  int status = CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  /* The usage line reads “cochlea-cli analyze [OPTION…] FILE…”. */
  g_set_prgname ("cochlea-cli analyze");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Analyses audio files.\n\n"
      "Prints one JSON object per line for each FILE, in order: its path,\n"
      "duration, tags and analysis, or {\"path\": …, \"error\": …} when it\n"
      "cannot be analysed (the message is also printed on stderr).\n"
      "See docs/cli.md for every field."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    {
      g_printerr ("cochlea-cli analyze: %s\n", _("expected at least one FILE"));
      return CLI_EXIT_USAGE;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CochleaAnalysis) analysis = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (cochlea_cli_is_cancelled ())
        return CLI_EXIT_FAILED;

      analysis = cochlea_analyze_file (files[i], COCHLEA_ANALYZE_NONE, NULL, NULL,
                                       cochlea_cli_get_cancellable (), &error);
      if (analysis == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              /* Interrupted: say so for this file and report no more. */
              g_autofree char *display = g_filename_display_name (files[i]);
              g_autoptr(GError) interrupted =
                g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: interrupted", display);

              g_printerr ("cochlea-cli analyze: %s\n", interrupted->message);
              node = error_node (files[i], interrupted);
              cochlea_cli_print_json_line (node);
              return CLI_EXIT_FAILED;
            }
          g_printerr ("cochlea-cli analyze: %s\n", error->message);
          node = error_node (files[i], error);
          status = CLI_EXIT_FAILED;
        }
      else
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          cochlea_analysis_to_json (analysis, builder);
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
        }
      cochlea_cli_print_json_line (node);
    }

  return status;
}
