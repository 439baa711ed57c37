/* cochlea-cli-discover.c — `cochlea-cli discover [-n N]`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"
#include "cochlea-cli-store.h"

typedef struct
{
  guint  row;
  double score;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return (x->row > y->row) - (x->row < y->row);
}

int
cochlea_cli_discover (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(CochleaIndex) index = NULL;
  g_autoptr(CochleaTaste) taste = NULL;
  g_autoptr(GArray) events = NULL;
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (CochleaRecommendation));
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree float *scores = NULL;
  g_autofree guint8 *heard = NULL;
  g_autofree guint8 *used = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *save = NULL;
  g_autofree char *prev_artist = NULL;
  CochleaRecommendParams params;
  gboolean as_json = FALSE;
  int n = 30;
  gint64 seed = -1;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Catalogue file"), N_("PATH") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &n, N_("Songs in the playlist (default 30)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print one JSON object"), NULL },
    { "save", 0, 0, G_OPTION_ARG_STRING, &save, N_("Also store the result as playlist NAME"), N_("NAME") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Shuffle seed when there is no feedback yet (default: today's date)"), N_("S") },
    { NULL }
  };

  context = g_option_context_new (_("— a playlist of songs you have not heard, fitted to your taste"));
  g_option_context_set_summary (context,
    _("Ranks every song with no listening events by the taste model learned from\n"
      "feedback (content and attributes only: play counts never enter), and\n"
      "never puts the same artist twice in a row.  With no feedback yet the\n"
      "order is a seeded shuffle."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (n < 1)
    {
      g_printerr ("cochlea-cli discover: %s\n", _("-n must be at least 1"));
      return CLI_EXIT_USAGE;
    }

  catalogue = cochlea_cli_open_catalogue (db_path, save != NULL ? COCHLEA_CATALOGUE_OPEN_DEFAULT
                                                                : COCHLEA_CATALOGUE_OPEN_READ_ONLY, "discover");
  if (catalogue == NULL)
    return CLI_EXIT_FAILED;
  if (!(index = cochlea_index_load_cached (catalogue, NULL, &error)) ||
      !(events = cochlea_catalogue_list_events (catalogue, &error)))
    {
      g_printerr ("cochlea-cli discover: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }

  heard = cochlea_taste_heard_rows (index, events);
  taste = cochlea_taste_train (index, events, 1);
  if (taste != NULL)
    scores = cochlea_taste_score_all (taste, index);
  else
    {
      GDateTime *now = g_date_time_new_now_utc ();
      rand = g_rand_new_with_seed (seed >= 0 ? (guint32) seed
                                   : (guint32) (g_date_time_get_year (now) * 1000 + g_date_time_get_day_of_year (now)));
      g_date_time_unref (now);
    }

  for (guint r = 0; r < cochlea_index_get_size (index); r++)
    {
      Ranked item = { r, scores != NULL ? scores[r] : g_rand_double (rand) };
      if (!heard[r])
        g_array_append_val (ranked, item);
    }
  g_array_sort (ranked, compare_ranked);

  /* Greedy in score order, skipping a song whose artist is the previous
   * one's; a skipped song gets its turn later. */
  used = g_new0 (guint8, MAX (ranked->len, 1));
  while (chosen->len < (guint) n)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < ranked->len; i++)
        {
          Ranked *item = &g_array_index (ranked, Ranked, i);
          g_autoptr(CochleaTrack) track = NULL;
          g_autofree char *folded = NULL;
          if (used[i])
            continue;
          track = cochlea_catalogue_get_track (catalogue, cochlea_index_get_id (index, item->row), NULL);
          if (track == NULL)
            {
              used[i] = 1;
              continue;
            }
          folded = track->artist != NULL && *track->artist ? g_utf8_casefold (track->artist, -1) : NULL;
          if (folded != NULL && g_strcmp0 (folded, prev_artist) == 0)
            continue;
          used[i] = 1;
          g_free (prev_artist);
          prev_artist = g_steal_pointer (&folded);
          {
            CochleaRecommendation rec = { .id = track->id, .row = item->row, .score = item->score,
                                          .content = NAN, .attributes = NAN,
                                          .taste = scores != NULL ? item->score : NAN,
                                          .timbre_kl = NAN };
            g_array_append_val (chosen, rec);
          }
          found = TRUE;
          break;
        }
      if (!found)
        break;  /* only the previous artist is left */
    }

  if (!as_json)
    {
      if (taste != NULL)
        printf ("Discover: %u songs you have not heard, ranked by a taste learned from %u liked and %u disliked songs\n",
                chosen->len, cochlea_taste_get_n_positive (taste), cochlea_taste_get_n_negative (taste));
      else
        printf ("Discover: %u songs you have not heard (no feedback yet: shuffled)\n", chosen->len);
    }
  cochlea_recommend_params_init (&params);
  cochlea_cli_print_recommendations (catalogue, index, NULL, NULL, &params, chosen, as_json);

  if (save != NULL)
    {
      g_autofree gint64 *ids = g_new (gint64, MAX (chosen->len, 1));
      gint64 pl;
      for (guint i = 0; i < chosen->len; i++)
        ids[i] = g_array_index (chosen, CochleaRecommendation, i).id;
      if (!cochlea_catalogue_begin (catalogue, &error) ||
          (pl = cochlea_catalogue_ensure_playlist (catalogue, save, &error)) < 0 ||
          !cochlea_catalogue_playlist_append (catalogue, pl, ids, chosen->len, &error) ||
          !cochlea_catalogue_commit (catalogue, &error))
        {
          cochlea_catalogue_rollback (catalogue);
          g_printerr ("cochlea-cli discover: %s\n", error->message);
          return CLI_EXIT_FAILED;
        }
    }
  return CLI_EXIT_OK;
}
