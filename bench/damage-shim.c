/* damage-shim.c — prints the region GTK 4.8's cairo renderer repaints in
 * each frame (an LD_PRELOAD wrapper of cairo_region_get_extents, which the
 * X11 cairo context calls once per frame with that region to size the
 * frame's backing surface).  A diagnostic for bench-app, never built by
 * meson, never linked into the app:
 *
 *   cc -shared -fPIC -O2 -o /tmp/damage-shim.so bench/damage-shim.c \
 *     $(pkg-config --cflags cairo) -ldl
 *   GSK_RENDERER=cairo LD_PRELOAD=/tmp/damage-shim.so NO_AT_BRIDGE=1 \
 *     GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=_build/data \
 *     xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
 *     _build/bench/bench-app --seconds 3 --verbose
 *
 * Each "damage" line (stderr: the extents, then every rectangle) comes
 * just before the after-paint line of its frame (stdout; the "clock"
 * values are the same CLOCK_MONOTONIC).
 * Other callers of cairo_region_get_extents print too; under the bench
 * there were none.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <cairo.h>
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>

void
cairo_region_get_extents (const cairo_region_t  *region,
                          cairo_rectangle_int_t *extents)
{
  static void (*real) (const cairo_region_t *, cairo_rectangle_int_t *);
  struct timespec ts;

  if (real == NULL)
    real = (void (*) (const cairo_region_t *, cairo_rectangle_int_t *)) dlsym (RTLD_NEXT, "cairo_region_get_extents");
  real (region, extents);
  clock_gettime (CLOCK_MONOTONIC, &ts);
  fprintf (stderr, "damage at %.6f: %d rectangles, extents %d,%d %d x %d:",
           ts.tv_sec + ts.tv_nsec / 1e9, cairo_region_num_rectangles (region),
           extents->x, extents->y, extents->width, extents->height);
  for (int i = 0; i < cairo_region_num_rectangles (region); i++)
    {
      cairo_rectangle_int_t r;

      cairo_region_get_rectangle (region, i, &r);
      fprintf (stderr, " [%d,%d %d x %d]", r.x, r.y, r.width, r.height);
    }
  fprintf (stderr, "\n");
}
