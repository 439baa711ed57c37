/* cochlea-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cochlea-error.h"

G_DEFINE_QUARK (cochlea-engine-error-quark, cochlea_engine_error)
