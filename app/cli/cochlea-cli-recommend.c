/* cochlea-cli-recommend.c — `cochlea-cli recommend (FILE | --track ID)`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"
#include "cochlea-cli-store.h"

static void
add_comparisons (JsonBuilder *builder,
                 const char  *name,
                 GArray      *list)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      CochleaAttrComparison *c = &g_array_index (list, CochleaAttrComparison, i);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "attribute");
      json_builder_add_string_value (builder, cochlea_attribute_get_info (c->attr)->name);
      cochlea_json_add_finite (builder, "query", c->query);
      cochlea_json_add_finite (builder, "value", c->value);
      cochlea_json_add_finite (builder, "difference", c->units);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_track (JsonBuilder        *builder,
           const CochleaTrack *track)
{
  g_autofree char *display = g_filename_display_name (track->path);

  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, track->id);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, display);
  cochlea_json_add_string_or_null (builder, "title", track->title);
  cochlea_json_add_string_or_null (builder, "artist", track->artist);
  cochlea_json_add_string_or_null (builder, "album", track->album);
}

static char *
describe (const CochleaTrack *track)
{
  g_autofree char *display = g_filename_display_name (track->path);
  g_autofree char *base = g_path_get_basename (display);

  if (track->title != NULL)
    return g_strdup_printf ("%s — %s", track->artist ? track->artist : "?", track->title);
  return g_strdup (base);
}

/* Shared by recommend and discover: prints the ranked list. */
void
cochlea_cli_print_recommendations (CochleaCatalogue             *catalogue,
                                   CochleaIndex                 *index,
                                   const CochleaFeatures        *query,
                                   const CochleaTrack           *query_track,
                                   const CochleaRecommendParams *params,
                                   GArray                       *results,
                                   gboolean                      as_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (as_json)
    {
      json_builder_begin_object (builder);
      if (query_track != NULL)
        {
          json_builder_set_member_name (builder, "query");
          json_builder_begin_object (builder);
          add_track (builder, query_track);
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, cochlea_index_get_model (index) ? cochlea_index_get_model (index) : "none");
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
    }

  for (guint i = 0; i < results->len; i++)
    {
      CochleaRecommendation *rec = &g_array_index (results, CochleaRecommendation, i);
      g_autoptr(CochleaTrack) track = cochlea_catalogue_get_track (catalogue, rec->id, NULL);
      g_autoptr(GArray) shared = g_array_new (FALSE, FALSE, sizeof (CochleaAttrComparison));
      g_autoptr(GArray) differ = g_array_new (FALSE, FALSE, sizeof (CochleaAttrComparison));
      g_autofree char *why = NULL;

      if (track == NULL)
        continue;
      why = query != NULL ? cochlea_index_explain (index, query, params, rec, shared, differ)
                          : isnan (rec->taste) ? g_strdup ("unheard (no feedback recorded yet to learn a taste from)")
                                               : g_strdup_printf ("fits your taste %.2f", rec->taste);
      if (as_json)
        {
          json_builder_begin_object (builder);
          add_track (builder, track);
          cochlea_json_add_finite (builder, "score", rec->score);
          cochlea_json_add_finite (builder, "content", rec->content);
          cochlea_json_add_finite (builder, "attributes", rec->attributes);
          cochlea_json_add_finite (builder, "timbre_kl", rec->timbre_kl);
          cochlea_json_add_finite (builder, "rhythm", rec->rhythm);
          cochlea_json_add_finite (builder, "taste", rec->taste);
          add_comparisons (builder, "shares", shared);
          add_comparisons (builder, "differs", differ);
          json_builder_set_member_name (builder, "explanation");
          json_builder_add_string_value (builder, why);
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *name = describe (track);
          g_autofree char *display = g_filename_display_name (track->path);
          printf ("%2u. %.3f  %s  [id %" G_GINT64_FORMAT "]\n      %s\n      %s\n",
                  i + 1, rec->score, name, track->id, display, why);
        }
    }

  if (as_json)
    {
      g_autoptr(JsonNode) root = NULL;
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cochlea_cli_print_json_line (root);
    }
  fflush (stdout);
}

/* Analyses a file that is not in the catalogue (and stores it with --add). */
static CochleaFeatures *
analyse_outside (CochleaCatalogue  *catalogue,
                 const char        *path,
                 gboolean           add,
                 CochleaTrack     **track_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaAnalysis) analysis = NULL;
  g_autoptr(CochleaFeatures) features = NULL;
  CochleaTrack *track;

  analysis = cochlea_analyze_file (path, cochlea_features_analyze_flags (), NULL, NULL,
                                   cochlea_cli_get_cancellable (), &error);
  if (analysis == NULL)
    {
      g_printerr ("cochlea-cli recommend: %s\n", error->message);
      return NULL;
    }
  features = cochlea_features_from_analysis (analysis);

  track = g_new0 (CochleaTrack, 1);
  track->id = -1;
  track->path = g_strdup (path);
  track->title = g_strdup (analysis->tags.title);
  track->artist = g_strdup (analysis->tags.artist);
  track->album = g_strdup (analysis->tags.album);
  *track_out = track;

  if (add)
    {
      GStatBuf st;
      g_autofree char *hash = NULL;
      CochleaFileStamp stamp = { path, 0, 0, NULL };

      if (g_stat (path, &st) == 0)
        {
          stamp.size = st.st_size;
          stamp.mtime_us = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
          stamp.hash = hash = cochlea_import_hash_file (path, st.st_size, NULL);
        }
      track->id = cochlea_catalogue_store_analysis (catalogue, &stamp, analysis, features, &error);
      if (track->id < 0)
        {
          g_printerr ("cochlea-cli recommend: %s\n", error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&features);
}

int
cochlea_cli_recommend (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(CochleaIndex) index = NULL;
  g_autoptr(CochleaTrack) query_track = NULL;
  g_autoptr(CochleaFeatures) query = NULL;
  g_autoptr(CochleaTaste) taste = NULL;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *taste_scores = NULL;
  g_autofree char *db_path = NULL;
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) targets = NULL;
  g_auto(GStrv) weights = NULL;
  CochleaRecommendParams params;
  gint64 track_id = -1;
  int k = 10;
  double content_weight = NAN, timbre_weight = NAN, attribute_weight = NAN, diversity = 0, taste_weight = NAN;
  double rhythm_weight = NAN;
  gboolean as_json = FALSE, exclude_artist = FALSE, exclude_album = FALSE, no_taste = FALSE, add = FALSE;
  gboolean no_local_scaling = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Catalogue file"), N_("PATH") },
    { "track", 0, 0, G_OPTION_ARG_INT64, &track_id, N_("Query with the catalogue's track ID"), N_("ID") },
    { "k", 'k', 0, G_OPTION_ARG_INT, &k, N_("How many results (default 10)"), N_("K") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print one JSON object"), NULL },
    { "target", 't', 0, G_OPTION_ARG_STRING_ARRAY, &targets, N_("Steer towards a value, e.g. energy=0.8 or tempo=100 (repeatable)"), N_("ATTR=VALUE") },
    { "weight", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &weights, N_("Per-attribute weight, e.g. tempo=2 or liveness=0 (repeatable)"), N_("ATTR=WEIGHT") },
    { "content-weight", 0, 0, G_OPTION_ARG_DOUBLE, &content_weight, N_("Weight of the network's sound similarity (default 0.1)"), N_("W") },
    { "timbre-weight", 0, 0, G_OPTION_ARG_DOUBLE, &timbre_weight, N_("Weight of timbre (MFCC model) similarity (default 0.7)"), N_("W") },
    { "rhythm-weight", 0, 0, G_OPTION_ARG_DOUBLE, &rhythm_weight, N_("Weight of rhythm (fluctuation pattern) similarity (default 0.2)"), N_("W") },
    { "attribute-weight", 0, 0, G_OPTION_ARG_DOUBLE, &attribute_weight, N_("Weight of attribute similarity (default 0.1)"), N_("W") },
    { "exclude-artist", 0, 0, G_OPTION_ARG_NONE, &exclude_artist, N_("Leave out the query's artist"), NULL },
    { "exclude-album", 0, 0, G_OPTION_ARG_NONE, &exclude_album, N_("Leave out the query's album"), NULL },
    { "diversity", 'd', 0, G_OPTION_ARG_DOUBLE, &diversity, N_("Trade relevance for variety, 0–0.99 (MMR; default 0)"), N_("D") },
    { "taste-weight", 0, 0, G_OPTION_ARG_DOUBLE, &taste_weight, N_("Share of the learned taste in the score (default 0.25)"), N_("W") },
    { "no-taste", 0, 0, G_OPTION_ARG_NONE, &no_taste, N_("Ignore listening feedback"), NULL },
    { "no-local-scaling", 0, 0, G_OPTION_ARG_NONE, &no_local_scaling, N_("Standardise each part over the query's candidates only, not also by each candidate's own similarity to a sample"), NULL },
    { "add", 0, 0, G_OPTION_ARG_NONE, &add, N_("Store a FILE that is not in the catalogue"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("[FILE]") },
    { NULL }
  };

  context = g_option_context_new (_("(FILE | --track ID) — songs in the catalogue most like this one"));
  g_option_context_set_summary (context,
    _("Ranks the catalogue by similarity to FILE (analysed on the fly when it is\n"
      "not in the catalogue) or to track ID: the content vector's cosine, the\n"
      "timbre models' divergence, the rhythm descriptors' cosine and the\n"
      "attributes' weighted distance, each\n"
      "standardised over the catalogue, steered by --target and --weight, re-ranked\n"
      "by the taste learned from feedback.  See docs/catalogue.md for the formulas."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;

  if ((files == NULL || files[0] == NULL) == (track_id < 0) || (files != NULL && g_strv_length (files) > 1))
    {
      g_printerr ("cochlea-cli recommend: %s\n", _("expected one FILE or --track ID"));
      return CLI_EXIT_USAGE;
    }
  if (k < 1 || diversity < 0 || diversity >= 1)
    {
      g_printerr ("cochlea-cli recommend: %s\n", _("-k must be at least 1 and --diversity in [0, 1)"));
      return CLI_EXIT_USAGE;
    }

  cochlea_recommend_params_init (&params);
  params.k = k;
  params.diversity = diversity;
  params.exclude_same_artist = exclude_artist;
  params.exclude_same_album = exclude_album;
  params.local_scaling = !no_local_scaling;
  if (isfinite (content_weight))
    params.content_weight = content_weight;
  if (isfinite (timbre_weight))
    params.timbre_weight = timbre_weight;
  if (isfinite (attribute_weight))
    params.attribute_weight = attribute_weight;
  if (isfinite (rhythm_weight))
    params.rhythm_weight = rhythm_weight;
  if (isfinite (taste_weight))
    params.taste_weight = taste_weight;
  for (guint i = 0; weights != NULL && weights[i] != NULL; i++)
    if (!cochlea_recommend_params_set_weight (&params, weights[i], &error))
      {
        g_printerr ("cochlea-cli recommend: --weight %s\n", error->message);
        return CLI_EXIT_USAGE;
      }
  for (guint i = 0; targets != NULL && targets[i] != NULL; i++)
    if (!cochlea_recommend_params_set_target (&params, targets[i], &error))
      {
        g_printerr ("cochlea-cli recommend: --target %s\n", error->message);
        return CLI_EXIT_USAGE;
      }

  catalogue = cochlea_cli_open_catalogue (db_path, add ? COCHLEA_CATALOGUE_OPEN_DEFAULT
                                                       : COCHLEA_CATALOGUE_OPEN_READ_ONLY, "recommend");
  if (catalogue == NULL)
    return CLI_EXIT_FAILED;

  if (files != NULL)
    {
      g_autofree char *abs = cochlea_cli_absolute_path (files[0]);
      query_track = cochlea_catalogue_find_track (catalogue, abs, &error);
      if (error != NULL)
        {
          g_printerr ("cochlea-cli recommend: %s\n", error->message);
          return CLI_EXIT_FAILED;
        }
      if (query_track != NULL && query_track->status != COCHLEA_TRACK_OK)
        g_clear_pointer (&query_track, cochlea_track_free);
      if (query_track == NULL &&
          !(query = analyse_outside (catalogue, abs, add, &query_track)))
        return CLI_EXIT_FAILED;
    }
  else if (!(query_track = cochlea_cli_resolve_track (catalogue, NULL, track_id, "recommend")))
    return CLI_EXIT_FAILED;

  if (query == NULL && !(query = cochlea_catalogue_get_features (catalogue, query_track->id, &error)))
    {
      g_printerr ("cochlea-cli recommend: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }

  if (!(index = cochlea_index_load_cached (catalogue, NULL, &error)))
    {
      g_printerr ("cochlea-cli recommend: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  if (query->vector == NULL || g_strcmp0 (query->model, cochlea_index_get_model (index)) != 0)
    g_printerr ("cochlea-cli recommend: the query has no %s vector; ranking by attributes only\n",
                cochlea_index_get_model (index) ? cochlea_index_get_model (index) : "content");

  if (!no_taste)
    {
      g_autoptr(GArray) events = cochlea_catalogue_list_events (catalogue, &error);
      if (events == NULL)
        {
          g_printerr ("cochlea-cli recommend: %s\n", error->message);
          return CLI_EXIT_FAILED;
        }
      if ((taste = cochlea_taste_train (index, events, 1)) != NULL)
        params.taste = taste_scores = cochlea_taste_score_all (taste, index);
    }

  results = cochlea_index_recommend (index, query, query_track->id, query_track->artist,
                                     query_track->album, &params);
  if (!as_json)
    {
      g_autofree char *display = g_filename_display_name (query_track->path);
      printf ("Like %s%s:\n", display, query_track->id < 0 ? " (not in the catalogue)" : "");
    }
  cochlea_cli_print_recommendations (catalogue, index, query, query_track, &params, results, as_json);
  return CLI_EXIT_OK;
}
