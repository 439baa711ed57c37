/* cochlea-application-private.h — shared between cochlea-application*.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-application.h"

G_BEGIN_DECLS

struct _CochleaApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  GSettings      *settings;
};

void _cochlea_application_actions_init (CochleaApplication *self);

G_END_DECLS
