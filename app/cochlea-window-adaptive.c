/* cochlea-window-adaptive.c — the window from 360 px (a phone) upwards
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 has no AdwBreakpoint (1.4), so the window adapts in two
 * ways that exist there:
 *
 * - Where a narrow window must be *allowed* (the header bar), by natural
 *   sizes: the secondary header buttons sit in AdwSqueezers with
 *   allow-none, so they fold away when the header has no room for them
 *   (both are in the main menu too), and AdwViewSwitcherTitle gives its
 *   switcher up to the bottom AdwViewSwitcherBar.  None of this changes the
 *   window's minimum width, which stays under 360 px.
 * - Where a narrow window only looks different (the Similar page's list
 *   beside or over the radar, the library's columns), by the width the
 *   window was actually given: size_allocate() calls
 *   _cochlea_window_adaptive_allocated().  The window's default-width is
 *   not enough: a maximized window (a phone shell maximizes every window)
 *   keeps its unmaximized default-width.  The switch happens during
 *   layout, before anything is drawn; GDK's frame clock runs the layout
 *   phase again in the same frame, so there is no frame with the wrong
 *   layout.  Nothing switched here changes the window's minimum width
 *   beyond NARROW_WIDTH, so it cannot oscillate.
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include "cochlea-window-private.h"

/* Below this window width the layout is the narrow one. */
#define NARROW_WIDTH 600

static void
set_narrow (CochleaWindow *self,
            gboolean       narrow)
{
  self->narrow = narrow;

  /* On a phone-sized window the similar songs' list and the radar are
   * stacked instead of side by side (where titles broke after every few
   * letters). */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->similar_box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  /* The song's length is also in the details line above the views; the
   * position slider gets its room. */
  gtk_widget_set_visible (GTK_WIDGET (self->duration_label), !narrow);
  _cochlea_window_library_set_narrow (self, narrow);
}

void
_cochlea_window_adaptive_allocated (CochleaWindow *self,
                                    int            width)
{
  gboolean narrow = width > 0 && width < NARROW_WIDTH;

  if (narrow != self->narrow)
    set_narrow (self, narrow);
}

void
_cochlea_window_adaptive_init (CochleaWindow *self)
{
  set_narrow (self, FALSE);
}
