/* cochlea-window-private.h — shared by cochlea-window*.c (and the app tests)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-engine.h"
#include "cochlea-player.h"
#include "jobs/cochlea-channel-job.h"
#include "jobs/cochlea-index-cache.h"
#include "jobs/cochlea-library-job.h"
#include "cochlea-library-model.h"
#include "cochlea-window.h"

G_BEGIN_DECLS

struct _CochleaWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkBox               *similar_box;
  AdwStatusPage        *library_no_match;
  AdwViewStack         *view_stack;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *library_search;
  GtkColumnView        *library_view;
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkLabel             *similar_label;
  GtkListBox           *similar_list;
  AdwBin               *radar_bin;
  AdwBin               *sliders_bin;
  GtkButton            *reset_targets_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  GtkRevealer          *private_mode_revealer;
  GtkToggleButton      *private_mode_button;
  GtkButton            *open_button;
  GtkButton            *import_button;
  GtkButton            *demo_button;
  GtkLabel             *title_label;
  GtkLabel             *artist_label;
  GtkLabel             *details_label;
  GtkSpinner           *analysis_spinner;
  AdwBin               *spectrogram_bin;
  AdwBin               *activation_bin;
  GtkStack             *activation_stack;
  GtkDropDown          *layer_dropdown;
  GtkStringList        *layer_names;
  GtkButton            *play_button;
  GtkButton            *skip_button;
  GtkToggleButton      *like_button;
  GtkLabel             *position_label;
  GtkScale             *position_scale;
  GtkAdjustment        *position_adjustment;
  GtkLabel             *duration_label;
  GtkScaleButton       *volume_button;
  AdwFlap              *playlists_flap;
  GtkToggleButton      *playlists_button;
  GtkListBox           *playlists_list;
  GtkListBox           *playlist_tracks;
  GtkLabel             *playlist_title;
  GtkLabel             *playlist_placeholder;
  GtkButton            *add_current_button;
  GtkButton            *add_selected_button;
  GtkLabel             *activation_info;

  /* Owned */
  GSettings            *settings;
  CochleaPlayer        *player;
  GFile                *file;                 /* the track shown */
  CochleaAnalysis      *analysis;             /* (nullable) its analysis */
  GCancellable         *open_cancellable;     /* file-type query and folder scan */
  GCancellable         *analysis_cancellable;
  GtkFileChooserNative *chooser;              /* kept alive while shown */
  char                 *catalogue_path;
  GListStore           *library;              /* CochleaTrackObject, as loaded */
  char                 *search_casefolded;    /* (nullable) the library filter */
  CochleaLibraryModel  *library_model;        /* library, sorted and searched, as rows */
  CochleaTrackObject   *library_selected;     /* (nullable) the selected track (not its row) */
  GHashTable           *library_cells;        /* GtkListItem bound to a library cell -> its column */
  guint                 library_step_id;      /* tick callback pacing the list's rows (0: none) */
  GCancellable         *library_cancellable;
  GCancellable         *import_cancellable;   /* (nullable) while importing */
  CochleaImportProgress *import_status;       /* (nullable) while importing */
  guint                *demo_done;            /* (nullable) g_atomic_rc_box while composing */
  char                 *demo_dir;
  GPtrArray            *similar;              /* (nullable) CochleaSimilarSong, best first */
  GCancellable         *similar_cancellable;
  CochleaIndexCache    *index_cache;          /* (nullable) the library's recommendation index, made on first use */
  CochleaModel         *model;                /* (nullable) the network that analysed the track */
  GCancellable         *activation_cancellable;
  GCancellable         *playlists_cancellable;
  GtkFileChooserNative *export_chooser;       /* kept alive while shown */
  GPtrArray            *playlist_names;       /* (nullable) utf8, as last listed */
  char                 *playlist_shown;       /* (nullable) the playlist in the sidebar */
  GPtrArray            *playlist_entries;     /* (nullable) CochleaTrack of playlist_shown */
  GPtrArray            *queue;                /* (nullable) paths played one after another */
  CochleaChannelIndex  *channel_index;        /* (nullable) per-song channel means of the library */
  CochleaModel         *channel_model;        /* (nullable) the network channel_index is for */
  GCancellable         *channel_cancellable;
  guint                *channel_done;         /* (nullable) g_atomic_rc_box: songs done while building */

  /* Borrowed */
  GtkDropTarget        *drop_target;          /* owned by the widget */
  GtkWidget            *spectrogram_view;     /* child of spectrogram_bin */
  GtkWidget            *activation_view;      /* child of activation_bin */
  GtkWidget            *radar;                /* child of radar_bin */
  GtkWidget            *playlist_dialog;      /* (nullable) weak: the name or delete dialog shown */
  GtkWidget            *sliders;              /* child of sliders_bin */

  /* State */
  guint                 tick_id;
  guint                 import_timeout_id;
  guint                 rerank_id;
  guint                 similar_generation;   /* completed recommendation runs */
  guint                 similar_import_added; /* songs the running import had added at the last invalidation */
  guint                 feedback_pending;     /* events being written */
  guint                 demo_total;
  guint                 playlists_pending;    /* playlist jobs in flight */
  guint                 queue_pos;            /* index in queue of the song playing */
  gboolean              playlists_updating;   /* rebuilding the sidebar's rows */
  gboolean              channel_building;     /* the channel index is being computed */
  guint                 channel_progress_id;
  int                   hover_layer;          /* activation view hover, -1: none */
  int                   hover_channel;
  double                hover_value;
  gsize                 activation_start;     /* window shown or being computed; G_MAXSIZE: none */
  gsize                 activation_pending;   /* window wanted next; G_MAXSIZE: none */
  gboolean              activation_running;
  gboolean              similar_running;
  gboolean              library_loading;
  gboolean              narrow;               /* the phone layout (cochlea-window-adaptive.c) */
  guint                 busy : 1;
  guint                 told_no_audio : 1;
};

void _cochlea_window_class_actions_init (CochleaWindowClass *klass);
void _cochlea_window_update_actions     (CochleaWindow      *self);
void _cochlea_window_dnd_init           (CochleaWindow      *self);
void _cochlea_window_adaptive_init      (CochleaWindow      *self);
void _cochlea_window_adaptive_allocated (CochleaWindow      *self,
                                         int                 width);
void _cochlea_window_library_set_narrow (CochleaWindow      *self,
                                         gboolean            narrow);
void _cochlea_window_library_init       (CochleaWindow      *self);
void _cochlea_window_library_dispose    (CochleaWindow      *self);
void _cochlea_window_library_reload     (CochleaWindow      *self);
void _cochlea_window_import_folder      (CochleaWindow      *self,
                                         GFile              *folder);
void _cochlea_window_cancel_import      (CochleaWindow      *self);
void _cochlea_window_similar_init       (CochleaWindow      *self);
void _cochlea_window_similar_dispose    (CochleaWindow      *self);
void _cochlea_window_similar_update     (CochleaWindow      *self);
void _cochlea_window_similar_reset_targets (CochleaWindow   *self);
void _cochlea_window_similar_library_changed (CochleaWindow *self);
void _cochlea_window_similar_clear_targets (CochleaWindow   *self);
void _cochlea_window_feedback_init      (CochleaWindow      *self);
void _cochlea_window_feedback_track_changed (CochleaWindow  *self);
void _cochlea_window_record             (CochleaWindow      *self,
                                         CochleaEventKind    kind);
void _cochlea_window_skip               (CochleaWindow      *self);
void _cochlea_window_generate_demo      (CochleaWindow      *self,
                                         guint               n_songs,
                                         double              seconds);
void _cochlea_window_generate_default_demo (CochleaWindow   *self);
void _cochlea_window_open_track         (CochleaWindow      *self,
                                         GFile              *file);
void _cochlea_window_channels_init      (CochleaWindow      *self);
void _cochlea_window_channels_dispose   (CochleaWindow      *self);
void _cochlea_window_channels_update_label (CochleaWindow   *self);
void _cochlea_window_playlists_class_init (CochleaWindowClass *klass);
void _cochlea_window_playlists_init     (CochleaWindow      *self);
void _cochlea_window_playlists_dispose  (CochleaWindow      *self);
void _cochlea_window_playlists_update_actions (CochleaWindow *self);
void _cochlea_window_playlists_reload   (CochleaWindow      *self);
void _cochlea_window_create_playlist    (CochleaWindow      *self,
                                         const char         *name);
void _cochlea_window_rename_playlist    (CochleaWindow      *self,
                                         const char         *new_name);
void _cochlea_window_delete_playlist    (CochleaWindow      *self);
void _cochlea_window_export_playlist    (CochleaWindow      *self,
                                         GFile              *file);
void _cochlea_window_play_playlist      (CochleaWindow      *self,
                                         guint               index);

G_END_DECLS
