/* app-test-utils.h — shared helpers for the app suite
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cochlea-application.h"

G_BEGIN_DECLS

/* gtk_init_check + gst_init; FALSE (after printing a TAP skip) without a display. */
gboolean            app_test_init          (int          *argc,
                                            char       ***argv);
/* A registered (started-up), non-unique application. */
CochleaApplication *app_test_application   (void);
/* Iterates the main context until @done returns TRUE; fails after 60 s so a
 * broken build cannot hang the suite (never used to measure time). */
void                app_test_wait_until    (gboolean    (*done) (gpointer),
                                            gpointer      data);
void                app_test_wait_frames   (GtkWidget    *widget,
                                            guint         n_frames);
/* Redraws @widget on every frame until the returned tick callback is
 * removed, so the frame clock runs (and after-paint watchers see every
 * frame) whatever the app animates. */
guint               app_test_redraw_every_frame (GtkWidget *widget);
/* Renders @widget as shown on screen and saves it under
 * <build>/meson-logs/app/@name; returns the path. */
GdkTexture         *app_test_render        (GtkWidget    *widget);
char               *app_test_save_png      (GdkTexture   *texture,
                                            const char   *name);
/* A short WAV: a chord with a rising sweep, so the spectrogram has structure. */
char               *app_test_write_song    (const char   *dir,
                                            const char   *name,
                                            double        seconds);

/* A presented window of the test application, mapped. */
GtkWidget          *app_test_present_window (void);
/* Imports @n_songs short generated songs (song-0.wav … at 1 + i/2 s) from a
 * fresh folder into the window's library and waits for the import and the
 * library reload; returns the folder. */
char               *app_test_import_songs  (GtkWidget    *window,
                                            guint         n_songs);
/* Opens @path in the window and waits for its analysis and its similar
 * songs. */
void                app_test_play_and_wait (GtkWidget    *window,
                                            const char   *path);

/* Waits until the Similar page has ranked again since its generation was
 * @generation (read it before the change that re-ranks). */
void                app_test_wait_reranked (GtkWidget    *window,
                                            guint         generation);
/* The kinds of the events in the window's catalogue, oldest first,
 * separated by spaces; only those of @kind when it is not -1.  Valid until
 * the next call. */
const char         *app_test_events        (GtkWidget    *window,
                                            int           kind);

/* A small randomly initialised network saved as a weights file, for the
 * activation view (the shipped model may not exist yet). */
char               *app_test_write_model   (const char   *dir);

G_END_DECLS
